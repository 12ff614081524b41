package org.robustsam.studio.eval;

/**
 * Exact Euclidean distance transform of a binary grid (Felzenszwalb and Huttenlocher, "Distance
 * Transforms of Sampled Functions", 2012): for every cell, the squared distance in cells to the
 * nearest feature cell. Two passes of the 1-D lower envelope of parabolas, O(width x height).
 *
 * <p>Squared distances between cell centres are whole numbers, so results are exact (no rounding)
 * and ties can be broken deterministically by the callers.
 */
public final class DistanceTransform {
    /** Squared distance reported where the grid holds no feature at all. */
    public static final double NO_FEATURE = Double.POSITIVE_INFINITY;

    private DistanceTransform() {}

    /**
     * @param feature row-major, {@code width x height}; true cells are at distance 0
     * @return row-major squared distances to the nearest true cell ({@link #NO_FEATURE} if none)
     */
    public static double[] squared(boolean[] feature, int width, int height) {
        if (feature.length != width * height) {
            throw new IllegalArgumentException("grid " + width + "x" + height + " needs " + width * height
                    + " cells, got " + feature.length);
        }
        double[] d = new double[feature.length];
        int n = Math.max(width, height);
        double[] f = new double[n];
        double[] out = new double[n];
        int[] v = new int[n];
        double[] z = new double[n + 1];
        // Columns first: distance along y to the nearest feature in the same column.
        for (int x = 0; x < width; x++) {
            for (int y = 0; y < height; y++) {
                f[y] = feature[y * width + x] ? 0 : NO_FEATURE;
            }
            transform1d(f, height, out, v, z);
            for (int y = 0; y < height; y++) {
                d[y * width + x] = out[y];
            }
        }
        // Then rows, on the column results.
        for (int y = 0; y < height; y++) {
            System.arraycopy(d, y * width, f, 0, width);
            transform1d(f, width, out, v, z);
            System.arraycopy(out, 0, d, y * width, width);
        }
        return d;
    }

    /** 1-D squared distance transform of sampled function {@code f[0..n)} into {@code out}. */
    private static void transform1d(double[] f, int n, double[] out, int[] v, double[] z) {
        int k = -1;
        for (int q = 0; q < n; q++) {
            if (f[q] == NO_FEATURE) {
                continue;
            }
            if (k < 0) {
                k = 0;
                v[0] = q;
                z[0] = Double.NEGATIVE_INFINITY;
                z[1] = Double.POSITIVE_INFINITY;
                continue;
            }
            double s = intersection(f, v[k], q);
            while (s <= z[k]) {
                k--;
                if (k < 0) {
                    break;
                }
                s = intersection(f, v[k], q);
            }
            k++;
            v[k] = q;
            z[k] = k == 0 ? Double.NEGATIVE_INFINITY : s;
            z[k + 1] = Double.POSITIVE_INFINITY;
        }
        if (k < 0) {
            java.util.Arrays.fill(out, 0, n, NO_FEATURE);
            return;
        }
        int j = 0;
        for (int q = 0; q < n; q++) {
            while (z[j + 1] < q) {
                j++;
            }
            double dq = q - v[j];
            out[q] = dq * dq + f[v[j]];
        }
    }

    /** Where the parabolas rooted at {@code p} and {@code q} (p < q) intersect. */
    private static double intersection(double[] f, int p, int q) {
        return ((f[q] + (double) q * q) - (f[p] + (double) p * p)) / (2.0 * q - 2.0 * p);
    }
}
