package org.robustsam.studio.model.sam;

import org.junit.jupiter.api.Tag;

/**
 * Parity on the real ViT-B shape (one image; the reference encoder takes ~20 s on 2 cores, the
 * fixture checkpoint is 375 MB). Tagged slow, but part of the default run.
 */
@Tag("slow")
class SamVitBParityTest extends SamParityBase {
    @Override
    protected String configName() {
        return "vit_b";
    }
}
