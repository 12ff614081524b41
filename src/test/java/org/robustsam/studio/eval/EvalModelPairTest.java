package org.robustsam.studio.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.robustsam.studio.model.manager.ModelStore;
import org.robustsam.studio.model.registry.ModelEntry;
import org.robustsam.studio.model.registry.ModelRegistry;

/** Which two models a comparison opens with, from what is on disk. */
class EvalModelPairTest {
    private final ModelRegistry registry = ModelRegistry.bundled();

    /** A ready file for a registry model: its exact (or approximate) size, sparse. */
    private Path place(Path dir, String id) throws IOException {
        ModelEntry e = registry.find(id).orElseThrow();
        Path f = dir.resolve(e.file());
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(e.approxBytes());
        }
        return f;
    }

    @Test
    void prefersSamAndRobustSamOfTheSameSizeSmallestFirst(@TempDir Path dir) throws IOException {
        place(dir, "sam_vit_b");
        Path samL = place(dir, "sam_vit_l");
        Path robustL = place(dir, "robustsam_vit_l");
        place(dir, "robustsam_vit_h");
        place(dir, "sam_vit_h");
        assertEquals(new ModelPair(samL, robustL), ModelPair.defaults(registry, new ModelStore(dir)));
    }

    @Test
    void withoutAMatchingSizeTakesAnySamAndAnyRobustSam(@TempDir Path dir) throws IOException {
        Path samB = place(dir, "sam_vit_b");
        Path robustH = place(dir, "robustsam_vit_h");
        assertEquals(new ModelPair(samB, robustH), ModelPair.defaults(registry, new ModelStore(dir)));
    }

    @Test
    void missingOrCorruptModelsLeaveTheirSideEmpty(@TempDir Path dir) throws IOException {
        Path samB = place(dir, "sam_vit_b");
        Files.writeString(dir.resolve("robustsam_checkpoint_b.pth"), "cut short");
        ModelPair p = ModelPair.defaults(registry, new ModelStore(dir));
        assertEquals(samB, p.left());
        assertNull(p.right(), "a corrupt RobustSAM file is not offered");
        ModelPair none = ModelPair.defaults(registry, new ModelStore(dir.resolve("empty")));
        assertNull(none.left());
        assertNull(none.right());
    }
}
