package org.robustsam.studio.train;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.robustsam.studio.annotate.mask.BinaryMask;
import org.robustsam.studio.degrade.DegradationBenchmark;
import org.robustsam.studio.image.RgbImage;
import org.robustsam.studio.inference.Engines;
import org.robustsam.studio.model.checkpoint.CheckpointException;
import org.robustsam.studio.model.checkpoint.StateDict;
import org.robustsam.studio.model.robustsam.RobustSam;
import org.robustsam.studio.model.sam.RandomSam;
import org.robustsam.studio.model.sam.SamConfig;

/**
 * Training speed as a job sees it: steps per second of {@link StepRunner}, the trainer's own step
 * (example, degraded copy encoded by the frozen ViT, teacher and student decoders, loss, backward,
 * clipping, AdamW), with a default job's settings (all degradations at severity 3, box or points,
 * batch 1, the reference's loss) on synthetic photos at the default training size (512 x 384, three
 * objects each). Clean-image encodings are cached before timing, as a job has them after its first
 * epoch. Weights are random (seeded) unless a checkpoint is given: speed does not depend on them.
 */
public final class TrainingBenchmark {
    /** Synthetic photos and their objects: enough for a few distinct examples, small enough to cache. */
    public static final int IMAGES = 2;
    public static final int WIDTH = 512;
    public static final int HEIGHT = 384;

    /**
     * @param stepsPerSecond one figure per timed run of {@code steps} steps
     * @param cleanEncodeSeconds the clean images' encodings (cached before timing), per image
     */
    public record Result(String model, String device, int warmupSteps, int steps, double[] stepsPerSecond,
            double cleanEncodeSeconds) {
        public double median() {
            double[] s = stepsPerSecond.clone();
            Arrays.sort(s);
            return s.length == 0 ? Double.NaN : s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        }
    }

    private TrainingBenchmark() {}

    /**
     * Times {@code runs} runs of {@code steps} steps after {@code warmupSteps} untimed ones.
     *
     * @param config the network's size
     * @param checkpoint a SAM or RobustSAM checkpoint of that size to start from; null for seeded random weights
     */
    public static Result run(SamConfig config, Path checkpoint, int warmupSteps, int steps, int runs, long seed)
            throws IOException {
        if (steps < 1 || runs < 1 || warmupSteps < 0) {
            throw new IllegalArgumentException("need steps >= 1, runs >= 1 and warm-up steps >= 0");
        }
        TrainingConfig job = new TrainingConfig();
        job.seed = seed;
        job.steps = warmupSteps + steps * runs;
        TrainingData data = TrainingData.ofImages(syntheticImages());
        ExampleMaker examples = new ExampleMaker(data, job);
        Path random = null;
        try (NDManager root = Engines.pytorch().newBaseManager()) {
            Path base = checkpoint;
            if (base == null) {
                random = Files.createTempFile("studio-bench-sam-" + config.name(), ".safetensors");
                RandomSam.write(config, seed, random);
                base = random;
            }
            String device = root.getDevice().toString() + ", " + Engines.describeDevice() + ", "
                    + JniUtils.getNumThreads() + " intra-op threads";
            try (RobustSam model = load(config, base, seed, root);
                 AdamW optimizer = new AdamW(model.robustParameters(), job.optimizer, root);
                 EncodingCache cache = new EncodingCache(root, (long) job.encoderCacheMb << 20)) {
                if (random != null) {
                    Files.deleteIfExists(random); // the weights are in memory now; the file was only their way in
                    random = null;
                }
                StepRunner runner = new StepRunner(model, optimizer, cache, data, examples, job, job.steps);
                long t0 = System.nanoTime();
                Trainer.noGrad(() -> {
                    for (int i = 0; i < IMAGES; i++) {
                        runner.cleanEncoding(i);
                    }
                });
                double cleanSeconds = (System.nanoTime() - t0) / 1e9 / IMAGES;
                int step = 0;
                for (; step < warmupSteps; step++) {
                    runner.step(step, root);
                }
                double[] rates = new double[runs];
                for (int r = 0; r < runs; r++) {
                    long start = System.nanoTime();
                    for (int i = 0; i < steps; i++, step++) {
                        runner.step(step, root);
                    }
                    rates[r] = steps / ((System.nanoTime() - start) / 1e9);
                }
                return new Result(config.name(), device, warmupSteps, steps, rates, cleanSeconds);
            }
        } catch (CheckpointException e) {
            throw new IOException(e.getMessage(), e);
        } finally {
            if (random != null) {
                Files.deleteIfExists(random);
            }
        }
    }

    private static RobustSam load(SamConfig config, Path file, long seed, NDManager root) throws CheckpointException {
        if (StateDict.readShapes(file).containsKey("mask_decoder.custom_robust_token.weight")) {
            return RobustSam.load(config, file, root);
        }
        return RobustSam.fromSamCheckpoint(config, file, seed, root);
    }

    /** The synthetic photo twice, with three objects each (an ellipse and two rectangles, placed differently). */
    static List<TrainingData.TrainingImage> syntheticImages() {
        List<TrainingData.TrainingImage> out = new ArrayList<>();
        for (int i = 0; i < IMAGES; i++) {
            RgbImage photo = DegradationBenchmark.syntheticPhoto(WIDTH, HEIGHT);
            List<BinaryMask> masks = List.of(
                    ellipse(WIDTH / 3 + 20 * i, HEIGHT / 2, 90, 70),
                    rectangle(WIDTH / 2 + 40, 40 + 10 * i, WIDTH - 30, HEIGHT / 3),
                    rectangle(30, HEIGHT - 120, 150 + 30 * i, HEIGHT - 20));
            out.add(new TrainingData.TrainingImage("synthetic-" + i, photo, masks, null, WIDTH, HEIGHT, List.of()));
        }
        return out;
    }

    private static BinaryMask ellipse(int cx, int cy, int rx, int ry) {
        BinaryMask m = new BinaryMask(WIDTH, HEIGHT);
        for (int y = Math.max(0, cy - ry); y < Math.min(HEIGHT, cy + ry + 1); y++) {
            for (int x = Math.max(0, cx - rx); x < Math.min(WIDTH, cx + rx + 1); x++) {
                double dx = (x - cx) / (double) rx;
                double dy = (y - cy) / (double) ry;
                if (dx * dx + dy * dy <= 1) {
                    m.set(x, y, true);
                }
            }
        }
        return m;
    }

    private static BinaryMask rectangle(int x0, int y0, int x1, int y1) {
        BinaryMask m = new BinaryMask(WIDTH, HEIGHT);
        for (int y = y0; y < y1; y++) {
            m.fillRow(y, x0, x1, true);
        }
        return m;
    }
}
