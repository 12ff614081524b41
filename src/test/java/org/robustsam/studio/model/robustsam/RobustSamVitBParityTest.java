package org.robustsam.studio.model.robustsam;

import org.junit.jupiter.api.Tag;

/**
 * Parity on the real ViT-B shape (one image, one reference encoder forward of ~25 s; the fixture
 * checkpoint is 613 MB). Tagged slow, but part of the default run.
 */
@Tag("slow")
class RobustSamVitBParityTest extends RobustSamParityBase {
    @Override
    String configName() {
        return "vit_b";
    }
}
