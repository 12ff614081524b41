package org.robustsam.studio.degrade;

/**
 * Smooth random fields for clouds and fog: value noise (random lattice values, smoothstep
 * interpolation) summed over octaves with amplitude {@code cells^exponent}, a cheap stand-in for
 * imgaug's {@code FrequencyNoise} (1/f^e spectrum). Fields are small (a few hundred pixels a side)
 * and drawn sequentially from one stream; callers enlarge them bilinearly.
 */
final class SmoothNoise {
    private SmoothNoise() {}

    /** Value noise on a cellsX x cellsY lattice, sampled w x h, values in [-1, 1]. */
    static float[] lattice(int w, int h, int cellsX, int cellsY, Rng rng) {
        float[] grid = new float[(cellsX + 1) * (cellsY + 1)];
        for (int i = 0; i < grid.length; i++) {
            grid[i] = (float) (2 * rng.nextDouble() - 1);
        }
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) {
            double gy = (y + 0.5) * cellsY / h;
            int y0 = Math.min((int) gy, cellsY - 1);
            float ty = smooth((float) (gy - y0));
            for (int x = 0; x < w; x++) {
                double gx = (x + 0.5) * cellsX / w;
                int x0 = Math.min((int) gx, cellsX - 1);
                float tx = smooth((float) (gx - x0));
                int i = y0 * (cellsX + 1) + x0;
                float top = grid[i] + (grid[i + 1] - grid[i]) * tx;
                float bottom = grid[i + cellsX + 1] + (grid[i + cellsX + 2] - grid[i + cellsX + 1]) * tx;
                out[y * w + x] = top + (bottom - top) * ty;
            }
        }
        return out;
    }

    /**
     * Octaves of value noise with {@code baseCells, 2 baseCells, ...} cells along the longer side
     * (while at most {@code maxCells}), weighted {@code cells^exponent}, then scaled to [0, 1].
     */
    static float[] fractal(int w, int h, int baseCells, int maxCells, double exponent, Rng rng) {
        float[] sum = new float[w * h];
        int longer = Math.max(w, h);
        for (int cells = baseCells; cells <= maxCells; cells *= 2) {
            int cx = Math.max(1, (int) Math.round((double) cells * w / longer));
            int cy = Math.max(1, (int) Math.round((double) cells * h / longer));
            float amp = (float) StrictMath.pow(cells, exponent);
            float[] octave = lattice(w, h, cx, cy, rng);
            for (int i = 0; i < sum.length; i++) {
                sum[i] += amp * octave[i];
            }
        }
        return normalise(sum);
    }

    /** Min-max scaling to [0, 1] (a constant field becomes 0.5). */
    static float[] normalise(float[] v) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float f : v) {
            min = Math.min(min, f);
            max = Math.max(max, f);
        }
        float range = max - min;
        for (int i = 0; i < v.length; i++) {
            v[i] = range > 0 ? (v[i] - min) / range : 0.5f;
        }
        return v;
    }

    private static float smooth(float t) {
        return t * t * (3f - 2f * t);
    }
}
