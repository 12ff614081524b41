package org.robustsam.studio.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;
import org.robustsam.studio.model.sam.MaskDecoder;
import org.robustsam.studio.model.sam.Sam;

/** Plain SAM: the encoder keeps only the image embedding. */
public final class SamBackend implements SegmenterBackend {
    private final Sam sam;

    public SamBackend(Sam sam) {
        this.sam = sam;
    }

    @Override
    public int imageSize() {
        return sam.config().imgSize();
    }

    @Override
    public Map<String, NDArray> encode(NDArray image) {
        return Map.of(ImageEmbedding.IMAGE_EMBEDDING, sam.encode(image));
    }

    @Override
    public NDArray[] decode(Map<String, NDArray> embedding, NDArray points, NDArray labels, NDArray box,
            NDArray maskInput, boolean multimask, NDManager scope) {
        MaskDecoder.Output o = sam.decode(embedding.get(ImageEmbedding.IMAGE_EMBEDDING), points, labels, box, maskInput, multimask);
        o.lowResMasks().attach(scope);
        o.iouPredictions().attach(scope);
        return new NDArray[] {o.lowResMasks(), o.iouPredictions()};
    }

    @Override
    public void close() {
        sam.close();
    }
}
