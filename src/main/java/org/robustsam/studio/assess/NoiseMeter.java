package org.robustsam.studio.assess;

import java.util.Arrays;

/**
 * Sensor-like noise by Immerkær's fast estimator (1996) made robust to image content: the mean
 * absolute response of the 3 x 3 mask {@code [1 -2 1; -2 4 -2; 1 -2 1]} (which cancels planes and
 * is {@code 6 sigma} for white noise) per 16 x 16 block, read in the blocks with the least
 * coarse structure. Coarse structure is the spread of a block's 4 x 4 sub-block means, which noise
 * barely moves (averaging 16 pixels divides it by four), so flat blocks are found as well in a
 * very noisy photo as in a clean one, and scattered pixels at edges (frosted glass) are not
 * mistaken for noise. Mostly clipped blocks are left out: clipping hides noise. Measured on luma
 * and on the two colour differences (ISO noise is mostly colour).
 */
final class NoiseMeter {
    static final int BLOCK = 16;
    private static final int SUB = 4;
    /** The flattest fifth of the blocks stand for "the flat parts of the photo". */
    static final double FLAT_FRACTION = 0.2;
    private static final double MEAN_ABS_TO_SIGMA = Math.sqrt(Math.PI / 2) / 6;

    /** Noise standard deviations in grey levels. */
    record Noise(double luma, double chroma) {}

    private NoiseMeter() {}

    static Noise measure(WorkingPlanes p) {
        double luma = sigma(p.y, p.y, p.width, p.height);
        double cu = sigma(p.u, p.y, p.width, p.height);
        double cv = sigma(p.v, p.y, p.width, p.height);
        return new Noise(luma, Math.sqrt((cu * cu + cv * cv) / 2));
    }

    /** Noise sigma of {@code plane}; {@code luma} decides which blocks are clipped. */
    static double sigma(float[] plane, float[] luma, int w, int h) {
        int bw = (w - 2) / BLOCK;
        int bh = (h - 2) / BLOCK;
        if (bw < 1 || bh < 1) {
            return 0;
        }
        double[] sigmas = new double[bw * bh];
        double[] structure = new double[bw * bh];
        double[] sub = new double[(BLOCK / SUB) * (BLOCK / SUB)];
        int n = 0;
        for (int by = 0; by < bh; by++) {
            for (int bx = 0; bx < bw; bx++) {
                double sum = 0;
                int clipped = 0;
                Arrays.fill(sub, 0);
                for (int k = 0; k < BLOCK; k++) {
                    int yy = 1 + by * BLOCK + k;
                    int row = yy * w;
                    int subRow = (k / SUB) * (BLOCK / SUB);
                    for (int j = 0; j < BLOCK; j++) {
                        int i = row + 1 + bx * BLOCK + j;
                        float l = luma[i];
                        if (l < 2f || l > 253f) {
                            clipped++;
                        }
                        float c = 4 * plane[i] - 2 * (plane[i - 1] + plane[i + 1] + plane[i - w] + plane[i + w])
                                + plane[i - w - 1] + plane[i - w + 1] + plane[i + w - 1] + plane[i + w + 1];
                        sum += Math.abs(c);
                        sub[subRow + j / SUB] += plane[i];
                    }
                }
                if (clipped >= BLOCK * BLOCK / 4) {
                    continue;
                }
                double mean = 0;
                for (double s : sub) {
                    mean += s;
                }
                mean /= sub.length;
                double spread = 0;
                for (double s : sub) {
                    spread += (s - mean) * (s - mean);
                }
                structure[n] = spread;
                sigmas[n] = sum / (BLOCK * BLOCK) * MEAN_ABS_TO_SIGMA;
                n++;
            }
        }
        if (n == 0) {
            return 0;
        }
        // The flattest blocks by coarse structure; their median residual is the noise.
        int take = Math.max(1, (int) Math.round(n * FLAT_FRACTION));
        double[] sorted = Arrays.copyOf(structure, n);
        Arrays.sort(sorted);
        double limit = sorted[take - 1];
        double[] flat = new double[n];
        int m = 0;
        for (int i = 0; i < n && m < take; i++) {
            if (structure[i] <= limit) {
                flat[m++] = sigmas[i];
            }
        }
        Arrays.sort(flat, 0, m);
        return flat[m / 2];
    }
}
