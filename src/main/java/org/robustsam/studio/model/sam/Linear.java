package org.robustsam.studio.model.sam;

import ai.djl.ndarray.NDArray;

/** {@code nn.Linear}: {@code weight [out, in]}, {@code bias [out]}. */
public final class Linear extends SamModule {
    private final int in;
    private final Parameter weight;
    private final Parameter bias;

    public Linear(int in, int out) {
        this(in, out, true);
    }

    public Linear(int in, int out, boolean withBias) {
        this.in = in;
        this.weight = parameter("weight", out, in);
        this.bias = withBias ? parameter("bias", out) : null;
    }

    /** {@code [..., in] -> [..., out]}; the result lives in {@code x}'s manager. */
    public NDArray forward(NDArray x) {
        long last = x.getShape().get(x.getShape().dimension() - 1);
        if (last != in) {
            throw new IllegalArgumentException(
                    "Linear(" + weight.key() + "): input must end in " + in + ", got " + x.getShape());
        }
        return ai.djl.nn.core.Linear.linear(x, weight.get(), bias == null ? null : bias.get()).singletonOrThrow();
    }
}
