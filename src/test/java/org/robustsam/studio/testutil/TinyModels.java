package org.robustsam.studio.testutil;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import org.robustsam.studio.inference.Engines;
import org.robustsam.studio.model.robustsam.RobustSam;
import org.robustsam.studio.model.sam.RandomSam;
import org.robustsam.studio.model.sam.SamConfig;
import org.robustsam.studio.train.CheckpointStore;

/** Small random-weight checkpoints for tests that need a model of each family. */
public final class TinyModels {
    private TinyModels() {}

    /** A tiny SAM ({@code sam_tiny}). */
    public static Path sam(Path file, long seed) throws Exception {
        RandomSam.write(SamConfig.TINY, seed, file);
        return file;
    }

    /**
     * A tiny RobustSAM ({@code robustsam_tiny}): a random SAM with RobustSAM's modules freshly
     * initialised, saved in the official checkpoint format (as fine-tuning saves it).
     */
    public static Path robustSam(Path file, long seed) throws Exception {
        Path base = Files.createTempFile(file.toAbsolutePath().getParent(), "sam-base", ".safetensors");
        try {
            RandomSam.write(SamConfig.TINY, seed, base);
            try (NDManager m = Engines.pytorch().newBaseManager();
                 RobustSam model = RobustSam.fromSamCheckpoint(SamConfig.TINY, base, seed, m)) {
                CheckpointStore.writeModel(model, file);
            }
        } finally {
            Files.deleteIfExists(base);
        }
        return file;
    }
}
