package org.robustsam.studio.model.sam;

import ai.djl.ndarray.NDArray;

/** {@code nn.Embedding(n, dim)} used as a learned table: {@code weight [n, dim]}. */
public final class Embedding extends SamModule {
    private final Parameter weight;

    public Embedding(int n, int dim) {
        this.weight = parameter("weight", n, dim);
    }

    /** The table {@code [n, dim]} (owned by the model: do not close). */
    public NDArray weight() {
        return weight.get();
    }
}
