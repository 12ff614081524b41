package org.robustsam.studio.model.sam;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * {@code nn.Conv2d} with square kernel, stride and padding: {@code weight [out, in / groups, k, k]},
 * {@code bias [out]}.
 */
public final class Conv2d extends SamModule {
    private final int in;
    private final int groups;
    private final Parameter weight;
    private final Parameter bias;
    private final Shape stride;
    private final Shape padding;
    private static final Shape DILATION = new Shape(1, 1);

    public Conv2d(int in, int out, int kernel, int stride, int padding, boolean withBias) {
        this(in, out, kernel, stride, padding, 1, withBias);
    }

    /** A grouped convolution ({@code groups == in == out} is depthwise). */
    public Conv2d(int in, int out, int kernel, int stride, int padding, int groups, boolean withBias) {
        if (groups < 1 || in % groups != 0 || out % groups != 0) {
            throw new IllegalArgumentException("Conv2d: " + in + " -> " + out + " channels in " + groups + " groups");
        }
        this.in = in;
        this.groups = groups;
        this.weight = parameter("weight", out, in / groups, kernel, kernel);
        this.bias = withBias ? parameter("bias", out) : null;
        this.stride = new Shape(stride, stride);
        this.padding = new Shape(padding, padding);
    }

    /** {@code [B, in, H, W] -> [B, out, H', W']}; the result lives in {@code x}'s manager. */
    public NDArray forward(NDArray x) {
        Ops.requireShape(x, "Conv2d(" + weight.key() + ")", "input", -1, in, -1, -1);
        return ai.djl.nn.convolutional.Conv2d.conv2d(
                        x, weight.get(), bias == null ? null : bias.get(), stride, padding, DILATION, groups)
                .singletonOrThrow();
    }

    /** {@code conv2d} with this layer's geometry but other weights (e.g. with a BatchNorm folded in). */
    public NDArray forward(NDArray x, NDArray weightOverride, NDArray biasOverride) {
        Ops.requireShape(x, "Conv2d(" + weight.key() + ")", "input", -1, in, -1, -1);
        return ai.djl.nn.convolutional.Conv2d.conv2d(x, weightOverride, biasOverride, stride, padding, DILATION, groups)
                .singletonOrThrow();
    }

    public Parameter weight() {
        return weight;
    }
}
