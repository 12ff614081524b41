package org.robustsam.studio.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;
import org.robustsam.studio.model.robustsam.RobustMaskDecoder;
import org.robustsam.studio.model.robustsam.RobustSam;

/**
 * RobustSAM's robust path ({@code clear=false}), the official inference. The image side of AMFG
 * (about 100 GFLOP on ViT-B) runs once at encode time and is kept with the embedding, so each
 * prompt costs only the decoder.
 */
public final class RobustSamBackend implements SegmenterBackend {
    /** The robust path's AMFG image features, cached with the embedding. */
    public static final String ROBUST_FEATURES = "robust_image_features";

    private final RobustSam model;

    public RobustSamBackend(RobustSam model) {
        this.model = model;
    }

    @Override
    public int imageSize() {
        return model.config().imgSize();
    }

    @Override
    public Map<String, NDArray> encode(NDArray image) {
        try (RobustSam.Encoding enc = model.encode(image);
             RobustSam.ImageFeatures features = model.imageFeatures(enc, false)) {
            NDArray embedding = enc.imageEmbedding().duplicate();
            NDArray robust = features.features().duplicate();
            return Map.of(ImageEmbedding.IMAGE_EMBEDDING, embedding, ROBUST_FEATURES, robust);
        }
    }

    @Override
    public NDArray[] decode(Map<String, NDArray> embedding, NDArray points, NDArray labels, NDArray box,
            NDArray maskInput, boolean multimask, NDManager scope) {
        RobustSam.ImageFeatures features = new RobustSam.ImageFeatures(embedding.get(ROBUST_FEATURES), false);
        RobustMaskDecoder.Output o = model.decode(embedding.get(ImageEmbedding.IMAGE_EMBEDDING), features,
                points, labels, box, maskInput, multimask);
        o.lowResMasks().attach(scope);
        o.iouPredictions().attach(scope);
        o.robustMaskFeatures().close();
        o.robustTokens().close();
        return new NDArray[] {o.lowResMasks(), o.iouPredictions()};
    }

    /** RobustSAM was trained and evaluated single-mask on its robust path. */
    @Override
    public boolean multimaskForSingleClicks() {
        return false;
    }

    @Override
    public void close() {
        model.close();
    }
}
