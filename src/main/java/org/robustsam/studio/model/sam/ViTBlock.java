package org.robustsam.studio.model.sam;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * A ViT block ({@code image_encoder.blocks.i}): pre-norm attention, windowed (with zero padding
 * to a multiple of the window) or global, then a pre-norm GELU MLP, both residual.
 */
public final class ViTBlock extends SamModule {
    private final int dim;
    private final int windowSize;
    private final LayerNorm norm1;
    private final Attention attn;
    private final LayerNorm norm2;
    private final MlpBlock mlp;

    /**
     * @param windowSize 0 for global attention
     * @param gridSize the token grid side for global attention (img_size / patch)
     */
    public ViTBlock(int dim, int numHeads, int mlpRatio, float eps, boolean useRelPos, int windowSize, int gridSize) {
        this.dim = dim;
        this.windowSize = windowSize;
        int attnSize = windowSize == 0 ? gridSize : windowSize;
        this.norm1 = child("norm1", new LayerNorm(dim, eps));
        this.attn = child("attn", new Attention(dim, numHeads, useRelPos, attnSize, attnSize));
        this.norm2 = child("norm2", new LayerNorm(dim, eps));
        this.mlp = child("mlp", new MlpBlock(dim, dim * mlpRatio, MlpBlock.Activation.GELU));
    }

    public boolean isGlobal() {
        return windowSize == 0;
    }

    /** {@code [B, H, W, dim] -> [B, H, W, dim]}. */
    public NDArray forward(NDArray x) {
        long[] s = Ops.requireShape(x, "ViTBlock", "x", -1, -1, -1, dim).getShape();
        try (Scope scope = Scope.of(x)) {
            x = scope.in(x);
            NDArray h = norm1.forward(x);
            if (windowSize > 0) {
                int hh = (int) s[1];
                int ww = (int) s[2];
                NDArray windows = windowPartition(h, windowSize);
                h = windowUnpartition(attn.forward(windows), windowSize, padded(hh), padded(ww), hh, ww);
            } else {
                h = attn.forward(h);
            }
            NDArray y = x.add(h);
            y = y.add(mlp.forward(norm2.forward(y)));
            return scope.keep(y);
        }
    }

    private int padded(int n) {
        return n + (windowSize - n % windowSize) % windowSize;
    }

    /**
     * {@code window_partition}: {@code [B, H, W, C]} zero-padded at the bottom/right to multiples of
     * {@code ws}, then cut into {@code [B * nWindows, ws, ws, C]} (row-major window order). The result
     * lives in {@code x}'s manager.
     */
    public static NDArray windowPartition(NDArray x, int ws) {
        long[] s = Ops.requireShape(x, "window_partition", "x", -1, -1, -1, -1).getShape();
        long b = s[0];
        long h = s[1];
        long w = s[2];
        long c = s[3];
        long padH = (ws - h % ws) % ws;
        long padW = (ws - w % ws) % ws;
        try (Scope scope = Scope.of(x)) {
            x = scope.in(x);
            NDArray p = x;
            if (padH > 0 || padW > 0) {
                // F.pad order: last axis first, (before, after) pairs
                p = x.pad(new Shape(0, 0, 0, padW, 0, padH), 0);
            }
            long hp = h + padH;
            long wp = w + padW;
            NDArray out = p.reshape(b, hp / ws, ws, wp / ws, ws, c).transpose(0, 1, 3, 2, 4, 5)
                    .reshape(-1, ws, ws, c);
            return scope.keep(out);
        }
    }

    /**
     * {@code window_unpartition}: {@code [B * nWindows, ws, ws, C]} back to {@code [B, hp, wp, C]},
     * padding removed to {@code [B, h, w, C]}. The result lives in {@code windows}' manager.
     */
    public static NDArray windowUnpartition(NDArray windows, int ws, int hp, int wp, int h, int w) {
        long[] s = Ops.requireShape(windows, "window_unpartition", "windows", -1, ws, ws, -1).getShape();
        long nw = (long) (hp / ws) * (wp / ws);
        if (s[0] % nw != 0) {
            throw new IllegalArgumentException("window_unpartition: " + s[0] + " windows is not a multiple of " + nw);
        }
        long b = s[0] / nw;
        try (Scope scope = Scope.of(windows)) {
            windows = scope.in(windows);
            NDArray x = windows.reshape(b, hp / ws, wp / ws, ws, ws, s[3]).transpose(0, 1, 3, 2, 4, 5)
                    .reshape(b, hp, wp, s[3]);
            if (hp > h || wp > w) {
                x = x.get(":, :{}, :{}, :", h, w);
            }
            return scope.keep(x);
        }
    }
}
