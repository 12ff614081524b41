package org.robustsam.studio.model.robustsam;

import org.robustsam.studio.model.sam.Scope;
import ai.djl.ndarray.NDArray;
import org.robustsam.studio.model.sam.Linear;
import org.robustsam.studio.model.sam.Ops;
import org.robustsam.studio.model.sam.SamModule;

/**
 * Channel attention ({@code channel_attention}, reference {@code CABlock}): squeeze (global mean)
 * and excite ({@code excitation.0} Linear, ReLU, {@code excitation.2} Linear, sigmoid), then each
 * channel scaled by its weight.
 */
final class ChannelAttention extends SamModule {
    static final int REDUCTION = 16;

    private final int channels;
    private final Linear excite0;
    private final Linear excite2;

    ChannelAttention(int channels) {
        this.channels = channels;
        Sequential excitation = child("excitation", new Sequential());
        excite0 = excitation.add(0, new Linear(channels, channels / REDUCTION));
        excite2 = excitation.add(2, new Linear(channels / REDUCTION, channels));
    }

    /** {@code [B, C, H, W] -> [B, C, H, W]}; the result lives in {@code x}'s manager. */
    NDArray forward(NDArray x) {
        long b = Ops.requireShape(x, "ChannelAttention", "x", -1, channels, -1, -1).get(0);
        try (Scope scope = Scope.of(x)) {
            x = scope.in(x);
            NDArray squeeze = Norms.meanOverTrailing(x, 2); // [B, C]
            NDArray e = excite2.forward(excite0.forward(squeeze).getNDArrayInternal().relu()).getNDArrayInternal().sigmoid();
            return scope.keep(x.mul(e.reshape(b, channels, 1, 1)));
        }
    }
}
