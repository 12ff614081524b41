package org.robustsam.studio.degrade;

/**
 * Bilinear resampling with OpenCV's {@code INTER_LINEAR} geometry: pixel centres at half-integers,
 * source coordinate {@code (x + 0.5) * srcSize / dstSize - 0.5}, edges clamped. No anti-aliasing
 * when shrinking, exactly like {@code cv2.resize(..., INTER_LINEAR)} which the reference uses.
 */
final class Resize {
    private Resize() {}

    /** Sample positions along one axis: left index, right index and right weight per output index. */
    record Axis(int[] i0, int[] i1, float[] frac) {
        /** Output index k samples the source at {@code start + k * step}, clamped to [0, n-1]. */
        static Axis of(int outSize, int srcSize, double start, double step) {
            int[] i0 = new int[outSize];
            int[] i1 = new int[outSize];
            float[] frac = new float[outSize];
            for (int k = 0; k < outSize; k++) {
                double c = start + k * step;
                if (c <= 0) {
                    c = 0;
                } else if (c >= srcSize - 1) {
                    c = srcSize - 1;
                }
                int a = (int) c;
                i0[k] = a;
                i1[k] = Math.min(a + 1, srcSize - 1);
                frac[k] = (float) (c - a);
            }
            return new Axis(i0, i1, frac);
        }

        /** The cv2 mapping from a {@code srcSize} axis to {@code outSize}, shifted by {@code offset} source pixels. */
        static Axis scaled(int outSize, int srcSize, double offset) {
            double step = (double) srcSize / outSize;
            return of(outSize, srcSize, 0.5 * step - 0.5 + offset, step);
        }
    }

    /** Packed RGB resampled at the given axes (output size = axis lengths). */
    static int[] rgb(int[] src, int sw, Axis xs, Axis ys) {
        int dw = xs.i0.length;
        int dh = ys.i0.length;
        int[] out = new int[dw * dh];
        Parallel.rows(dh, dw, (from, to) -> {
            for (int y = from; y < to; y++) {
                int row0 = ys.i0[y] * sw;
                int row1 = ys.i1[y] * sw;
                float fy = ys.frac[y];
                int o = y * dw;
                for (int x = 0; x < dw; x++) {
                    int a = src[row0 + xs.i0[x]];
                    int b = src[row0 + xs.i1[x]];
                    int c = src[row1 + xs.i0[x]];
                    int d = src[row1 + xs.i1[x]];
                    float fx = xs.frac[x];
                    out[o + x] = Pixels.pack(
                            lerp2(Pixels.red(a), Pixels.red(b), Pixels.red(c), Pixels.red(d), fx, fy),
                            lerp2(Pixels.green(a), Pixels.green(b), Pixels.green(c), Pixels.green(d), fx, fy),
                            lerp2(Pixels.blue(a), Pixels.blue(b), Pixels.blue(c), Pixels.blue(d), fx, fy));
                }
            }
        });
        return out;
    }

    /** A float plane resized to dw x dh (cv2 geometry). */
    static float[] plane(float[] src, int sw, int sh, int dw, int dh) {
        Axis xs = Axis.scaled(dw, sw, 0);
        Axis ys = Axis.scaled(dh, sh, 0);
        float[] out = new float[dw * dh];
        Parallel.rows(dh, dw, (from, to) -> {
            for (int y = from; y < to; y++) {
                int row0 = ys.i0[y] * sw;
                int row1 = ys.i1[y] * sw;
                float fy = ys.frac[y];
                int o = y * dw;
                for (int x = 0; x < dw; x++) {
                    float fx = xs.frac[x];
                    float top = src[row0 + xs.i0[x]] * (1 - fx) + src[row0 + xs.i1[x]] * fx;
                    float bottom = src[row1 + xs.i0[x]] * (1 - fx) + src[row1 + xs.i1[x]] * fx;
                    out[o + x] = top * (1 - fy) + bottom * fy;
                }
            }
        });
        return out;
    }

    private static int lerp2(int a, int b, int c, int d, float fx, float fy) {
        float top = a + (b - a) * fx;
        float bottom = c + (d - c) * fx;
        return (int) (top + (bottom - top) * fy + 0.5f);
    }
}
