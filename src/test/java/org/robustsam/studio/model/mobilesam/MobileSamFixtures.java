package org.robustsam.studio.model.mobilesam;

import java.io.IOException;
import org.robustsam.studio.model.sam.SamFixtures;

/**
 * MobileSAM reference outputs made by src/test/python/make_mobilesam_fixtures.py under
 * target/fixtures/mobile_sam (a real-size TinyViT-5M with seeded random weights), through the shared
 * fixture runner; for tests outside this package too (e.g. {@code studio bench}).
 */
public final class MobileSamFixtures {
    private MobileSamFixtures() {}

    public static SamFixtures ensure() throws IOException, InterruptedException {
        return SamFixtures.ensure("make_mobilesam_fixtures.py", "reference/mobilesam/mobile_sam", "mobile_sam");
    }
}
