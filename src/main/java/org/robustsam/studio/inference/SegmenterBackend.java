package org.robustsam.studio.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;

/**
 * The tensor side of one model family, behind {@link ModelSegmenter}: what the encoder keeps per
 * image, and how prompts are decoded against it. Pre- and post-processing are shared by all.
 */
public interface SegmenterBackend extends AutoCloseable {
    /** Model input side (1024 for every SAM-family model). */
    int imageSize();

    /**
     * Encodes one preprocessed image {@code [1, 3, S, S]}; returns the named tensors the decoder
     * needs (at least {@link ImageEmbedding#IMAGE_EMBEDDING}), in {@code image}'s manager.
     */
    Map<String, NDArray> encode(NDArray image);

    /**
     * Decodes a batch-of-one prompt (points/labels/box/maskInput may be null, coordinates in the
     * input frame) against {@code embedding}; returns low-res logits {@code [1, C, 256, 256]} and IoU
     * predictions {@code [1, C]} in {@code scope}.
     */
    NDArray[] decode(Map<String, NDArray> embedding, NDArray points, NDArray labels, NDArray box, NDArray maskInput,
            boolean multimask, NDManager scope);

    /** Whether this family should answer a single click with three candidates (RobustSAM is trained single-mask). */
    default boolean multimaskForSingleClicks() {
        return true;
    }

    @Override
    void close();
}
