package org.robustsam.studio.degrade;

import org.robustsam.studio.image.RgbImage;

/**
 * Camera sensor noise after albumentations {@code ISONoise}: in HLS, every pixel's hue moves by
 * {@code N(0, colorShift * 360 * intensity)} degrees and its lightness rises by
 * {@code n / 255 * (1 - L)} with {@code n ~ Poisson(std(L) * intensity * 255)}, std taken over the
 * whole image. Reference ({@code augment.py ISO_noise}): colour shift [0.4, 0.5], intensity
 * [0.7, 0.8]. Poisson samples are exact (inverse CDF), not a normal approximation.
 */
public final class IsoNoise extends BaseDegradation {
    /** Colour shift range per severity 1..5; level 3 is the reference [0.4, 0.5]. */
    static final Range[] COLOR_SHIFT = {
        new Range(0.05, 0.1), new Range(0.2, 0.3), new Range(0.4, 0.5), new Range(0.55, 0.65), new Range(0.7, 0.8)};
    /** Intensity range per severity 1..5; level 3 is the reference [0.7, 0.8]. */
    static final Range[] INTENSITY = {
        new Range(0.2, 0.3), new Range(0.45, 0.55), new Range(0.7, 0.8), new Range(0.9, 1.0), new Range(1.1, 1.2)};

    /** The drawn parameters of one call. */
    public record Params(double colorShift, double intensity) {
        /** Standard deviation of the hue noise in degrees. */
        public double hueSigmaDegrees() {
            return colorShift * 360 * intensity;
        }
    }

    public IsoNoise() {
        super("iso_noise", "ISO noise");
    }

    public Params params(int severity, long seed) {
        Degradation.checkSeverity(severity);
        return params(severity, seeds(seed));
    }

    private static Params params(int severity, Seeds seeds) {
        Rng rng = seeds.params();
        double cs = Range.level(COLOR_SHIFT, severity).at(rng.nextDouble());
        double in = Range.level(INTENSITY, severity).at(rng.nextDouble());
        return new Params(cs, in);
    }

    @Override
    RgbImage degrade(RgbImage image, int severity, Seeds seeds) {
        Params p = params(severity, seeds);
        int w = image.width();
        int h = image.height();
        int[] src = image.pixels();
        // Lightness statistics from integers (L = (max + min) / 510): exact, so the same on any
        // thread split, and no per-pixel HLS arrays are kept.
        long[] rowSum = new long[h];
        long[] rowSq = new long[h];
        Parallel.rows(h, w, (from, to) -> {
            for (int y = from; y < to; y++) {
                long s = 0;
                long sq = 0;
                for (int i = y * w, end = i + w; i < end; i++) {
                    int px = src[i];
                    int r = Pixels.red(px);
                    int g = Pixels.green(px);
                    int b = Pixels.blue(px);
                    int l2 = Math.max(r, Math.max(g, b)) + Math.min(r, Math.min(g, b));
                    s += l2;
                    sq += (long) l2 * l2;
                }
                rowSum[y] = s;
                rowSq[y] = sq;
            }
        });
        long sum = 0;
        long sumSq = 0;
        for (int y = 0; y < h; y++) {
            sum += rowSum[y];
            sumSq += rowSq[y];
        }
        double n = src.length;
        double mean = sum / n;
        double std = StrictMath.sqrt(Math.max(0, sumSq / n - mean * mean)) / 510.0;
        double[] poissonCdf = poissonCdf(std * p.intensity() * 255);
        int[] guide = guideTable(poissonCdf);
        float hueSigma = (float) p.hueSigmaDegrees();

        int[] out = new int[src.length];
        Parallel.rows(h, w, (from, to) -> {
            float[] hls = new float[3];
            float[] rgb = new float[3];
            for (int y = from; y < to; y++) {
                Rng rng = seeds.row(0, y);
                for (int i = y * w, end = i + w; i < end; i++) {
                    int px = src[i];
                    ColorSpace.rgbToHls(Pixels.red(px) / 255f, Pixels.green(px) / 255f, Pixels.blue(px) / 255f, hls);
                    int k = samplePoisson(poissonCdf, guide, rng.nextDouble());
                    float dh = (float) rng.nextGaussian() * hueSigma;
                    float l = hls[1];
                    l += k / 255f * (1f - l);
                    ColorSpace.hlsToRgb(ColorSpace.wrapDegrees(hls[0] + dh), l, hls[2], rgb);
                    out[i] = Pixels.pack(Pixels.toByte(rgb[0] * 255f), Pixels.toByte(rgb[1] * 255f), Pixels.toByte(rgb[2] * 255f));
                }
            }
        });
        return new RgbImage(w, h, out);
    }

    /** Cumulative Poisson probabilities P(X <= k), up to where the tail is below 1e-12. */
    static double[] poissonCdf(double lambda) {
        if (lambda <= 0) {
            return new double[] {1.0};
        }
        int max = (int) (lambda + 12 * StrictMath.sqrt(lambda) + 30);
        double[] cdf = new double[max + 1];
        // Start from the log-pmf at 0 so large lambda does not underflow exp(-lambda) too early.
        double logPmf = -lambda;
        double acc = 0;
        for (int k = 0; k <= max; k++) {
            if (k > 0) {
                logPmf += StrictMath.log(lambda / k);
            }
            acc += StrictMath.exp(logPmf);
            cdf[k] = acc;
        }
        cdf[max] = Double.POSITIVE_INFINITY; // the rest of the tail folds into the last value
        return cdf;
    }

    private static final int GUIDE_SIZE = 1024;

    /** guide[j] = the smallest k with cdf[k] > j / GUIDE_SIZE: where the search for u starts. */
    static int[] guideTable(double[] cdf) {
        int[] guide = new int[GUIDE_SIZE];
        int k = 0;
        for (int j = 0; j < GUIDE_SIZE; j++) {
            double u = (double) j / GUIDE_SIZE;
            while (cdf[k] <= u) {
                k++;
            }
            guide[j] = k;
        }
        return guide;
    }

    /** The smallest k with cdf[k] > u (inverse CDF), starting from the guide table: O(1) on average. */
    static int samplePoisson(double[] cdf, int[] guide, double u) {
        int k = guide[(int) (u * GUIDE_SIZE)];
        while (cdf[k] <= u) {
            k++;
        }
        return k;
    }
}
