package org.robustsam.studio.model.mobilesam;

import ai.djl.ndarray.NDArray;
import org.robustsam.studio.model.sam.Ops;
import org.robustsam.studio.model.sam.SamModule;
import org.robustsam.studio.model.sam.Scope;

/**
 * TinyViT's {@code PatchMerging} ({@code layers.i.downsample}): 1x1 Conv2d_BN to the next width,
 * GELU, 3x3 depthwise Conv2d_BN with stride {@code stride}, GELU, 1x1 Conv2d_BN; tokens out.
 */
public final class PatchMerging extends SamModule {
    private final int resolution;
    private final int dim;
    private final int outDim;
    private final Conv2dBN conv1;
    private final Conv2dBN conv2;
    private final Conv2dBN conv3;

    /** @param resolution side of the input grid (for token input) */
    public PatchMerging(int resolution, int dim, int outDim, int stride) {
        this.resolution = resolution;
        this.dim = dim;
        this.outDim = outDim;
        this.conv1 = child("conv1", new Conv2dBN(dim, outDim));
        this.conv2 = child("conv2", new Conv2dBN(outDim, outDim, 3, stride, 1, outDim));
        this.conv3 = child("conv3", new Conv2dBN(outDim, outDim));
    }

    /**
     * Tokens {@code [B, res*res, dim]} or channels-first {@code [B, dim, res, res]} -> tokens
     * {@code [B, res'*res', outDim]}; the result lives in {@code x}'s manager.
     */
    public NDArray forward(NDArray x) {
        long b = x.getShape().get(0);
        try (Scope scope = Scope.of(x)) {
            x = scope.in(x);
            if (x.getShape().dimension() == 3) {
                Ops.requireShape(x, "PatchMerging", "tokens", -1, (long) resolution * resolution, dim);
                x = x.reshape(b, resolution, resolution, dim).transpose(0, 3, 1, 2); // a channels-last view
            } else {
                Ops.requireShape(x, "PatchMerging", "x", -1, dim, resolution, resolution);
            }
            NDArray y = conv3.forward(Ops.gelu(conv2.forward(Ops.gelu(conv1.forward(x)))));
            // flatten(2).transpose(1, 2): y is channels-last, so the row-major tokens are a view of it
            return scope.keep(y.transpose(0, 2, 3, 1).reshape(b, -1, outDim));
        }
    }
}
