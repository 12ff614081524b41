package org.robustsam.studio.inference;

import org.robustsam.studio.image.RgbImage;

/** The heavy half of a segmenter: turns a photo into what the prompt decoder needs. */
public interface ImageEncoder {
    /** Family, size and checkpoint fingerprint; changes whenever the weights change. */
    String modelKey();

    /** Encodes one photo; may take seconds on a CPU. Implementations must be thread-safe or confined. */
    ImageEmbedding encode(RgbImage image) throws InferenceException;
}
