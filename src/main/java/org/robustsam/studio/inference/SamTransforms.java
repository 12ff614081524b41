package org.robustsam.studio.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.robustsam.studio.image.RgbImage;
import org.robustsam.studio.model.sam.Ops;

/**
 * SAM's pixel-side pre- and post-processing ({@code Sam.preprocess} / {@code Sam.postprocess_masks}
 * in the reference): normalise and pad an already resized image to the encoder's square input, and
 * bring low-resolution mask logits back to the original image.
 */
public final class SamTransforms {
    /** Per-channel RGB mean of the reference ({@code pixel_mean}). */
    public static final float[] PIXEL_MEAN = {123.675f, 116.28f, 103.53f};
    /** Per-channel RGB std of the reference ({@code pixel_std}). */
    public static final float[] PIXEL_STD = {58.395f, 57.12f, 57.375f};
    /** Logit threshold of a foreground pixel ({@code mask_threshold}). */
    public static final float MASK_THRESHOLD = 0.0f;

    private SamTransforms() {}

    /**
     * {@code (x - mean) / std} per channel in float32, zero-padded at the bottom/right to
     * {@code imgSize x imgSize}: {@code [1, 3, imgSize, imgSize]} in {@code manager}.
     *
     * @param resized the image after {@link ResizeLongestSide#applyImage} (long side {@code imgSize})
     */
    public static NDArray toModelInput(RgbImage resized, int imgSize, NDManager manager) {
        int w = resized.width();
        int h = resized.height();
        if (w > imgSize || h > imgSize) {
            throw new IllegalArgumentException("image " + w + "x" + h + " is larger than the model input " + imgSize
                    + "; resize it with ResizeLongestSide first");
        }
        int plane = imgSize * imgSize;
        float[] data = new float[3 * plane];
        byte[] px = resized.toInterleavedRgb();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = (y * w + x) * 3;
                int o = y * imgSize + x;
                for (int c = 0; c < 3; c++) {
                    data[c * plane + o] = ((px[p + c] & 0xff) - PIXEL_MEAN[c]) / PIXEL_STD[c];
                }
            }
        }
        return manager.create(data, new Shape(1, 3, imgSize, imgSize));
    }

    /**
     * {@code postprocess_masks}: bilinear (align_corners=False) to {@code imgSize}, crop the padding to
     * the resized image's {@code inputH x inputW}, bilinear to {@code origH x origW}.
     *
     * @param lowRes {@code [B, C, 256, 256]} logits
     * @return logits {@code [B, C, origH, origW]} in {@code lowRes}' manager
     */
    public static NDArray postprocessMasks(NDArray lowRes, int imgSize, int inputH, int inputW, int origH, int origW) {
        Shape s = lowRes.getShape();
        if (s.dimension() != 4) {
            throw new IllegalArgumentException("postprocessMasks: masks must be [B, C, H, W], got " + s);
        }
        NDManager out = lowRes.getManager();
        try (NDManager scope = out.newSubManager()) {
            NDArray x = lowRes.reshape(s);
            x.attach(scope);
            // Ops.resizeBilinear, not DJL's interpolation, which antialiases (see there)
            x = Ops.resizeBilinear(x, imgSize, imgSize);
            x = x.get(":, :, :{}, :{}", inputH, inputW);
            x = Ops.resizeBilinear(x, origH, origW);
            x.attach(out);
            return x;
        }
    }

    /** {@code masks > 0}: boolean masks. The result lives in {@code logits}' manager. */
    public static NDArray binarize(NDArray logits) {
        return logits.gt(MASK_THRESHOLD);
    }

    /** Point, label and box arrays for {@code Sam.decode}, mapped to the model's input frame. */
    public record PromptArrays(NDArray points, NDArray labels, NDArray box) {}

    /**
     * Maps a prompt in original pixels ({@code xy}: x0, y0, x1, y1, ...; {@code box}: x0, y0, x1, y1;
     * either may be null) to the resized frame as batch-of-one arrays in {@code scope}.
     */
    public static PromptArrays promptArrays(double[] xy, int[] labels, double[] box, ResizeLongestSide transform,
            int origH, int origW, NDManager scope) {
        NDArray points = null;
        NDArray lab = null;
        if (xy != null && xy.length > 0) {
            if (labels == null || labels.length * 2 != xy.length) {
                throw new IllegalArgumentException("need one label per point: " + xy.length / 2 + " points, "
                        + (labels == null ? 0 : labels.length) + " labels");
            }
            points = scope.create(transform.applyCoords(xy, origH, origW), new Shape(1, labels.length, 2));
            lab = scope.create(labels, new Shape(1, labels.length)).toType(DataType.FLOAT32, false);
        }
        NDArray boxes = box == null ? null : scope.create(transform.applyBoxes(box, origH, origW), new Shape(1, 4));
        return new PromptArrays(points, lab, boxes);
    }
}
