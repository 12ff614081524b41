package org.robustsam.studio.model.robustsam;

import org.robustsam.studio.model.sam.Scope;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import org.robustsam.studio.model.sam.Linear;
import org.robustsam.studio.model.sam.Ops;
import org.robustsam.studio.model.sam.SamModule;

/**
 * The DNC block's selector ({@code selector}): a 4x4 adaptive average pool of the summed branches,
 * {@code fc} (Linear without bias, ReLU) and two heads {@code att_conv1}/{@code att_conv2} whose
 * 4x4 maps are softmaxed against each other and blown up (nearest) to the feature size: a spatial
 * choice between the batch-normalised and the instance-normalised branch.
 */
final class Selector extends SamModule {
    static final int GRID = 4;

    private final int channels;
    private final Linear fc0;
    private final Linear attConv1;
    private final Linear attConv2;

    Selector(int channels, int reduction) {
        this.channels = channels;
        int in = channels * GRID * GRID;
        Sequential fc = child("fc", new Sequential());
        fc0 = fc.add(0, new Linear(in, in / reduction, false));
        attConv1 = child("att_conv1", new Linear(in / reduction, in));
        attConv2 = child("att_conv2", new Linear(in / reduction, in));
    }

    /**
     * {@code [B, C, H, W]} (H, W multiples of 4) -> the two attention maps {@code [B, C, H, W]}, summing to 1
     * at every position; results live in {@code x}'s manager.
     */
    NDArray[] forward(NDArray x) {
        long[] s = Ops.requireShape(x, "Selector", "x", -1, channels, -1, -1).getShape();
        long b = s[0];
        long h = s[2];
        long w = s[3];
        if (h % GRID != 0 || w % GRID != 0) {
            throw new IllegalArgumentException("Selector: feature size must be a multiple of " + GRID + ", got " + x.getShape());
        }
        try (Scope scope = Scope.of(x)) {
            x = scope.in(x);
            // AdaptiveAvgPool2d((4, 4)) with exact bins: the mean of each (H/4) x (W/4) block
            NDArray blocks = x.reshape(b, channels, GRID, h / GRID, GRID, w / GRID).transpose(0, 1, 2, 4, 3, 5);
            NDArray pooled = Norms.meanOverTrailing(blocks, 2); // [B, C, 4, 4]
            NDArray y = fc0.forward(pooled.reshape(b, -1)).getNDArrayInternal().relu();
            NDArray att1 = attConv1.forward(y).reshape(b, channels, GRID, GRID);
            NDArray att2 = attConv2.forward(y).reshape(b, channels, GRID, GRID);
            NDArray attention = NDArrays.stack(new NDList(att1, att2)).softmax(0);
            // F.interpolate(scale_factor=H/4, mode="nearest"): source index floor(i / (H/4)), i.e. each cell repeated
            NDArray up = attention.repeat(3, h / GRID).repeat(4, w / GRID);
            return new NDArray[] {scope.keep(up.get(0)), scope.keep(up.get(1))};
        }
    }
}
