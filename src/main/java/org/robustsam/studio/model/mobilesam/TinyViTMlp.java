package org.robustsam.studio.model.mobilesam;

import ai.djl.ndarray.NDArray;
import org.robustsam.studio.model.sam.LayerNorm;
import org.robustsam.studio.model.sam.Linear;
import org.robustsam.studio.model.sam.Ops;
import org.robustsam.studio.model.sam.SamModule;
import org.robustsam.studio.model.sam.Scope;

/** TinyViT's {@code Mlp} ({@code blocks.j.mlp}): pre-norm ({@code norm}, eps 1e-5), {@code fc1}, GELU, {@code fc2}. */
public final class TinyViTMlp extends SamModule {
    private final LayerNorm norm;
    private final Linear fc1;
    private final Linear fc2;

    public TinyViTMlp(int dim, int hidden) {
        this.norm = child("norm", new LayerNorm(dim, 1e-5f));
        this.fc1 = child("fc1", new Linear(dim, hidden));
        this.fc2 = child("fc2", new Linear(hidden, dim));
    }

    /** {@code [..., dim] -> [..., dim]}; the result lives in {@code x}'s manager. */
    public NDArray forward(NDArray x) {
        try (Scope scope = Scope.of(x)) {
            x = scope.in(x);
            return scope.keep(fc2.forward(Ops.gelu(fc1.forward(norm.forward(x)))));
        }
    }
}
