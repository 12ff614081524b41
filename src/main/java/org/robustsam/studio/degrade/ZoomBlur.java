package org.robustsam.studio.degrade;

import org.robustsam.studio.image.RgbImage;

/**
 * Zooming during the exposure: the mean of the image and copies of it enlarged about the centre by
 * 1, 1 + s, 1 + 2s, ... below a maximum factor. The centre stays sharp, the edges smear radially.
 * Reference ({@code augment.py zoom_blur}): albumentations {@code ZoomBlur(max_factor=1.33,
 * step_factor=(0.05, 0.07))}, maximum drawn from [1, 1.33]. When that draw falls below 1 + s the
 * reference returns the image unchanged; here the maximum starts at 1 + s so every image gets at
 * least one enlarged copy. Above the reference level the maximum starts at the level below's upper
 * end, so severity 4 and 5 always zoom further than 3 for the same seed.
 */
public final class ZoomBlur extends BaseDegradation {
    /**
     * Step range, the reference [0.05, 0.07] at every level: severity scales only the zoom's extent,
     * so for one seed a stronger level never averages fewer copies (a finer step at a low level used
     * to make a smoother smear than level 3's coarser ghosts).
     */
    static final Range[] STEP = {
        new Range(0.05, 0.07), new Range(0.05, 0.07), new Range(0.05, 0.07), new Range(0.05, 0.07), new Range(0.05, 0.07)};
    /** Upper end of the maximum zoom factor per severity 1..5; level 3 is the reference 1.33. */
    static final double[] MAX_FACTOR = {1.1, 1.2, 1.33, 1.5, 1.7};

    /** The drawn step and maximum; {@link #factors()} lists the zooms averaged (1.0 first). */
    public record Params(double step, double maxFactor) {
        public double[] factors() {
            int n = 0;
            while (1.0 + n * step < maxFactor) {
                n++;
            }
            double[] f = new double[n];
            for (int i = 0; i < n; i++) {
                f[i] = 1.0 + i * step;
            }
            return f;
        }
    }

    public ZoomBlur() {
        super("zoom_blur", "Zoom blur");
    }

    public Params params(int severity, long seed) {
        Degradation.checkSeverity(severity);
        return params(severity, seeds(seed));
    }

    private static Params params(int severity, Seeds seeds) {
        Rng rng = seeds.params();
        double step = Range.level(STEP, severity).at(rng.nextDouble());
        // Up to the reference level the maximum is drawn from [1 + step, MAX]; above it from the range
        // between the previous level's MAX and this one's, so that for every seed a stronger severity
        // zooms further (the same draw near 0 would otherwise give one copy at every level).
        double lo = severity > Degradation.REFERENCE_SEVERITY ? MAX_FACTOR[severity - 2] : 1.0 + step + 1e-6;
        double max = lo + rng.nextDouble() * Math.max(0, MAX_FACTOR[severity - 1] - lo);
        return new Params(step, max);
    }

    @Override
    RgbImage degrade(RgbImage image, int severity, Seeds seeds) {
        double[] factors = params(severity, seeds).factors();
        int w = image.width();
        int h = image.height();
        int[] src = image.pixels();
        Resize.Axis[] xs = new Resize.Axis[factors.length];
        Resize.Axis[] ys = new Resize.Axis[factors.length];
        for (int k = 0; k < factors.length; k++) {
            xs[k] = centralZoom(w, factors[k]);
            ys[k] = centralZoom(h, factors[k]);
        }
        int copies = factors.length + 1; // the image itself, then each zoom (the first zoom is 1.0)
        int[] out = new int[src.length];
        Parallel.rows(h, w, (from, to) -> {
            int[] sumR = new int[w];
            int[] sumG = new int[w];
            int[] sumB = new int[w];
            for (int y = from; y < to; y++) {
                int o = y * w;
                for (int x = 0; x < w; x++) {
                    int p = src[o + x];
                    sumR[x] = Pixels.red(p);
                    sumG[x] = Pixels.green(p);
                    sumB[x] = Pixels.blue(p);
                }
                for (int k = 0; k < factors.length; k++) {
                    Resize.Axis ax = xs[k];
                    Resize.Axis ay = ys[k];
                    int row0 = ay.i0()[y] * w;
                    int row1 = ay.i1()[y] * w;
                    float fy = ay.frac()[y];
                    for (int x = 0; x < w; x++) {
                        int a = src[row0 + ax.i0()[x]];
                        int b = src[row0 + ax.i1()[x]];
                        int c = src[row1 + ax.i0()[x]];
                        int d = src[row1 + ax.i1()[x]];
                        float fx = ax.frac()[x];
                        sumR[x] += lerp2(Pixels.red(a), Pixels.red(b), Pixels.red(c), Pixels.red(d), fx, fy);
                        sumG[x] += lerp2(Pixels.green(a), Pixels.green(b), Pixels.green(c), Pixels.green(d), fx, fy);
                        sumB[x] += lerp2(Pixels.blue(a), Pixels.blue(b), Pixels.blue(c), Pixels.blue(d), fx, fy);
                    }
                }
                int half = copies / 2;
                for (int x = 0; x < w; x++) {
                    out[o + x] = Pixels.pack((sumR[x] + half) / copies, (sumG[x] + half) / copies,
                            (sumB[x] + half) / copies);
                }
            }
        });
        return new RgbImage(w, h, out);
    }

    /** Sampling of an axis enlarged {@code zoom} times about its centre. */
    private static Resize.Axis centralZoom(int n, double zoom) {
        double centre = (n - 1) / 2.0;
        return Resize.Axis.of(n, n, centre - centre / zoom, 1.0 / zoom);
    }

    private static int lerp2(int a, int b, int c, int d, float fx, float fy) {
        float top = a + (b - a) * fx;
        float bottom = c + (d - c) * fx;
        return (int) (top + (bottom - top) * fy + 0.5f);
    }
}
