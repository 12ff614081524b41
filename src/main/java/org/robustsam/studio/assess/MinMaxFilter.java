package org.robustsam.studio.assess;

/**
 * Running minimum and maximum over square windows, separably, by van Herk and Gil–Werman's
 * method: three comparisons per pixel whatever the window. Beyond the border the window is cut.
 */
final class MinMaxFilter {
    private MinMaxFilter() {}

    static float[] erode(float[] src, int w, int h, int size) {
        return filter(src, w, h, size, true);
    }

    static float[] dilate(float[] src, int w, int h, int size) {
        return filter(src, w, h, size, false);
    }

    /** Erosion then dilation: bright details smaller than the window removed. */
    static float[] open(float[] src, int w, int h, int size) {
        return dilate(erode(src, w, h, size), w, h, size);
    }

    /** Dilation then erosion: dark details smaller than the window removed. */
    static float[] close(float[] src, int w, int h, int size) {
        return erode(dilate(src, w, h, size), w, h, size);
    }

    private static float[] filter(float[] src, int w, int h, int size, boolean min) {
        float[] tmp = new float[src.length];
        int longest = Math.max(w, h);
        Line line = new Line(longest, size, min);
        for (int y = 0; y < h; y++) {
            line.run(src, y * w, 1, w, tmp);
        }
        float[] out = new float[src.length];
        for (int x = 0; x < w; x++) {
            line.run(tmp, x, w, h, out);
        }
        return out;
    }

    /** One row or column at a time, with buffers reused across lines. */
    private static final class Line {
        private final int radius;
        private final int size;
        private final boolean min;
        private final float[] padded;
        private final float[] prefix;
        private final float[] suffix;

        Line(int longest, int size, boolean min) {
            this.size = size | 1;
            this.radius = this.size / 2;
            this.min = min;
            int n = longest + 2 * radius + this.size;
            padded = new float[n];
            prefix = new float[n];
            suffix = new float[n];
        }

        void run(float[] src, int start, int step, int n, float[] dst) {
            float fill = min ? Float.MAX_VALUE : -Float.MAX_VALUE;
            int len = n + 2 * radius;
            int blocks = (len + size - 1) / size;
            int total = blocks * size;
            for (int i = 0; i < total; i++) {
                int j = i - radius;
                padded[i] = j >= 0 && j < n ? src[start + j * step] : fill;
            }
            for (int b = 0; b < total; b += size) {
                prefix[b] = padded[b];
                for (int i = b + 1; i < b + size; i++) {
                    prefix[i] = pick(prefix[i - 1], padded[i]);
                }
                suffix[b + size - 1] = padded[b + size - 1];
                for (int i = b + size - 2; i >= b; i--) {
                    suffix[i] = pick(suffix[i + 1], padded[i]);
                }
            }
            // Window [i, i + size - 1] in padded coordinates is output i.
            for (int i = 0; i < n; i++) {
                dst[start + i * step] = pick(suffix[i], prefix[i + size - 1]);
            }
        }

        private float pick(float a, float b) {
            return min ? Math.min(a, b) : Math.max(a, b);
        }
    }
}
