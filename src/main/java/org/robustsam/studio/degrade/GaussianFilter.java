package org.robustsam.studio.degrade;

/**
 * Gaussian smoothing of float planes approximated by three box filters per axis (running sums, O(1)
 * per pixel whatever sigma), box widths after W. Wells, "Efficient synthesis of Gaussian filters by
 * cascaded uniform filters" (1986). Borders mirror without repeating the edge (BORDER_REFLECT_101).
 *
 * <p>Rows are filtered by one thread each and columns in column bands, each column top to bottom,
 * so every output value is computed by the same sequence of float operations whatever the thread
 * count: results are bit-identical everywhere.
 */
final class GaussianFilter {
    private GaussianFilter() {}

    /** Widths (odd) of the three boxes whose cascade has the variance of N(0, sigma^2). */
    static int[] boxWidths(double sigma) {
        int n = 3;
        double ideal = StrictMath.sqrt(12 * sigma * sigma / n + 1);
        int lower = (int) Math.floor(ideal);
        if (lower % 2 == 0) {
            lower--;
        }
        int upper = lower + 2;
        double m = (12 * sigma * sigma - n * lower * lower - 4.0 * n * lower - 3.0 * n) / (-4.0 * lower - 4);
        long boxesAtLower = Math.round(m);
        int[] widths = new int[n];
        for (int i = 0; i < n; i++) {
            widths[i] = Math.max(1, i < boxesAtLower ? lower : upper);
        }
        return widths;
    }

    /**
     * A smoothed copy of {@code plane} (w x h). Below sigma 2 the boxes would be too coarse, so a
     * sampled Gaussian (radius 3 sigma) is applied directly.
     */
    static float[] blur(float[] plane, int w, int h, double sigma) {
        if (sigma < 2) {
            return blurSmall(plane, w, h, sigma);
        }
        float[] a = plane.clone();
        float[] b = new float[plane.length];
        for (int width : boxWidths(sigma)) {
            int r = width / 2;
            horizontal(a, b, w, h, r);
            vertical(b, a, w, h, r);
        }
        return a;
    }

    /**
     * The sum of squared weights of the 1-D kernel of {@link #blur}: the factor by which it scales
     * the variance of white noise per axis. Lets callers match the noise level of a true Gaussian.
     */
    static double kernelEnergy(double sigma) {
        double[] k = {1.0};
        for (int width : boxWidths(sigma)) {
            double[] next = new double[k.length + width - 1];
            for (int i = 0; i < k.length; i++) {
                for (int j = 0; j < width; j++) {
                    next[i + j] += k[i] / width;
                }
            }
            k = next;
        }
        double e = 0;
        for (double v : k) {
            e += v * v;
        }
        return e;
    }

    /** Sum of squared weights of a sampled Gaussian truncated at 4 sigma (scipy's default). */
    static double gaussianKernelEnergy(double sigma) {
        int radius = (int) (4 * sigma + 0.5);
        double[] k = new double[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) {
            k[i + radius] = StrictMath.exp(-0.5 * i * i / (sigma * sigma));
            sum += k[i + radius];
        }
        double e = 0;
        for (double v : k) {
            e += (v / sum) * (v / sum);
        }
        return e;
    }

    private static float[] blurSmall(float[] plane, int w, int h, double sigma) {
        if (sigma <= 0) {
            return plane.clone();
        }
        int r = (int) Math.ceil(3 * sigma);
        float[] k = new float[2 * r + 1];
        double sum = 0;
        for (int i = -r; i <= r; i++) {
            sum += StrictMath.exp(-0.5 * i * i / (sigma * sigma));
        }
        for (int i = -r; i <= r; i++) {
            k[i + r] = (float) (StrictMath.exp(-0.5 * i * i / (sigma * sigma)) / sum);
        }
        float[] tmp = new float[plane.length];
        float[] out = new float[plane.length];
        Parallel.rows(h, w, (from, to) -> {
            for (int y = from; y < to; y++) {
                int base = y * w;
                for (int x = 0; x < w; x++) {
                    float acc = 0;
                    for (int i = -r; i <= r; i++) {
                        acc += k[i + r] * plane[base + Pixels.reflect101(x + i, w)];
                    }
                    tmp[base + x] = acc;
                }
            }
        });
        Parallel.rows(h, w, (from, to) -> {
            for (int y = from; y < to; y++) {
                int base = y * w;
                for (int x = 0; x < w; x++) {
                    float acc = 0;
                    for (int i = -r; i <= r; i++) {
                        acc += k[i + r] * tmp[Pixels.reflect101(y + i, h) * w + x];
                    }
                    out[base + x] = acc;
                }
            }
        });
        return out;
    }

    private static void horizontal(float[] src, float[] dst, int w, int h, int r) {
        float norm = 1f / (2 * r + 1);
        // Mirrored indices of the samples entering and leaving the window, once per pass.
        int[] enter = new int[w];
        int[] leave = new int[w];
        for (int x = 0; x < w; x++) {
            enter[x] = Pixels.reflect101(x + r + 1, w);
            leave[x] = Pixels.reflect101(x - r, w);
        }
        Parallel.rows(h, w, (from, to) -> {
            for (int y = from; y < to; y++) {
                int base = y * w;
                float sum = 0;
                for (int k = -r; k <= r; k++) {
                    sum += src[base + Pixels.reflect101(k, w)];
                }
                for (int x = 0; x < w; x++) {
                    dst[base + x] = sum * norm;
                    sum += src[base + enter[x]] - src[base + leave[x]];
                }
            }
        });
    }

    private static void vertical(float[] src, float[] dst, int w, int h, int r) {
        float norm = 1f / (2 * r + 1);
        int[] enter = new int[h];
        int[] leave = new int[h];
        for (int y = 0; y < h; y++) {
            enter[y] = Pixels.reflect101(y + r + 1, h) * w;
            leave[y] = Pixels.reflect101(y - r, h) * w;
        }
        // "rows" here are columns: each band of columns runs top to bottom on one thread.
        Parallel.rows(w, h, (c0, c1) -> {
            int n = c1 - c0;
            float[] sums = new float[n];
            for (int k = -r; k <= r; k++) {
                int base = Pixels.reflect101(k, h) * w + c0;
                for (int i = 0; i < n; i++) {
                    sums[i] += src[base + i];
                }
            }
            for (int y = 0; y < h; y++) {
                int out = y * w + c0;
                int add = enter[y] + c0;
                int sub = leave[y] + c0;
                for (int i = 0; i < n; i++) {
                    dst[out + i] = sums[i] * norm;
                    sums[i] += src[add + i] - src[sub + i];
                }
            }
        });
    }
}
