package org.robustsam.studio.model.mobilesam;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import org.robustsam.studio.model.sam.SamModule;
import org.robustsam.studio.model.sam.Scope;

/**
 * {@code nn.BatchNorm2d} in eval mode: {@code weight}, {@code bias}, and the buffers
 * {@code running_mean}, {@code running_var} and {@code num_batches_tracked} (an int64 scalar that
 * only training uses; it is in every checkpoint, so it is declared and consumed).
 * Inference normalises with the running statistics: {@code y = (x - mean) / sqrt(var + eps) * w + b}.
 */
public final class BatchNorm2d extends SamModule {
    static final float EPS = 1e-5f;

    private final int channels;
    private final Parameter weight;
    private final Parameter bias;
    private final Parameter runningMean;
    private final Parameter runningVar;

    public BatchNorm2d(int channels) {
        this.channels = channels;
        this.weight = parameter("weight", channels);
        this.bias = parameter("bias", channels);
        this.runningMean = parameter("running_mean", channels);
        this.runningVar = parameter("running_var", channels);
        buffer("num_batches_tracked", DataType.INT64);
    }

    public int channels() {
        return channels;
    }

    /**
     * The affine map this layer applies in eval mode: gain {@code s = w / sqrt(var + eps)} and offset
     * {@code b - mean * s}, each {@code [C]}, in {@code scope}.
     */
    NDArray[] gainAndOffset(Scope scope) {
        NDArray s = scope.in(weight.get()).div(scope.in(runningVar.get()).add(EPS).sqrt());
        NDArray offset = scope.in(bias.get()).sub(scope.in(runningMean.get()).mul(s));
        return new NDArray[] {s, offset};
    }
}
