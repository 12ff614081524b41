package org.robustsam.studio.model.robustsam;

import org.robustsam.studio.model.sam.Scope;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import org.robustsam.studio.model.sam.SamModule;

/**
 * {@code nn.BatchNorm2d}. In eval mode (inference) each channel is normalised with the running
 * statistics, {@code (x - running_mean) / sqrt(running_var + 1e-5) * weight + bias}. In training
 * mode ({@link #setTraining}, as the reference's {@code model.train()}) it uses the batch's own
 * statistics over (B, H, W), biased variance, and moves the running statistics towards them with
 * momentum 0.1 (the unbiased variance, as torch), counting the batch in {@code num_batches_tracked}.
 *
 * <p>{@code num_batches_tracked} is an int64 scalar in the checkpoint; it is declared here so the
 * strict key walk consumes it ({@link RobustSam} reads it as float32).
 */
final class BatchNorm2d extends SamModule {
    static final float EPS = 1e-5f;
    static final String BATCH_COUNTER = "num_batches_tracked";
    static final float MOMENTUM = 0.1f;

    private final int channels;
    private final Parameter weight;
    private final Parameter bias;
    private final Parameter runningMean;
    private final Parameter runningVar;
    private final Parameter batchCounter;
    private NDArray scale; // [C, 1, 1]: weight / sqrt(running_var + eps)
    private NDArray shift; // [C, 1, 1]: bias - running_mean * scale

    BatchNorm2d(int channels) {
        this.channels = channels;
        this.weight = parameter("weight", channels);
        this.bias = parameter("bias", channels);
        this.runningMean = parameter("running_mean", channels);
        this.runningVar = parameter("running_var", channels);
        this.batchCounter = parameter(BATCH_COUNTER);
    }

    @Override
    protected void onLoaded(NDManager manager) {
        try (NDManager tmp = manager.newSubManager()) {
            NDArray var = runningVar.get().reshape(channels, 1, 1);
            var.attach(tmp);
            NDArray mean = runningMean.get().reshape(channels, 1, 1);
            mean.attach(tmp);
            NDArray w = weight.get().reshape(channels, 1, 1);
            w.attach(tmp);
            NDArray b = bias.get().reshape(channels, 1, 1);
            b.attach(tmp);
            // torch's eval batch_norm folds the same way: invstd = 1 / sqrt(var + eps), then x * (w * invstd) + (b - mean * w * invstd)
            scale = w.mul(var.add(EPS).sqrt().getNDArrayInternal().rdiv(1f));
            shift = b.sub(mean.mul(scale));
            scale.attach(manager);
            shift.attach(manager);
        }
    }

    /** {@code [B, C, H, W] -> [B, C, H, W]}; the result lives in {@code x}'s manager. */
    NDArray forward(NDArray x) {
        try (Scope scope = Scope.of(x)) {
            x = scope.in(x);
            if (isTraining()) {
                return scope.keep(forwardTraining(x));
            }
            return scope.keep(x.mul(scale).add(shift));
        }
    }

    /** Batch statistics (differentiable), then the running-statistics update with autograd off. */
    private NDArray forwardTraining(NDArray x) {
        long[] s = x.getShape().getShape();
        long n = s[0] * s[2] * s[3];
        NDArray perChannel = x.transpose(1, 0, 2, 3).reshape(channels, n); // [C, B*H*W]
        NDArray mean = perChannel.mean(new int[] {1}, true); // [C, 1]
        NDArray centred = perChannel.sub(mean);
        NDArray var = centred.square().mean(new int[] {1}, true); // biased, as the normalisation uses
        NDArray y = centred.div(var.add(EPS).sqrt()).reshape(channels, s[0], s[2], s[3]).transpose(1, 0, 2, 3);
        NDArray w = weight.get().reshape(channels, 1, 1);
        NDArray b = bias.get().reshape(channels, 1, 1);
        NDArray out = y.mul(w).add(b);
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            float unbias = n > 1 ? (float) n / (n - 1) : 1f;
            runningMean.get().muli(1 - MOMENTUM).addi(mean.reshape(channels).mul(MOMENTUM));
            runningVar.get().muli(1 - MOMENTUM).addi(var.reshape(channels).mul(MOMENTUM * unbias));
            batchCounter.get().addi(1f);
        } finally {
            JniUtils.setGradMode(grad);
        }
        return out;
    }
}
