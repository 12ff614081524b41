package org.robustsam.studio.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.robustsam.studio.image.RgbImage;
import org.robustsam.studio.model.sam.MaskDecoder;
import org.robustsam.studio.model.sam.Sam;

/**
 * The reference's {@code SamPredictor}: set an image once (resize, normalise, encode), then predict
 * masks for prompts given in the original image's pixel coordinates.
 *
 * <p>Holds the image embedding in its own manager; close it (or set another image) to free it.
 */
public final class SamPredictor implements AutoCloseable {
    private final Sam sam;
    private final ResizeLongestSide transform;
    private final NDManager parent;
    private NDManager imageManager;
    private NDArray embedding;
    private int origH;
    private int origW;
    private int inputH;
    private int inputW;

    /** Masks {@code [C, H, W]} (boolean, or float logits), IoU predictions {@code [C]}, low-res logits {@code [C, 256, 256]}. */
    public record Prediction(NDArray masks, float[] iouPredictions, NDArray lowResLogits) implements AutoCloseable {
        @Override
        public void close() {
            masks.close();
            lowResLogits.close();
        }
    }

    public SamPredictor(Sam sam, NDManager parent) {
        this.sam = sam;
        this.transform = new ResizeLongestSide(sam.config().imgSize());
        this.parent = parent;
    }

    /** Resizes, normalises and encodes the image (the slow step). */
    public void setImage(RgbImage image) {
        RgbImage resized = transform.applyImage(image);
        reset();
        imageManager = parent.newSubManager();
        try (NDManager scope = imageManager.newSubManager()) {
            NDArray input = SamTransforms.toModelInput(resized, sam.config().imgSize(), scope);
            embedding = sam.encode(input);
            embedding.attach(imageManager);
        }
        origH = image.height();
        origW = image.width();
        inputH = resized.height();
        inputW = resized.width();
    }

    /** The image embedding {@code [1, 256, 64, 64]} (owned by the predictor). */
    public NDArray imageEmbedding() {
        requireImage();
        return embedding;
    }

    /**
     * Predicts masks for one prompt; each of points, box, maskInput may be null.
     *
     * @param pointsXY (x, y) pairs in original pixels
     * @param labels one per point: 1 foreground, 0 background
     * @param box x0, y0, x1, y1 in original pixels
     * @param maskInput {@code [1, 256, 256]} low-res logits from an earlier prediction
     * @param manager where the returned arrays go
     */
    public Prediction predict(double[] pointsXY, int[] labels, double[] box, NDArray maskInput,
            boolean multimask, boolean returnLogits, NDManager manager) {
        requireImage();
        try (NDManager scope = manager.newSubManager()) {
            SamTransforms.PromptArrays in = SamTransforms.promptArrays(pointsXY, labels, box, transform, origH, origW, scope);
            NDArray mask = null;
            if (maskInput != null) {
                // A reshaped view in scope: the caller's array stays the caller's.
                mask = maskInput.reshape(1, 1, maskInput.getShape().get(-2), maskInput.getShape().get(-1));
                mask.attach(scope);
            }
            NDArray emb = embedding.reshape(embedding.getShape());
            emb.attach(scope);
            MaskDecoder.Output o = sam.decode(emb, in.points(), in.labels(), in.box(), mask, multimask);
            NDArray masks = SamTransforms.postprocessMasks(o.lowResMasks(), sam.config().imgSize(), inputH, inputW,
                    origH, origW);
            if (!returnLogits) {
                masks = SamTransforms.binarize(masks);
            }
            masks = masks.squeeze(0);
            NDArray low = o.lowResMasks().squeeze(0);
            float[] iou = o.iouPredictions().toFloatArray();
            masks.attach(manager);
            low.attach(manager);
            return new Prediction(masks, iou, low);
        }
    }

    private void requireImage() {
        if (embedding == null) {
            throw new IllegalStateException("set an image with setImage(...) before predicting");
        }
    }

    private void reset() {
        if (imageManager != null) {
            imageManager.close();
            imageManager = null;
            embedding = null;
        }
    }

    @Override
    public void close() {
        reset();
    }
}
