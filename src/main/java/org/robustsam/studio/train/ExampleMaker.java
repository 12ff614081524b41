package org.robustsam.studio.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.robustsam.studio.annotate.mask.BinaryMask;
import org.robustsam.studio.annotate.mask.PixelBox;
import org.robustsam.studio.degrade.Degradations;
import org.robustsam.studio.image.RgbImage;

/**
 * Turns samples into training examples: the clean image, its degraded copy (a degradation and
 * severity drawn from the job's mix, or the clean image itself with {@code cleanFraction}), and the
 * prompt derived from the ground-truth mask (its box and/or positive points inside it, as the
 * reference's dataset draws {@code num_points} mask pixels).
 *
 * <p>Every draw is a pure function of the job seed and the example's position (step and slot, or
 * the validation index): the sample order of each epoch is a seeded shuffle, so a resumed job sees
 * exactly the examples the uninterrupted job would have, with no random state to carry over.
 */
public final class ExampleMaker {
    /** One example: which sample, the two images, the mask, the prompt in training-image pixels. */
    public record Example(TrainingData.Sample sample, RgbImage clean, RgbImage degraded, boolean degradedIsClean,
            String degradation, int severity, BinaryMask mask, double[] points, int[] labels, double[] box) {}

    private final TrainingData data;
    private final TrainingConfig config;
    private final List<String> degradations;
    private final int stepsPerEpoch;

    public ExampleMaker(TrainingData data, TrainingConfig config) {
        this.data = data;
        this.config = config;
        this.degradations = config.degradationIds();
        this.stepsPerEpoch = stepsPerEpoch(data.train().size(), config.batchSize);
    }

    /** Optimizer steps in one pass over the training samples (a last partial batch is dropped, as the reference's loader). */
    public static int stepsPerEpoch(int trainSamples, int batchSize) {
        return Math.max(1, trainSamples / batchSize);
    }

    public int stepsPerEpoch() {
        return stepsPerEpoch;
    }

    /** The epoch (0-based) a step belongs to. */
    public int epochOf(int step) {
        return step / stepsPerEpoch;
    }

    /** The training example in batch slot {@code slot} of optimizer step {@code step} (both 0-based). */
    public Example trainExample(int step, int slot) {
        List<TrainingData.Sample> train = data.train();
        int epoch = epochOf(step);
        int[] order = epochOrder(epoch);
        int within = ((step % stepsPerEpoch) * config.batchSize + slot) % train.size();
        TrainingData.Sample s = train.get(order[within]);
        return make(s, new SplittableRandom(mix(config.seed, 0x7472L, step, slot)));
    }

    /** The fixed example of validation sample {@code index}: the same degradation and prompt at every evaluation. */
    public Example validationExample(int index) {
        return make(data.validation().get(index), new SplittableRandom(mix(config.seed, 0x76616cL, index, 0)));
    }

    private int[] epochOrder(int epoch) {
        int n = data.train().size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom r = new SplittableRandom(mix(config.seed, 0x6570L, epoch, 0));
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    private Example make(TrainingData.Sample s, SplittableRandom r) {
        TrainingData.TrainingImage img = data.image(s.image());
        BinaryMask mask = img.masks().get(s.object());
        // degradation
        boolean clean = r.nextDouble() < config.degradation.cleanFraction;
        String type = degradations.get(r.nextInt(degradations.size()));
        List<Integer> sev = config.degradation.severities;
        int severity = sev.get(r.nextInt(sev.size()));
        long degradationSeed = r.nextLong();
        RgbImage degraded = clean ? img.image() : Degradations.get(type).apply(img.image(), severity, degradationSeed);
        // prompt
        TrainingConfig.PromptConfig p = config.prompts;
        boolean useBox = p.box;
        boolean usePoints = p.points > 0;
        boolean pickBox = r.nextBoolean();
        if (useBox && usePoints && p.mode.toLowerCase(Locale.ROOT).equals("random")) {
            useBox = pickBox;
            usePoints = !pickBox;
        }
        double[] box = useBox ? box(mask, p.boxNoise, r) : null;
        double[] points = null;
        int[] labels = null;
        if (usePoints) {
            points = points(mask, p.points, r);
            labels = new int[p.points];
            java.util.Arrays.fill(labels, 1);
        }
        return new Example(s, img.image(), degraded, clean, clean ? "clean" : type, clean ? 0 : severity, mask, points,
                labels, box);
    }

    /** The mask's box (x0, y0, x1, y1 in pixel edges), each corner moved by up to {@code noise} of the box side. */
    static double[] box(BinaryMask mask, double noise, SplittableRandom r) {
        PixelBox b = mask.bbox();
        double x0 = b.x();
        double y0 = b.y();
        double x1 = b.x() + b.width();
        double y1 = b.y() + b.height();
        if (noise > 0) {
            double dx = noise * b.width();
            double dy = noise * b.height();
            x0 = clamp(x0 + (2 * r.nextDouble() - 1) * dx, 0, mask.width());
            x1 = clamp(x1 + (2 * r.nextDouble() - 1) * dx, 0, mask.width());
            y0 = clamp(y0 + (2 * r.nextDouble() - 1) * dy, 0, mask.height());
            y1 = clamp(y1 + (2 * r.nextDouble() - 1) * dy, 0, mask.height());
            if (x1 < x0) {
                double t = x0;
                x0 = x1;
                x1 = t;
            }
            if (y1 < y0) {
                double t = y0;
                y0 = y1;
                y1 = t;
            }
        }
        return new double[] {x0, y0, x1, y1};
    }

    /**
     * {@code n} distinct mask pixels (x, y as pixel indices, as the reference's {@code get_prompt}),
     * repeated when the mask has fewer.
     */
    static double[] points(BinaryMask mask, int n, SplittableRandom r) {
        List<int[]> inside = new ArrayList<>();
        for (int y = 0; y < mask.height(); y++) {
            for (int x = 0; x < mask.width(); x++) {
                if (mask.get(x, y)) {
                    inside.add(new int[] {x, y});
                }
            }
        }
        double[] out = new double[2 * n];
        int k = inside.size();
        for (int i = 0; i < n; i++) {
            int pick;
            if (k >= n) {
                pick = i + r.nextInt(k - i); // partial Fisher-Yates: distinct picks
                int[] t = inside.get(i);
                inside.set(i, inside.get(pick));
                inside.set(pick, t);
                pick = i;
            } else {
                pick = Math.min(i, k - 1);
            }
            out[2 * i] = inside.get(pick)[0];
            out[2 * i + 1] = inside.get(pick)[1];
        }
        return out;
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    /** SplitMix64 finaliser over the seed and a position: independent streams per (purpose, a, b). */
    static long mix(long seed, long purpose, long a, long b) {
        long z = seed;
        for (long v : new long[] {purpose, a, b}) {
            z += 0x9E3779B97F4A7C15L + v * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            z ^= z >>> 31;
        }
        return z;
    }
}
