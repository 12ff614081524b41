package org.robustsam.studio.hardening;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import org.robustsam.studio.inference.Engines;
import org.robustsam.studio.model.robustsam.RobustSam;
import org.robustsam.studio.model.sam.SamConfig;
import org.robustsam.studio.train.AdamW;
import org.robustsam.studio.train.CheckpointStore;
import org.robustsam.studio.train.TrainingConfig;

/**
 * Saves fine-tuning checkpoints of a tiny RobustSAM over and over (steps 1, 2, 3, 1, 2, 3, ... so
 * existing steps are saved again and old ones pruned), printing "SAVED step" after each, until the
 * hardening suite kills it. Arguments: a tiny SAM checkpoint, the job's output folder.
 */
public final class CheckpointCrashChild {
    private CheckpointCrashChild() {}

    public static void main(String[] args) throws Exception {
        Path sam = Path.of(args[0]);
        Path out = Path.of(args[1]);
        try (NDManager root = Engines.pytorch().newBaseManager();
             RobustSam model = RobustSam.fromSamCheckpoint(SamConfig.TINY, sam, 3, root);
             AdamW optimizer = new AdamW(model.robustParameters(), new TrainingConfig.OptimizerConfig(), root)) {
            CheckpointStore store = new CheckpointStore(out, 2);
            System.out.println("READY");
            for (int i = 0; ; i++) {
                int step = i % 3 + 1;
                store.save(model, optimizer, new CheckpointStore.State(step, i, 3, 3, null));
                System.out.println("SAVED " + step);
            }
        }
    }
}
