package org.robustsam.studio.degrade;

import org.robustsam.studio.image.RgbImage;

/**
 * Additive white Gaussian noise, independent per pixel and channel:
 * {@code out = clip(in + N(0, var))}. Reference ({@code augment.py gauss_noise}): albumentations
 * {@code GaussNoise(var_limit=(250, 260), per_channel=True)}, i.e. a standard deviation near 16
 * grey levels.
 */
public final class GaussianNoise extends BaseDegradation {
    /** Variance range (grey levels squared) per severity 1..5; level 3 is the reference [250, 260]. */
    static final Range[] VARIANCE = {
        new Range(40, 50), new Range(120, 130), new Range(250, 260), new Range(500, 520), new Range(900, 950)};

    public GaussianNoise() {
        super("gauss_noise", "Gaussian noise");
    }

    /** The noise variance used for this severity and seed. */
    public double variance(int severity, long seed) {
        Degradation.checkSeverity(severity);
        return variance(severity, seeds(seed));
    }

    private static double variance(int severity, Seeds seeds) {
        return Range.level(VARIANCE, severity).at(seeds.params().nextDouble());
    }

    @Override
    RgbImage degrade(RgbImage image, int severity, Seeds seeds) {
        double sigma = StrictMath.sqrt(variance(severity, seeds));
        int w = image.width();
        int[] src = image.pixels();
        int[] out = new int[src.length];
        Parallel.rows(image.height(), w, (from, to) -> {
            for (int y = from; y < to; y++) {
                Rng rng = seeds.row(0, y);
                for (int i = y * w, end = i + w; i < end; i++) {
                    int p = src[i];
                    int r = Pixels.toByte(Pixels.red(p) + sigma * rng.nextGaussian());
                    int g = Pixels.toByte(Pixels.green(p) + sigma * rng.nextGaussian());
                    int b = Pixels.toByte(Pixels.blue(p) + sigma * rng.nextGaussian());
                    out[i] = Pixels.pack(r, g, b);
                }
            }
        });
        return new RgbImage(w, image.height(), out);
    }
}
