package org.robustsam.studio.model.robustsam;

import org.robustsam.studio.model.sam.Scope;
import ai.djl.ndarray.NDArray;
import org.robustsam.studio.model.sam.Conv2d;
import org.robustsam.studio.model.sam.Ops;
import org.robustsam.studio.model.sam.SamModule;

/**
 * The DNC block's selective convolution ({@code SEMBlock.maxpool_conv.0}, reference
 * {@code SelectiveConv} with {@code first=False}): one branch batch-normalises ({@code BN}), the
 * other instance-normalises ({@code IN}, which removes per-image contrast and colour casts), each
 * LeakyReLU(0.01) and a 3x3 conv without bias; the {@link Selector} mixes them per position.
 */
final class SelectiveConv extends SamModule {
    static final float LEAKY_SLOPE = 0.01f;

    private final int in;
    private final Conv2d conv1;
    private final Conv2d conv2;
    private final Selector selector;
    private final BatchNorm2d bn;

    SelectiveConv(int in, int out, int kernel, int padding, int reduction) {
        this.in = in;
        this.conv1 = child("conv1", new Conv2d(in, out, kernel, 1, padding, false));
        this.conv2 = child("conv2", new Conv2d(in, out, kernel, 1, padding, false));
        this.selector = child("selector", new Selector(out, reduction));
        this.bn = child("BN", new BatchNorm2d(in));
    }

    /** {@code [B, in, H, W] -> [B, out, H, W]}; the result lives in {@code x}'s manager. */
    NDArray forward(NDArray x) {
        Ops.requireShape(x, "SelectiveConv", "x", -1, in, -1, -1);
        try (Scope scope = Scope.of(x)) {
            x = scope.in(x);
            NDArray fInput = bn.forward(x).getNDArrayInternal().leakyRelu(LEAKY_SLOPE);
            NDArray sInput = Norms.instanceNorm(x, 2).getNDArrayInternal().leakyRelu(LEAKY_SLOPE);
            NDArray out1 = conv1.forward(fInput);
            NDArray out2 = conv2.forward(sInput);
            NDArray[] att = selector.forward(out1.add(out2));
            return scope.keep(out1.mul(att[0]).add(out2.mul(att[1])));
        }
    }
}
