package org.robustsam.studio.inference;

import java.util.stream.IntStream;
import org.robustsam.studio.model.sam.Ops;
import org.robustsam.studio.model.sam.Ops.LinearTaps;

/**
 * SAM's {@code postprocess_masks} followed by {@code > 0}, on the heap: low-res logits
 * {@code [C, low, low]} are resized bilinearly (align_corners=False) to {@code imgSize²}, cropped to
 * the resized input {@code inputH x inputW}, resized to {@code origH x origW} and binarised.
 *
 * <p>Why not {@link SamTransforms#postprocessMasks}: that builds broadcast int64 index tensors as
 * large as each output for its gathers, which made this step most of the prompt-to-mask time. Here
 * each resize is a pair of one-axis passes over float rows with precomputed taps, only the rows and
 * columns that survive the crop are computed, and the last pass writes mask bytes directly.
 * The arithmetic is torch's CPU kernel, pass for pass (width then height, {@code w0 * a + w1 * b} in
 * float, the source index in double), so the masks equal the tensor path's.
 */
public final class MaskUpscaler {
    private MaskUpscaler() {}

    /**
     * @param lowRes {@code [count, low, low]} logits, row-major
     * @return {@code count} masks of {@code origH * origW} bytes, 1 inside
     */
    public static byte[][] binaryMasks(float[] lowRes, int count, int low, int imgSize, int inputH, int inputW,
            int origH, int origW) {
        if (count < 0 || low <= 0 || lowRes.length != (long) count * low * low) {
            throw new IllegalArgumentException("low-res masks: expected " + count + " x " + low + "² logits, got "
                    + lowRes.length);
        }
        if (inputH <= 0 || inputW <= 0 || inputH > imgSize || inputW > imgSize || origH <= 0 || origW <= 0) {
            throw new IllegalArgumentException("mask sizes out of range: input " + inputW + "x" + inputH + " in "
                    + imgSize + "², original " + origW + "x" + origH);
        }
        // the crop keeps the first inputH rows and inputW columns of the imgSize² stage
        LinearTaps up = Ops.linearTaps(low, imgSize);
        LinearTaps downW = Ops.linearTaps(inputW, origW);
        LinearTaps downH = Ops.linearTaps(inputH, origH);
        byte[][] masks = new byte[count][];
        // one candidate per core: the three multimask candidates are independent
        IntStream.range(0, count).parallel().forEach(c -> masks[c] =
                binaryMask(lowRes, c * low * low, low, up, downW, downH, inputH, inputW, origH, origW));
        return masks;
    }

    private static byte[] binaryMask(float[] lowRes, int offset, int low, LinearTaps up, LinearTaps downW,
            LinearTaps downH, int inputH, int inputW, int origH, int origW) {
        // stage 1: low² -> imgSize² cropped to inputH x inputW (width pass, then height pass)
        float[] a = new float[low * inputW];
        resizeRows(lowRes, offset, low, low, up, a, inputW);
        float[] b = new float[inputH * inputW];
        resizeColumns(a, inputW, up, b, inputH);
        // stage 2: inputH x inputW -> origH x origW
        float[] c = new float[inputH * origW];
        resizeRows(b, 0, inputH, inputW, downW, c, origW);
        byte[] mask = new byte[origH * origW];
        for (int y = 0; y < origH; y++) {
            int r0 = downH.index0()[y] * origW;
            int r1 = downH.index1()[y] * origW;
            float w0 = downH.weight0()[y];
            float w1 = downH.weight1()[y];
            int o = y * origW;
            for (int x = 0; x < origW; x++) {
                mask[o + x] = c[r0 + x] * w0 + c[r1 + x] * w1 > 0f ? (byte) 1 : 0;
            }
        }
        return mask;
    }

    /** Each of {@code rows} rows of {@code inWidth} values resized along the row to {@code outWidth}. */
    private static void resizeRows(float[] in, int offset, int rows, int inWidth, LinearTaps taps, float[] out, int outWidth) {
        int[] i0 = taps.index0();
        int[] i1 = taps.index1();
        float[] w0 = taps.weight0();
        float[] w1 = taps.weight1();
        for (int y = 0; y < rows; y++) {
            int ri = offset + y * inWidth;
            int ro = y * outWidth;
            for (int x = 0; x < outWidth; x++) {
                out[ro + x] = in[ri + i0[x]] * w0[x] + in[ri + i1[x]] * w1[x];
            }
        }
    }

    /** Rows of {@code width} values resized along the columns to {@code outRows} rows. */
    private static void resizeColumns(float[] in, int width, LinearTaps taps, float[] out, int outRows) {
        for (int y = 0; y < outRows; y++) {
            int r0 = taps.index0()[y] * width;
            int r1 = taps.index1()[y] * width;
            float w0 = taps.weight0()[y];
            float w1 = taps.weight1()[y];
            int ro = y * width;
            for (int x = 0; x < width; x++) {
                out[ro + x] = in[r0 + x] * w0 + in[r1 + x] * w1;
            }
        }
    }
}
