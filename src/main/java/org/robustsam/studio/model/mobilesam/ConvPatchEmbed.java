package org.robustsam.studio.model.mobilesam;

import ai.djl.ndarray.NDArray;
import org.robustsam.studio.model.sam.ModuleList;
import org.robustsam.studio.model.sam.Ops;
import org.robustsam.studio.model.sam.SamModule;
import org.robustsam.studio.model.sam.Scope;

/**
 * TinyViT's {@code PatchEmbed} ({@code image_encoder.patch_embed}): {@code seq.0} 3x3 stride-2
 * Conv2d_BN to half the width, GELU ({@code seq.1}, no weights), {@code seq.2} 3x3 stride-2
 * Conv2d_BN to the width: a quarter of the image side.
 */
public final class ConvPatchEmbed extends SamModule {
    private final int inChans;
    private final Conv2dBN conv0;
    private final Conv2dBN conv2;

    public ConvPatchEmbed(int inChans, int embedDim) {
        this.inChans = inChans;
        ModuleList seq = child("seq", new ModuleList());
        this.conv0 = seq.add(0, new Conv2dBN(inChans, embedDim / 2, 3, 2, 1, 1));
        this.conv2 = seq.add(2, new Conv2dBN(embedDim / 2, embedDim, 3, 2, 1, 1));
    }

    /** {@code [B, 3, H, W] -> [B, embed, H/4, W/4]}; the result lives in {@code x}'s manager. */
    public NDArray forward(NDArray x) {
        Ops.requireShape(x, "TinyViT PatchEmbed", "image", -1, inChans, -1, -1);
        try (Scope scope = Scope.of(x)) {
            x = scope.in(x);
            return scope.keep(conv2.forward(Ops.gelu(conv0.forward(x))));
        }
    }
}
