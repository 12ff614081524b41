package org.robustsam.studio.model.mobilesam;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.robustsam.studio.model.sam.Conv2d;
import org.robustsam.studio.model.sam.SamModule;
import org.robustsam.studio.model.sam.Scope;

/**
 * TinyViT's {@code Conv2d_BN}: a bias-free convolution {@code c} followed by an eval-mode
 * {@link BatchNorm2d} {@code bn}. The BatchNorm is folded into the convolution once the weights are
 * loaded ({@code W * s}, {@code b - mean * s} with {@code s = w / sqrt(var + eps)}, the reference's
 * own {@code fuse()}), so a forward is one convolution.
 */
public final class Conv2dBN extends SamModule {
    private final int out;
    private final Conv2d c;
    private final BatchNorm2d bn;
    private NDArray fusedWeight;
    private NDArray fusedBias;

    public Conv2dBN(int in, int out, int kernel, int stride, int padding, int groups) {
        this.out = out;
        this.c = child("c", new Conv2d(in, out, kernel, stride, padding, groups, false));
        this.bn = child("bn", new BatchNorm2d(out));
    }

    /** A 1x1 convolution, stride 1. */
    public Conv2dBN(int in, int out) {
        this(in, out, 1, 1, 0, 1);
    }

    @Override
    protected void onLoaded(NDManager manager) {
        try (Scope scope = Scope.under(manager)) {
            NDArray[] affine = bn.gainAndOffset(scope);
            fusedWeight = scope.keep(scope.in(c.weight().get()).mul(affine[0].reshape(out, 1, 1, 1)));
            fusedBias = scope.keep(affine[1]);
        }
    }

    /** {@code [B, in, H, W] -> [B, out, H', W']}; the result lives in {@code x}'s manager. */
    public NDArray forward(NDArray x) {
        return c.forward(x, fusedWeight, fusedBias);
    }
}
