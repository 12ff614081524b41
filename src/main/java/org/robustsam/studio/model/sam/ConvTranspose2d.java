package org.robustsam.studio.model.sam;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * {@code nn.ConvTranspose2d(in, out, kernel_size=k, stride=k)}: {@code weight [in, out, k, k]},
 * {@code bias [out]}.
 *
 * <p>DJL's PyTorch engine does not implement {@code deconvolution} (it throws "Not implemented"),
 * and SAM only uses the non-overlapping case (kernel == stride, no padding), where every input pixel
 * writes its own k x k output patch: one matrix product {@code [B*H*W, in] x [in, out*k*k]} and a
 * pixel-shuffle style permute.
 */
public final class ConvTranspose2d extends SamModule {
    private final int in;
    private final int out;
    private final int k;
    private final Parameter weight;
    private final Parameter bias;
    private NDArray weightMatrix; // [in, out * k * k]
    private NDArray bias3; // [out, 1, 1]

    public ConvTranspose2d(int in, int out, int kernelAndStride) {
        this.in = in;
        this.out = out;
        this.k = kernelAndStride;
        this.weight = parameter("weight", in, out, k, k);
        this.bias = parameter("bias", out);
    }

    @Override
    protected void onLoaded(NDManager manager) {
        weightMatrix = weight.get().reshape(in, (long) out * k * k);
        weightMatrix.attach(manager);
        bias3 = bias.get().reshape(out, 1, 1);
        bias3.attach(manager);
    }

    /** {@code [B, in, H, W] -> [B, out, k*H, k*W]}; the result lives in {@code x}'s manager. */
    public NDArray forward(NDArray x) {
        long[] s = Ops.requireShape(x, "ConvTranspose2d(" + weight.key() + ")", "input", -1, in, -1, -1).getShape();
        long b = s[0];
        long h = s[2];
        long w = s[3];
        try (Scope scope = Scope.of(x)) {
            x = scope.in(x);
            NDArray y = x.transpose(0, 2, 3, 1).matMul(weightMatrix); // [B, H, W, out*k*k]
            y = y.reshape(b, h, w, out, k, k).transpose(0, 3, 1, 4, 2, 5).reshape(b, out, h * k, w * k);
            return scope.keep(y.add(bias3));
        }
    }
}
