package org.robustsam.studio.model.mobilesam;

import ai.djl.ndarray.NDArray;
import org.robustsam.studio.model.sam.ModuleList;
import org.robustsam.studio.model.sam.SamModule;
import org.robustsam.studio.model.sam.Scope;

/** A TinyViT attention stage ({@code layers.i}, i >= 1): {@link TinyViTBlock} {@code blocks}, then an optional {@code downsample}. */
public final class BasicLayer extends SamModule {
    private final TinyViTBlock[] blocks;
    private final PatchMerging downsample;

    /** @param outDim width after the patch merging; {@code mergeStride} 0 for a stage without one */
    public BasicLayer(int dim, int resolution, int depth, int numHeads, int window, float mlpRatio, int localConvSize,
            int outDim, int mergeStride) {
        ModuleList list = child("blocks", new ModuleList());
        blocks = new TinyViTBlock[depth];
        for (int i = 0; i < depth; i++) {
            blocks[i] = list.add(i, new TinyViTBlock(dim, resolution, numHeads, window, mlpRatio, localConvSize));
        }
        this.downsample = mergeStride > 0
                ? child("downsample", new PatchMerging(resolution, dim, outDim, mergeStride))
                : null;
    }

    /** Tokens {@code [B, res*res, dim]} -> tokens {@code [B, res'*res', outDim]}; the result lives in {@code x}'s manager. */
    public NDArray forward(NDArray x) {
        try (Scope scope = Scope.of(x)) {
            NDArray h = scope.in(x);
            for (TinyViTBlock block : blocks) {
                NDArray next = block.forward(h);
                h.close();
                h = next;
            }
            return scope.keep(downsample == null ? h : downsample.forward(h));
        }
    }
}
