package org.robustsam.studio.assess;

import org.robustsam.studio.image.RgbImage;

/**
 * JPEG's 8 x 8 block grid: the mean absolute luma step between columns (rows) x and x + 1,
 * grouped by x mod 8. In a compressed photo one phase (the block boundary) stands out; the result
 * is that phase's mean step over the median of the eight (about 1 without blocks). The phase is
 * searched, so a grid shifted by cropping or rotation is found too. Measured on the full-resolution
 * pixels (the grid does not survive resizing), in a window of at most 1024 x 1024 from the top left.
 */
final class BlockinessMeter {
    static final int WINDOW = 1024;

    /** Blockiness of columns and of rows. */
    record Blockiness(double horizontal, double vertical) {
        double combined() {
            return Math.sqrt(horizontal * vertical);
        }
    }

    private BlockinessMeter() {}

    static Blockiness measure(RgbImage image) {
        int w = Math.min(image.width(), WINDOW);
        int h = Math.min(image.height(), WINDOW);
        int stride = image.width();
        int[] px = image.pixels();
        double[] col = new double[8];
        double[] row = new double[8];
        int[] prev = new int[w];
        int[] cur = new int[w];
        for (int y = 0; y < h; y++) {
            int o = y * stride;
            for (int x = 0; x < w; x++) {
                int q = px[o + x];
                cur[x] = 77 * ((q >> 16) & 0xFF) + 150 * ((q >> 8) & 0xFF) + 29 * (q & 0xFF); // luma x 256
            }
            for (int x = 0; x + 1 < w; x++) {
                col[x & 7] += Math.abs(cur[x + 1] - cur[x]);
            }
            if (y > 0) {
                double s = 0;
                for (int x = 0; x < w; x++) {
                    s += Math.abs(cur[x] - prev[x]);
                }
                row[(y - 1) & 7] += s;
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return new Blockiness(standOut(col), standOut(row));
    }

    /** The largest phase over the median phase; 1 when nothing stands out or there is nothing to see. */
    static double standOut(double[] phases) {
        double[] s = phases.clone();
        java.util.Arrays.sort(s);
        double median = (s[3] + s[4]) / 2;
        return median <= 0 ? 1.0 : s[7] / median;
    }
}
