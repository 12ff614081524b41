package org.robustsam.studio.model.sam;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * SAM's {@code LayerNorm2d}: normalises each pixel over the channel axis of {@code [B, C, H, W]},
 * eps 1e-6, computed with the reference's formula ({@code (x - u) / sqrt(var + eps)}) rather than
 * a permuted {@code layer_norm}, so rounding follows the reference.
 */
public final class LayerNorm2d extends SamModule {
    private final int channels;
    private final float eps;
    private final Parameter weight;
    private final Parameter bias;
    private NDArray weight3;
    private NDArray bias3;

    public LayerNorm2d(int channels) {
        this(channels, 1e-6f);
    }

    public LayerNorm2d(int channels, float eps) {
        this.channels = channels;
        this.eps = eps;
        this.weight = parameter("weight", channels);
        this.bias = parameter("bias", channels);
    }

    @Override
    protected void onLoaded(NDManager manager) {
        weight3 = weight.get().reshape(channels, 1, 1);
        weight3.attach(manager);
        bias3 = bias.get().reshape(channels, 1, 1);
        bias3.attach(manager);
    }

    /** {@code [B, C, H, W] -> [B, C, H, W]}; the result lives in {@code x}'s manager. */
    public NDArray forward(NDArray x) {
        Ops.requireShape(x, "LayerNorm2d(" + weight.key() + ")", "input", -1, channels, -1, -1);
        try (Scope scope = Scope.of(x)) {
            x = scope.in(x);
            NDArray centred = x.sub(x.mean(new int[] {1}, true));
            NDArray var = centred.square().mean(new int[] {1}, true);
            NDArray y = centred.div(var.add(eps).sqrt());
            return scope.keep(y.mul(weight3).add(bias3));
        }
    }
}
