package org.robustsam.studio.inference;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything a model's prompt decoder needs from one image, computed once by the heavy encoder:
 * the image embedding {@code [1, 256, 64, 64]} and, for RobustSAM, the encoder's intermediate
 * features. Also the original and resized sizes, which map prompts and masks between frames.
 */
public final class ImageEmbedding {
    /** Name of the final image embedding, {@code [1, 256, 64, 64]}. */
    public static final String IMAGE_EMBEDDING = "image_embeddings";

    private final String modelKey;
    private final int originalWidth;
    private final int originalHeight;
    private final Map<String, FloatTensor> tensors;

    public ImageEmbedding(String modelKey, int originalWidth, int originalHeight, Map<String, FloatTensor> tensors) {
        if (!tensors.containsKey(IMAGE_EMBEDDING)) {
            throw new IllegalArgumentException("an embedding needs the tensor '" + IMAGE_EMBEDDING + "'");
        }
        this.modelKey = modelKey;
        this.originalWidth = originalWidth;
        this.originalHeight = originalHeight;
        this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    }

    /** The model (family, size and checkpoint fingerprint) that produced it. */
    public String modelKey() {
        return modelKey;
    }

    public int originalWidth() {
        return originalWidth;
    }

    public int originalHeight() {
        return originalHeight;
    }

    public FloatTensor imageEmbedding() {
        return tensors.get(IMAGE_EMBEDDING);
    }

    public Map<String, FloatTensor> tensors() {
        return tensors;
    }

    public long bytes() {
        long b = 64;
        for (FloatTensor t : tensors.values()) {
            b += t.bytes() + 8L * t.shape().length;
        }
        return b;
    }
}
