package org.robustsam.studio.degrade;

/**
 * Averages every pixel over a straight, one-pixel-wide line of {@code length} samples: the motion
 * blur kernel, in O(1) per pixel whatever the length. The line is rasterised by shearing: along the
 * primary axis (the one closer to the line) each step moves the other coordinate by
 * {@code round(t * slope)}, and running column sums over the sheared rows give each output.
 * Integer sums make the result exact and independent of how rows are split over threads.
 * Samples beyond the border repeat the edge pixel.
 */
final class LineBlur {
    private LineBlur() {}

    /**
     * @param plane values of one channel, w x h, row-major
     * @param length samples on the line (>= 1)
     * @param start offset of the first sample along the line: {@code -(length-1)/2} centres it,
     *              0 makes a trail in +direction
     * @param dx direction x (right), any length
     * @param dy direction y (down)
     */
    static int[] blur(int[] plane, int w, int h, int length, int start, double dx, double dy) {
        if (length <= 1) {
            return plane.clone();
        }
        if (dy == 0) {
            return horizontal(plane, w, h, length, dx > 0 ? start : -(start + length - 1));
        }
        if (Math.abs(dy) >= Math.abs(dx)) {
            int sign = dy >= 0 ? 1 : -1;
            return blurMostlyVertical(plane, w, h, length, start, sign * dx / Math.abs(dy), sign);
        }
        int sign = dx >= 0 ? 1 : -1;
        int[] t = transpose(plane, w, h);
        int[] blurred = blurMostlyVertical(t, h, w, length, start, sign * dy / Math.abs(dx), sign);
        return transpose(blurred, h, w);
    }

    /**
     * Lines whose step is one row: sample t of output (x, y) is at row {@code y + dir*(start+t)},
     * column {@code x + shift(row) - shift(y)} with {@code shift(r) = round(r * slope)}, |slope| <= 1.
     */
    private static int[] blurMostlyVertical(int[] src, int w, int h, int length, int start, double slope, int dir) {
        // Column c of the sheared image holds pixel (c + shift(r), r) in row r.
        int shiftFirst = shift(0, slope);
        int shiftLast = shift(h - 1, slope);
        int minShift = Math.min(shiftFirst, shiftLast);
        int maxShift = Math.max(shiftFirst, shiftLast);
        int cMin = -maxShift;
        int columns = w + (maxShift - minShift);
        int[] out = new int[w * h];
        int half = length / 2;
        // The window of output row y is the row interval [y + lo, y + lo + length - 1] (its order
        // along the line does not matter for a sum).
        int lo = dir > 0 ? start : -(start + length - 1);
        Parallel.rows(h, w, (from, to) -> {
            long[] sums = new long[columns];
            for (int t = 0; t < length; t++) {
                addRow(src, w, h, sums, cMin, from + lo + t, slope, 1);
            }
            for (int y = from; y < to; y++) {
                int base = y * w;
                int offset = -shift(y, slope) - cMin;
                for (int x = 0; x < w; x++) {
                    out[base + x] = (int) ((sums[x + offset] + half) / length);
                }
                if (y + 1 < to) {
                    addRow(src, w, h, sums, cMin, y + lo, slope, -1);
                    addRow(src, w, h, sums, cMin, y + lo + length, slope, 1);
                }
            }
        });
        return out;
    }

    /** The horizontal case without transposing: window [x + lo, x + lo + length - 1] per row. */
    private static int[] horizontal(int[] src, int w, int h, int length, int lo) {
        int[] out = new int[w * h];
        int half = length / 2;
        Parallel.rows(h, w, (from, to) -> {
            for (int y = from; y < to; y++) {
                int base = y * w;
                long sum = 0;
                for (int t = 0; t < length; t++) {
                    sum += src[base + Pixels.clamp(lo + t, 0, w - 1)];
                }
                for (int x = 0; x < w; x++) {
                    out[base + x] = (int) ((sum + half) / length);
                    sum += src[base + Pixels.clamp(x + lo + length, 0, w - 1)] - src[base + Pixels.clamp(x + lo, 0, w - 1)];
                }
            }
        });
        return out;
    }

    private static void addRow(int[] src, int w, int h, long[] sums, int cMin, int row, double slope, int sign) {
        int s = shift(row, slope);
        int base = Pixels.clamp(row, 0, h - 1) * w;
        for (int k = 0; k < sums.length; k++) {
            int x = k + cMin + s;
            int v = src[base + (x < 0 ? 0 : (x >= w ? w - 1 : x))];
            sums[k] += sign * v;
        }
    }

    private static int shift(int row, double slope) {
        return (int) Math.floor(row * slope + 0.5);
    }

    /** h x w transpose of a w x h plane, in 32 x 32 blocks for the cache. */
    static int[] transpose(int[] src, int w, int h) {
        int[] out = new int[src.length];
        for (int by = 0; by < h; by += 32) {
            int ey = Math.min(h, by + 32);
            for (int bx = 0; bx < w; bx += 32) {
                int ex = Math.min(w, bx + 32);
                for (int y = by; y < ey; y++) {
                    for (int x = bx; x < ex; x++) {
                        out[x * h + y] = src[y * w + x];
                    }
                }
            }
        }
        return out;
    }
}
