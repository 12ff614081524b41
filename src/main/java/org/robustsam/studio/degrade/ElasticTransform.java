package org.robustsam.studio.degrade;

import org.robustsam.studio.image.RgbImage;

/**
 * Rubber-sheet warping: a small random affine map plus a smooth random displacement field
 * {@code (dx, dy) = alpha * G_sigma * U(-1, 1)} (white noise smoothed by a Gaussian), sampled
 * bilinearly with mirrored borders. Reference ({@code augment.py elastic_transform}): albumentations
 * {@code ElasticTransform(alpha=100, sigma=10, alpha_affine=5)}: displacements of about 1.6 pixels
 * (standard deviation per axis), affine corners moved by up to 5 pixels. Differences: the Gaussian is
 * a three-box cascade rescaled to the true Gaussian's noise gain, and the affine map and the field
 * are composed into one resampling instead of two.
 */
public final class ElasticTransform extends BaseDegradation {
    /** Field amplitude alpha per severity 1..5; level 3 is the reference 100. */
    static final double[] ALPHA = {40, 70, 100, 140, 180};
    /** Affine corner jitter in pixels per severity 1..5; level 3 is the reference 5. */
    static final double[] ALPHA_AFFINE = {2, 3.5, 5, 7, 9};
    /** Smoothness of the field in pixels (the reference's 10 at every level). */
    static final double SIGMA = 10;

    public ElasticTransform() {
        super("elastic_transform", "Elastic transform");
    }

    /**
     * Expected standard deviation, per axis, of the elastic displacement in pixels at a severity:
     * {@code alpha * sqrt(1/3) * kernel energy} of a true Gaussian of width sigma in 2-D.
     */
    public static double expectedDisplacementStd(int severity) {
        Degradation.checkSeverity(severity);
        return ALPHA[severity - 1] * StrictMath.sqrt(1.0 / 3.0) * GaussianFilter.gaussianKernelEnergy(SIGMA);
    }

    @Override
    RgbImage degrade(RgbImage image, int severity, Seeds seeds) {
        int w = image.width();
        int h = image.height();
        double alpha = ALPHA[severity - 1];
        double jitter = ALPHA_AFFINE[severity - 1];

        // Affine part: three points around the centre each moved by U(-jitter, jitter) in x and y.
        // We need the inverse map (output -> source), i.e. the affine taking moved points back.
        Rng rng = seeds.params();
        double cx = w / 2.0;
        double cy = h / 2.0;
        double s = Math.min(w, h) / 3.0;
        double[][] src = {{cx + s, cy + s}, {cx + s, cy - s}, {cx - s, cy - s}};
        double[][] dst = new double[3][2];
        for (int i = 0; i < 3; i++) {
            dst[i][0] = src[i][0] + jitter * (2 * rng.nextDouble() - 1);
            dst[i][1] = src[i][1] + jitter * (2 * rng.nextDouble() - 1);
        }
        double[] inv = affineFromPoints(dst, src);

        // Scale so the box cascade has the noise gain of the reference's true Gaussian (per axis,
        // squared energies because the filter is applied along both axes).
        double gain = alpha * GaussianFilter.gaussianKernelEnergy(SIGMA) / GaussianFilter.kernelEnergy(SIGMA);
        float[] dx = smoothNoise(w, h, seeds, 0, gain);
        float[] dy = smoothNoise(w, h, seeds, 1, gain);

        int[] pixels = image.pixels();
        int[] out = new int[pixels.length];
        Parallel.rows(h, w, (from, to) -> {
            for (int y = from; y < to; y++) {
                for (int x = 0; x < w; x++) {
                    int i = y * w + x;
                    double px = x + dx[i];
                    double py = y + dy[i];
                    double sx = inv[0] * px + inv[1] * py + inv[2];
                    double sy = inv[3] * px + inv[4] * py + inv[5];
                    out[i] = sampleReflect(pixels, w, h, sx, sy);
                }
            }
        });
        return new RgbImage(w, h, out);
    }

    private static float[] smoothNoise(int w, int h, Seeds seeds, int stream, double gain) {
        float[] noise = new float[w * h];
        Parallel.rows(h, w, (from, to) -> {
            for (int y = from; y < to; y++) {
                Rng rng = seeds.row(stream, y);
                for (int i = y * w, end = i + w; i < end; i++) {
                    noise[i] = 2f * rng.nextFloat() - 1f;
                }
            }
        });
        float[] smooth = GaussianFilter.blur(noise, w, h, SIGMA);
        float g = (float) gain;
        for (int i = 0; i < smooth.length; i++) {
            smooth[i] *= g;
        }
        return smooth;
    }

    /** Bilinear sample of packed RGB at (sx, sy) with mirrored borders. */
    private static int sampleReflect(int[] px, int w, int h, double sx, double sy) {
        int x0 = (int) Math.floor(sx);
        int y0 = (int) Math.floor(sy);
        float fx = (float) (sx - x0);
        float fy = (float) (sy - y0);
        int xa;
        int xb;
        int ya;
        int yb;
        if (x0 >= 0 && x0 < w - 1 && y0 >= 0 && y0 < h - 1) { // interior: no mirroring needed
            xa = x0;
            xb = x0 + 1;
            ya = y0 * w;
            yb = ya + w;
        } else {
            xa = Pixels.reflect101(x0, w);
            xb = Pixels.reflect101(x0 + 1, w);
            ya = Pixels.reflect101(y0, h) * w;
            yb = Pixels.reflect101(y0 + 1, h) * w;
        }
        int a = px[ya + xa];
        int b = px[ya + xb];
        int c = px[yb + xa];
        int d = px[yb + xb];
        return Pixels.pack(lerp(Pixels.red(a), Pixels.red(b), Pixels.red(c), Pixels.red(d), fx, fy),
                lerp(Pixels.green(a), Pixels.green(b), Pixels.green(c), Pixels.green(d), fx, fy),
                lerp(Pixels.blue(a), Pixels.blue(b), Pixels.blue(c), Pixels.blue(d), fx, fy));
    }

    private static int lerp(int a, int b, int c, int d, float fx, float fy) {
        float top = a + (b - a) * fx;
        float bottom = c + (d - c) * fx;
        return (int) (top + (bottom - top) * fy + 0.5f);
    }

    /**
     * The affine map {m0 m1 m2; m3 m4 m5} taking each {@code from[i]} to {@code to[i]}: two 3x3
     * linear systems solved by Cramer's rule (the points are never collinear here).
     */
    static double[] affineFromPoints(double[][] from, double[][] to) {
        double x1 = from[0][0], y1 = from[0][1], x2 = from[1][0], y2 = from[1][1], x3 = from[2][0], y3 = from[2][1];
        double det = x1 * (y2 - y3) - y1 * (x2 - x3) + (x2 * y3 - x3 * y2);
        double[] m = new double[6];
        for (int row = 0; row < 2; row++) {
            double u1 = to[0][row], u2 = to[1][row], u3 = to[2][row];
            double a = (u1 * (y2 - y3) - y1 * (u2 - u3) + (u2 * y3 - u3 * y2)) / det;
            double b = (x1 * (u2 - u3) - u1 * (x2 - x3) + (x2 * u3 - x3 * u2)) / det;
            double c = (x1 * (y2 * u3 - y3 * u2) - y1 * (x2 * u3 - x3 * u2) + u1 * (x2 * y3 - x3 * y2)) / det;
            m[row * 3] = a;
            m[row * 3 + 1] = b;
            m[row * 3 + 2] = c;
        }
        return m;
    }
}
