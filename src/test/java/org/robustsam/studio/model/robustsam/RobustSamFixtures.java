package org.robustsam.studio.model.robustsam;

import java.io.IOException;
import java.util.List;
import org.robustsam.studio.model.sam.SamFixtures;

/**
 * RobustSAM reference outputs made by src/test/python/make_robustsam_fixtures.py (which imports the
 * SAM fixture script) under target/fixtures/robustsam-CONFIG, through the shared fixture runner.
 */
public final class RobustSamFixtures {
    private RobustSamFixtures() {}

    public static SamFixtures ensure(String config) throws IOException, InterruptedException {
        return SamFixtures.ensure("robustsam-" + config, "make_robustsam_fixtures.py", List.of("make_sam_fixtures.py"),
                "reference/robustsam/robust_segment_anything", config);
    }
}
