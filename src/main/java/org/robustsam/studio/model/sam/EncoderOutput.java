package org.robustsam.studio.model.sam;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * What the image encoder returns: the image embedding {@code [B, 256, 64, 64]} and, when asked for,
 * the outputs of the global-attention blocks {@code [B, 64, 64, width]} in block order (RobustSAM's
 * encoder returns the same list; its AMFG module uses the first one).
 */
public record EncoderOutput(NDArray imageEmbedding, List<NDArray> globalBlockOutputs) implements AutoCloseable {
    public EncoderOutput {
        globalBlockOutputs = List.copyOf(globalBlockOutputs);
    }

    /** The first global-attention block's output, RobustSAM's "early" feature. */
    public NDArray firstGlobalBlockOutput() {
        if (globalBlockOutputs.isEmpty()) {
            throw new IllegalStateException("the encoder was run without keeping intermediate outputs");
        }
        return globalBlockOutputs.get(0);
    }

    @Override
    public void close() {
        imageEmbedding.close();
        globalBlockOutputs.forEach(NDArray::close);
    }
}
