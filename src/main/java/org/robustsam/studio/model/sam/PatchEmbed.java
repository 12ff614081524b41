package org.robustsam.studio.model.sam;

import ai.djl.ndarray.NDArray;

/** Image to patch embedding: a {@code patch x patch} convolution with stride {@code patch} ({@code proj}). */
public final class PatchEmbed extends SamModule {
    private final Conv2d proj;
    private final int patch;
    private final int inChans;

    public PatchEmbed(int patch, int inChans, int embedDim) {
        this.patch = patch;
        this.inChans = inChans;
        this.proj = child("proj", new Conv2d(inChans, embedDim, patch, patch, 0, true));
    }

    /** {@code [B, 3, H, W] -> [B, H/patch, W/patch, embed]} (channels last, as the ViT blocks want). */
    public NDArray forward(NDArray x) {
        long[] s = Ops.requireShape(x, "PatchEmbed", "image", -1, inChans, -1, -1).getShape();
        if (s[2] % patch != 0 || s[3] % patch != 0) {
            throw new IllegalArgumentException("PatchEmbed: image sides must be multiples of " + patch + ", got "
                    + x.getShape());
        }
        try (Scope scope = Scope.of(x)) {
            x = scope.in(x);
            return scope.keep(proj.forward(x).transpose(0, 2, 3, 1));
        }
    }
}
