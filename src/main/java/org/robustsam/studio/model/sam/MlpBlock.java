package org.robustsam.studio.model.sam;

import ai.djl.ndarray.NDArray;

/** SAM's {@code MLPBlock}: {@code lin2(act(lin1(x)))}, GELU in the ViT, ReLU in the decoder transformer. */
public final class MlpBlock extends SamModule {
    public enum Activation { GELU, RELU }

    private final Linear lin1;
    private final Linear lin2;
    private final Activation act;

    public MlpBlock(int dim, int hidden, Activation act) {
        this.lin1 = child("lin1", new Linear(dim, hidden));
        this.lin2 = child("lin2", new Linear(hidden, dim));
        this.act = act;
    }

    /** {@code [..., dim] -> [..., dim]}; the result lives in {@code x}'s manager. */
    public NDArray forward(NDArray x) {
        try (Scope scope = Scope.of(x)) {
            x = scope.in(x);
            NDArray h = lin1.forward(x);
            h = act == Activation.GELU ? Ops.gelu(h) : h.getNDArrayInternal().relu();
            return scope.keep(lin2.forward(h));
        }
    }
}
