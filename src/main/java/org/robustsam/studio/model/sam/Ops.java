package org.robustsam.studio.model.sam;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** Small tensor helpers shared by the network parts. */
public final class Ops {
    private Ops() {}

    /**
     * Exact GELU, {@code x * Phi(x) = 0.5 x (1 + erf(x / sqrt 2))}, like torch's {@code nn.GELU()}
     * default ({@code approximate='none'}); DJL's PyTorch engine calls
     * {@code torch::nn::functional::gelu} with default options (checked in SamOpsTest).
     */
    public static NDArray gelu(NDArray x) {
        return x.getNDArrayInternal().gelu();
    }

    /**
     * {@code F.interpolate(x, size=(outH, outW), mode="bilinear", align_corners=False)} on the last two
     * axes (no antialiasing). DJL's own {@code interpolation} cannot be used: its PyTorch engine
     * antialiases bilinear resizes, which changes every downscale. Width pass then height pass,
     * each {@code x[i0] * w0 + x[i1] * w1}, as torch's CPU kernel. The result lives in {@code x}'s manager.
     */
    public static NDArray resizeBilinear(NDArray x, int outH, int outW) {
        int n = x.getShape().dimension();
        if (n < 2) {
            throw new IllegalArgumentException("resizeBilinear: need at least 2 axes, got " + x.getShape());
        }
        try (NDManager scope = x.getManager().newSubManager()) {
            NDArray in = x.reshape(x.getShape());
            in.attach(scope);
            NDArray y = resizeLinear(resizeLinear(in, n - 1, outW), n - 2, outH);
            y.attach(x.getManager());
            return y;
        }
    }

    /**
     * {@code F.interpolate(mode="linear", align_corners=False)} along one axis: source position
     * {@code max(0, (i + 0.5) * scale - 0.5)} with {@code scale = (float) in / out}, neighbours
     * {@code floor} and the next one (clamped), weights {@code 1 - t} and {@code t}. The result lives
     * in {@code x}'s manager.
     */
    public static NDArray resizeLinear(NDArray x, int axis, int outSize) {
        long[] shape = x.getShape().getShape();
        int inSize = (int) shape[axis];
        if (outSize <= 0) {
            throw new IllegalArgumentException("resizeLinear: output size must be positive, got " + outSize);
        }
        LinearTaps taps = linearTaps(inSize, outSize);
        long[] i0 = new long[outSize];
        long[] i1 = new long[outSize];
        for (int i = 0; i < outSize; i++) {
            i0[i] = taps.index0()[i];
            i1[i] = taps.index1()[i];
        }
        float[] w0 = taps.weight0();
        float[] w1 = taps.weight1();
        long[] bshape = new long[shape.length];
        java.util.Arrays.fill(bshape, 1);
        bshape[axis] = outSize;
        long[] outShape = shape.clone();
        outShape[axis] = outSize;
        NDManager out = x.getManager();
        try (NDManager scope = out.newSubManager()) {
            NDArray in = x.reshape(x.getShape());
            in.attach(scope);
            Shape b = new Shape(bshape);
            Shape o = new Shape(outShape);
            // index and weight tensors in libtorch memory: a training backward reads them after the scope closed
            NDArray g0 = in.gather(owned(scope.create(i0)).reshape(b).broadcast(o), axis);
            NDArray g1 = in.gather(owned(scope.create(i1)).reshape(b).broadcast(o), axis);
            NDArray y = g0.mul(owned(scope.create(w0)).reshape(b)).add(g1.mul(owned(scope.create(w1)).reshape(b)));
            y.attach(out);
            return y;
        }
    }

    /** The two source taps and their weights for each output position of a one-axis linear resize. */
    public record LinearTaps(int[] index0, int[] index1, float[] weight0, float[] weight1) {}

    /**
     * Taps of {@code F.interpolate(mode="linear", align_corners=False)} from {@code inSize} to
     * {@code outSize}: source position {@code max(0, (i + 0.5) * scale - 0.5)} with
     * {@code scale = (float) in / out}, neighbours {@code floor} and the next one (clamped), weights
     * {@code 1 - t} and {@code t}.
     */
    public static LinearTaps linearTaps(int inSize, int outSize) {
        if (inSize <= 0 || outSize <= 0) {
            throw new IllegalArgumentException("linear resize: sizes must be positive, got " + inSize + " -> " + outSize);
        }
        float scale = (float) inSize / outSize;
        int[] i0 = new int[outSize];
        int[] i1 = new int[outSize];
        float[] w0 = new float[outSize];
        float[] w1 = new float[outSize];
        for (int i = 0; i < outSize; i++) {
            // torch 1.13's CPU kernel: a float scale, the source index in double, float weights
            // (checked against one-hot inputs; an all-float index is off by up to 2e-5 in the weights)
            double src = (double) scale * (i + 0.5) - 0.5;
            if (src < 0) {
                src = 0;
            }
            int lo = (int) src;
            i0[i] = lo;
            i1[i] = lo + (lo < inSize - 1 ? 1 : 0);
            w1[i] = (float) Math.min(Math.max(src - lo, 0.0), 1.0);
            w0[i] = 1f - w1[i];
        }
        return new LinearTaps(i0, i1, w0, w1);
    }

    /**
     * A 0-dim constant with {@code like}'s type, in {@code like}'s manager, allocated by libtorch
     * ({@code torch.full}). Forwards that autograd may record (training) use it instead of DJL's
     * Number overloads ({@code x.mul(2f)}): those wrap the number in a tensor over a Java buffer
     * ({@code from_blob}) and close it at once, while autograd keeps that tensor for the backward
     * pass ({@code mul}, {@code div}, {@code pow} save their operands); once the garbage collector
     * frees the buffer the backward reads whatever is there. Same numbers as the Number overload.
     */
    public static NDArray scalar(NDArray like, float value) {
        return like.getManager().full(new Shape(), value, like.getDataType());
    }

    /**
     * {@code a} copied into libtorch-owned memory ({@code a} is closed): for arrays made from Java data
     * ({@code manager.create(float[])}, which shares the Java buffer) that autograd may keep after the
     * Java side is closed; see {@link #scalar}.
     */
    public static NDArray owned(NDArray a) {
        NDArray copy = a.duplicate();
        a.close();
        return copy;
    }

    /**
     * Fails unless {@code a} has {@code dims.length} dimensions matching {@code dims} (-1 = any size),
     * naming the place, the tensor and the shape received.
     */
    public static Shape requireShape(NDArray a, String where, String what, long... dims) {
        if (a == null) {
            throw new IllegalArgumentException(where + ": " + what + " is null");
        }
        Shape s = a.getShape();
        boolean ok = s.dimension() == dims.length;
        for (int i = 0; ok && i < dims.length; i++) {
            ok = dims[i] < 0 || s.get(i) == dims[i];
        }
        if (!ok) {
            throw new IllegalArgumentException(
                    where + ": " + what + " must have shape " + describe(dims) + ", got " + s);
        }
        return s;
    }

    static String describe(long... dims) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < dims.length; i++) {
            if (i > 0) {
                b.append(", ");
            }
            b.append(dims[i] < 0 ? "*" : Long.toString(dims[i]));
        }
        return b.append(')').toString();
    }
}
