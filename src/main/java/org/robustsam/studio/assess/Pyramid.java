package org.robustsam.studio.assess;

/** Halvings of a plane by 2 x 2 averaging: level 0 is the plane itself. */
final class Pyramid {
    final float[][] planes;
    final int[] widths;
    final int[] heights;

    private Pyramid(float[][] planes, int[] widths, int[] heights) {
        this.planes = planes;
        this.widths = widths;
        this.heights = heights;
    }

    /** Up to {@code levels} levels, fewer when the plane gets too small (under 16 px a side). */
    static Pyramid of(float[] plane, int w, int h, int levels) {
        float[][] planes = new float[levels][];
        int[] ws = new int[levels];
        int[] hs = new int[levels];
        planes[0] = plane;
        ws[0] = w;
        hs[0] = h;
        int n = 1;
        while (n < levels && ws[n - 1] / 2 >= 16 && hs[n - 1] / 2 >= 16) {
            planes[n] = halve(planes[n - 1], ws[n - 1], hs[n - 1]);
            ws[n] = ws[n - 1] / 2;
            hs[n] = hs[n - 1] / 2;
            n++;
        }
        return new Pyramid(java.util.Arrays.copyOf(planes, n), java.util.Arrays.copyOf(ws, n), java.util.Arrays.copyOf(hs, n));
    }

    int levels() {
        return planes.length;
    }

    static float[] halve(float[] src, int w, int h) {
        int hw = w / 2;
        int hh = h / 2;
        float[] out = new float[hw * hh];
        for (int y = 0; y < hh; y++) {
            int a = 2 * y * w;
            int b = a + w;
            int o = y * hw;
            for (int x = 0; x < hw; x++) {
                int i = 2 * x;
                out[o + x] = 0.25f * (src[a + i] + src[a + i + 1] + src[b + i] + src[b + i + 1]);
            }
        }
        return out;
    }
}
