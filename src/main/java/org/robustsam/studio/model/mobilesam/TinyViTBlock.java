package org.robustsam.studio.model.mobilesam;

import ai.djl.ndarray.NDArray;
import org.robustsam.studio.model.sam.Ops;
import org.robustsam.studio.model.sam.SamModule;
import org.robustsam.studio.model.sam.Scope;
import org.robustsam.studio.model.sam.ViTBlock;

/**
 * A TinyViT block ({@code layers.i.blocks.j}): window attention ({@code attn}) with a residual, a 3x3
 * depthwise Conv2d_BN ({@code local_conv}) over the token grid, then the MLP ({@code mlp}) with a
 * residual.
 *
 * <p>Unlike SAM's ViT block, the grid is zero-padded to whole windows before the attention's own
 * LayerNorm, so padded tokens enter the window attention as keys with the norm's bias as their
 * features; the reference does that and this follows it. All windows of the grid go through the
 * attention as one batch.
 */
public final class TinyViTBlock extends SamModule {
    private final int dim;
    private final int resolution;
    private final int window;
    private final TinyViTAttention attn;
    private final TinyViTMlp mlp;
    private final Conv2dBN localConv;

    public TinyViTBlock(int dim, int resolution, int numHeads, int window, float mlpRatio, int localConvSize) {
        if (dim % numHeads != 0) {
            throw new IllegalArgumentException("TinyViT block: width " + dim + " not divisible by " + numHeads + " heads");
        }
        this.dim = dim;
        this.resolution = resolution;
        this.window = window;
        this.attn = child("attn", new TinyViTAttention(dim, dim / numHeads, numHeads, 1, window));
        this.mlp = child("mlp", new TinyViTMlp(dim, (int) (dim * mlpRatio)));
        this.localConv = child("local_conv",
                new Conv2dBN(dim, dim, localConvSize, 1, localConvSize / 2, dim));
    }

    /** Tokens {@code [B, res*res, dim] -> [B, res*res, dim]}; the result lives in {@code x}'s manager. */
    public NDArray forward(NDArray x) {
        int r = resolution;
        long l = (long) r * r;
        long b = Ops.requireShape(x, "TinyViTBlock", "tokens", -1, l, dim).get(0);
        try (Scope scope = Scope.of(x)) {
            x = scope.in(x);
            NDArray a;
            if (r == window) {
                a = attn.forward(x);
            } else {
                int padded = r + (window - r % window) % window;
                NDArray windows = ViTBlock.windowPartition(x.reshape(b, r, r, dim), window) // [B * nW, ws, ws, C]
                        .reshape(-1, (long) window * window, dim);
                NDArray out = attn.forward(windows).reshape(-1, window, window, dim);
                a = ViTBlock.windowUnpartition(out, window, padded, padded, r, r).reshape(b, l, dim);
            }
            NDArray y = x.add(a);
            // The local conv over the grid. Row-major tokens [B, L, C] are the channels-last memory of
            // [B, C, H, W], so both ways are views (reshape only while row-major: DJL's reshape of a
            // strided tensor copies it row-major) and oneDNN runs the depthwise conv in NHWC.
            NDArray grid = y.reshape(b, r, r, dim).transpose(0, 3, 1, 2);
            y = localConv.forward(grid).transpose(0, 2, 3, 1).reshape(b, l, dim);
            return scope.keep(y.add(mlp.forward(y)));
        }
    }
}
