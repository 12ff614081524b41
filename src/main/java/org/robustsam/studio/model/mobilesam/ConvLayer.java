package org.robustsam.studio.model.mobilesam;

import ai.djl.ndarray.NDArray;
import org.robustsam.studio.model.sam.ModuleList;
import org.robustsam.studio.model.sam.SamModule;
import org.robustsam.studio.model.sam.Scope;

/** TinyViT's first stage ({@code layers.0}): MBConv {@code blocks}, then the {@code downsample} patch merging. */
public final class ConvLayer extends SamModule {
    private final MBConv[] blocks;
    private final PatchMerging downsample;

    public ConvLayer(int dim, int resolution, int depth, float expandRatio, int outDim, int mergeStride) {
        ModuleList list = child("blocks", new ModuleList());
        blocks = new MBConv[depth];
        for (int i = 0; i < depth; i++) {
            blocks[i] = list.add(i, new MBConv(dim, dim, expandRatio));
        }
        this.downsample = child("downsample", new PatchMerging(resolution, dim, outDim, mergeStride));
    }

    /** {@code [B, dim, res, res]} -> tokens {@code [B, res'*res', outDim]}; the result lives in {@code x}'s manager. */
    public NDArray forward(NDArray x) {
        try (Scope scope = Scope.of(x)) {
            NDArray h = scope.in(x);
            for (MBConv block : blocks) {
                NDArray next = block.forward(h);
                h.close();
                h = next;
            }
            return scope.keep(downsample.forward(h));
        }
    }
}
