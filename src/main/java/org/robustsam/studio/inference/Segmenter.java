package org.robustsam.studio.inference;

/**
 * A loaded SAM-family model as the app uses it: the slow image encoder ({@link ImageEncoder}) and
 * the fast prompt decoder. The same interface serves SAM, RobustSAM and MobileSAM, so views and
 * batch tools never care which one is loaded.
 */
public interface Segmenter extends ImageEncoder, AutoCloseable {
    /** Registry id, e.g. {@code sam_vit_b} or {@code robustsam_vit_b}, for people and reports. */
    String modelId();

    /**
     * Masks for a prompt on an image this model has embedded. Fast (tens of milliseconds on a CPU).
     *
     * @throws InferenceException when the embedding is of another model or the prompt is empty
     */
    MaskPrediction predict(ImageEmbedding embedding, Prompt prompt, boolean multimask) throws InferenceException;

    /** Whether one click alone should get three candidates; RobustSAM's robust path is trained single-mask. */
    default boolean multimaskForSingleClicks() {
        return true;
    }

    @Override
    void close();
}
