package org.robustsam.studio.inference;

import org.robustsam.studio.image.RgbImage;

/**
 * SAM's {@code ResizeLongestSide}: scales images so the long side is {@code targetLength} (1024),
 * and maps point and box coordinates into the resized frame.
 *
 * <p>{@link #applyImage} reproduces the reference's {@code apply_image}, which is
 * {@code PIL.Image.resize(size, BILINEAR)} (torchvision's {@code resize} on a PIL image): a
 * separable triangle filter whose support widens with the downscale factor (antialiasing), fixed
 * point coefficients with 22 fractional bits, horizontal pass then vertical pass, each rounded to
 * 8 bits. Same arithmetic here, so the output matches Pillow's byte for byte.
 */
public final class ResizeLongestSide {
    private static final int PRECISION_BITS = 32 - 8 - 2;

    private final int targetLength;

    public ResizeLongestSide(int targetLength) {
        if (targetLength <= 0) {
            throw new IllegalArgumentException("target length must be positive: " + targetLength);
        }
        this.targetLength = targetLength;
    }

    public int targetLength() {
        return targetLength;
    }

    /**
     * {@code get_preprocess_shape}: {@code {newH, newW}} with the long side {@code longSide}, each side
     * rounded as {@code int(x + 0.5)} in double precision, as the reference.
     */
    public static int[] getPreprocessShape(int oldH, int oldW, int longSide) {
        double scale = longSide * 1.0 / Math.max(oldH, oldW);
        double newH = oldH * scale;
        double newW = oldW * scale;
        return new int[] {(int) (newH + 0.5), (int) (newW + 0.5)};
    }

    /** The image resized so its long side is the target length (Pillow-exact bilinear). */
    public RgbImage applyImage(RgbImage image) {
        int[] hw = getPreprocessShape(image.height(), image.width(), targetLength);
        return resizeBilinear(image, hw[1], hw[0]);
    }

    /**
     * Points (x, y pairs, flattened) from an {@code origH x origW} image to the resized frame, in
     * double precision like the reference's numpy code, then rounded to float.
     */
    public float[] applyCoords(double[] xy, int origH, int origW) {
        if (xy.length % 2 != 0) {
            throw new IllegalArgumentException("coordinates come in (x, y) pairs, got " + xy.length + " values");
        }
        int[] hw = getPreprocessShape(origH, origW, targetLength);
        double sx = (double) hw[1] / origW;
        double sy = (double) hw[0] / origH;
        float[] out = new float[xy.length];
        for (int i = 0; i < xy.length; i += 2) {
            out[i] = (float) (xy[i] * sx);
            out[i + 1] = (float) (xy[i + 1] * sy);
        }
        return out;
    }

    /** Boxes (x0, y0, x1, y1 per box, flattened) to the resized frame. */
    public float[] applyBoxes(double[] boxes, int origH, int origW) {
        if (boxes.length % 4 != 0) {
            throw new IllegalArgumentException("boxes come as 4 values each, got " + boxes.length);
        }
        return applyCoords(boxes, origH, origW);
    }

    /** Pillow's {@code Image.resize((newW, newH), Image.BILINEAR)} for 8-bit RGB. */
    public static RgbImage resizeBilinear(RgbImage in, int newW, int newH) {
        if (newW <= 0 || newH <= 0) {
            throw new IllegalArgumentException("target size must be positive: " + newW + "x" + newH);
        }
        boolean horizontal = newW != in.width();
        boolean vertical = newH != in.height();
        byte[] src = in.toInterleavedRgb();
        int w = in.width();
        int h = in.height();
        if (horizontal) {
            Coeffs c = Coeffs.of(w, newW);
            byte[] dst = new byte[newW * h * 3];
            for (int y = 0; y < h; y++) {
                int row = y * w * 3;
                for (int x = 0; x < newW; x++) {
                    int min = c.bounds[2 * x];
                    int n = c.bounds[2 * x + 1];
                    int k0 = x * c.ksize;
                    int s0 = 1 << (PRECISION_BITS - 1);
                    int s1 = s0;
                    int s2 = s0;
                    for (int i = 0; i < n; i++) {
                        int p = row + (min + i) * 3;
                        int k = c.k[k0 + i];
                        s0 += (src[p] & 0xff) * k;
                        s1 += (src[p + 1] & 0xff) * k;
                        s2 += (src[p + 2] & 0xff) * k;
                    }
                    int o = (y * newW + x) * 3;
                    dst[o] = clip8(s0);
                    dst[o + 1] = clip8(s1);
                    dst[o + 2] = clip8(s2);
                }
            }
            src = dst;
            w = newW;
        }
        if (vertical) {
            Coeffs c = Coeffs.of(h, newH);
            byte[] dst = new byte[w * newH * 3];
            for (int y = 0; y < newH; y++) {
                int min = c.bounds[2 * y];
                int n = c.bounds[2 * y + 1];
                int k0 = y * c.ksize;
                for (int x = 0; x < w; x++) {
                    int s0 = 1 << (PRECISION_BITS - 1);
                    int s1 = s0;
                    int s2 = s0;
                    for (int i = 0; i < n; i++) {
                        int p = ((min + i) * w + x) * 3;
                        int k = c.k[k0 + i];
                        s0 += (src[p] & 0xff) * k;
                        s1 += (src[p + 1] & 0xff) * k;
                        s2 += (src[p + 2] & 0xff) * k;
                    }
                    int o = (y * w + x) * 3;
                    dst[o] = clip8(s0);
                    dst[o + 1] = clip8(s1);
                    dst[o + 2] = clip8(s2);
                }
            }
            src = dst;
            h = newH;
        }
        return horizontal || vertical ? RgbImage.fromInterleavedRgb(w, h, src) : in;
    }

    private static byte clip8(int v) {
        int s = v >> PRECISION_BITS;
        return (byte) (s < 0 ? 0 : Math.min(s, 255));
    }

    /** Pillow's {@code precompute_coeffs} + {@code normalize_coeffs_8bpc} for the bilinear filter. */
    private record Coeffs(int ksize, int[] bounds, int[] k) {
        static Coeffs of(int inSize, int outSize) {
            double support = 1.0; // bilinear (triangle) filter
            double scale = (double) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            support *= filterScale;
            int ksize = (int) Math.ceil(support) * 2 + 1;
            int[] bounds = new int[outSize * 2];
            int[] k = new int[outSize * ksize];
            double[] w = new double[ksize];
            for (int xx = 0; xx < outSize; xx++) {
                double center = (xx + 0.5) * scale;
                double ss = 1.0 / filterScale;
                int xmin = (int) (center - support + 0.5);
                if (xmin < 0) {
                    xmin = 0;
                }
                int xmax = (int) (center + support + 0.5);
                if (xmax > inSize) {
                    xmax = inSize;
                }
                xmax -= xmin;
                double ww = 0.0;
                for (int x = 0; x < xmax; x++) {
                    double t = Math.abs((x + xmin - center + 0.5) * ss);
                    w[x] = t < 1.0 ? 1.0 - t : 0.0;
                    ww += w[x];
                }
                for (int x = 0; x < xmax; x++) {
                    double v = ww != 0.0 ? w[x] / ww : w[x];
                    k[xx * ksize + x] = v < 0
                            ? (int) (-0.5 + v * (1 << PRECISION_BITS))
                            : (int) (0.5 + v * (1 << PRECISION_BITS));
                }
                bounds[2 * xx] = xmin;
                bounds[2 * xx + 1] = xmax;
            }
            return new Coeffs(ksize, bounds, k);
        }
    }
}
