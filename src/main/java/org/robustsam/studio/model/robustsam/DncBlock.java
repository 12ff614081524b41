package org.robustsam.studio.model.robustsam;

import org.robustsam.studio.model.sam.Scope;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import org.robustsam.studio.model.sam.Ops;
import org.robustsam.studio.model.sam.SamModule;

/**
 * AMFG's degradation-invariant normalisation block ({@code dnc_block_combined}, reference
 * {@code DNCBlock_combined}): the input and its {@link SelectiveConv} version side by side
 * ({@code [B, 2C, H, W]}), weighted by {@link ChannelAttention}.
 *
 * <p>Keys: {@code channel_attention.*} then {@code SEMBlock.maxpool_conv.0.*} (the reference wraps
 * the selective conv in {@code SKDown}'s one-entry {@code maxpool_conv} sequence).
 */
final class DncBlock extends SamModule {
    static final int KERNEL = 3;
    static final int PADDING = 1;
    static final int SELECTOR_REDUCTION = 16;

    private final int channels;
    private final ChannelAttention channelAttention;
    private final SelectiveConv selectiveConv;

    DncBlock(int channels) {
        this.channels = channels;
        this.channelAttention = child("channel_attention", new ChannelAttention(2 * channels));
        SkDown sem = child("SEMBlock", new SkDown());
        this.selectiveConv = sem.maxpoolConv.add(0,
                new SelectiveConv(channels, channels, KERNEL, PADDING, SELECTOR_REDUCTION));
    }

    /** {@code [B, C, H, W] -> [B, 2C, H, W]}; the result lives in {@code x}'s manager. */
    NDArray forward(NDArray x) {
        Ops.requireShape(x, "DncBlock", "x", -1, channels, -1, -1);
        try (Scope scope = Scope.of(x)) {
            x = scope.in(x);
            NDArray all = NDArrays.concat(new NDList(x, selectiveConv.forward(x)), 1);
            return scope.keep(channelAttention.forward(all));
        }
    }

    /** The reference's {@code SKDown}: only a name level ({@code maxpool_conv}) around the selective conv. */
    static final class SkDown extends SamModule {
        final Sequential maxpoolConv = child("maxpool_conv", new Sequential());
    }
}
