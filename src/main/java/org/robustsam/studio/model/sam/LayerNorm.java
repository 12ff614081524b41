package org.robustsam.studio.model.sam;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** {@code nn.LayerNorm(dim, eps)} over the last axis: {@code weight [dim]}, {@code bias [dim]}. */
public final class LayerNorm extends SamModule {
    private final int dim;
    private final float eps;
    private final Shape normalized;
    private final Parameter weight;
    private final Parameter bias;

    public LayerNorm(int dim, float eps) {
        this.dim = dim;
        this.eps = eps;
        this.normalized = new Shape(dim);
        this.weight = parameter("weight", dim);
        this.bias = parameter("bias", dim);
    }

    /** {@code [..., dim] -> [..., dim]}; the result lives in {@code x}'s manager. */
    public NDArray forward(NDArray x) {
        long last = x.getShape().get(x.getShape().dimension() - 1);
        if (last != dim) {
            throw new IllegalArgumentException(
                    "LayerNorm(" + weight.key() + "): input must end in " + dim + ", got " + x.getShape());
        }
        return ai.djl.nn.norm.LayerNorm.layerNorm(x, normalized, weight.get(), bias.get(), eps).singletonOrThrow();
    }
}
