package org.robustsam.studio.model.robustsam;

import org.robustsam.studio.model.sam.Scope;
import ai.djl.ndarray.NDArray;
import java.util.function.UnaryOperator;
import org.robustsam.studio.model.sam.Conv2d;
import org.robustsam.studio.model.sam.ConvTranspose2d;
import org.robustsam.studio.model.sam.LayerNorm2d;
import org.robustsam.studio.model.sam.Ops;
import org.robustsam.studio.model.sam.SamModule;

/**
 * One anti-degradation mask feature generation (AMFG) block: on the RobustSAM path
 * ({@code clear == false}) {@link DncBlock}, {@link FgmBlock} and a 3x3 {@code conv_layer} back to
 * the input width clean the features; on both paths a tail brings them to the mask feature shape
 * {@code [B, C/8, 256, 256]} (C = transformer width 256).
 *
 * <p>The reference's three variants differ only in width and tail:
 * <ul>
 *   <li>{@code fourier_first_layer_features} ({@code FirstLayerFeatureBlock}): the first global ViT
 *       block's output, width = ViT width; {@code upsample_layer} = ConvTranspose2d(w, C, 2), LayerNorm2d,
 *       GELU, ConvTranspose2d(C, C/8, 2).</li>
 *   <li>{@code fourier_last_layer_features} ({@code LastLayerFeatureBlock}): the image embedding, width C;
 *       the same upsampling tail.</li>
 *   <li>{@code fourier_mask_features} ({@code MaskFeatureBlock}): the decoder's upscaled mask features,
 *       width C/8; {@code downsample_layer} = Conv2d(C/8, C/4, 3), LayerNorm2d, GELU, Conv2d(C/4, C/8, 3)
 *       (named "downsample" in the reference, it keeps the size).</li>
 * </ul>
 */
final class AmfgBlock extends SamModule {
    private final int width;
    private final DncBlock dnc;
    private final FgmBlock fgm;
    private final Conv2d conv;
    private final UnaryOperator<NDArray> tail0;
    private final LayerNorm2d tailNorm;
    private final UnaryOperator<NDArray> tail3;

    private AmfgBlock(int width, boolean upsampling, int transformerDim) {
        this.width = width;
        this.dnc = child("dnc_block_combined", new DncBlock(width));
        this.fgm = child("fgm_block", new FgmBlock(2 * width));
        this.conv = child("conv_layer", new Conv2d(2 * width, width, 3, 1, 1, true));
        Sequential tail = child(upsampling ? "upsample_layer" : "downsample_layer", new Sequential());
        if (upsampling) {
            tail0 = tail.add(0, new ConvTranspose2d(width, transformerDim, 2))::forward;
            tailNorm = tail.add(1, new LayerNorm2d(transformerDim));
            tail3 = tail.add(3, new ConvTranspose2d(transformerDim, transformerDim / 8, 2))::forward;
        } else {
            tail0 = tail.add(0, new Conv2d(width, 2 * width, 3, 1, 1, true))::forward;
            tailNorm = tail.add(1, new LayerNorm2d(2 * width));
            tail3 = tail.add(3, new Conv2d(2 * width, width, 3, 1, 1, true))::forward;
        }
    }

    /** {@code fourier_first_layer_features} / {@code fourier_last_layer_features}: 4x upsampling to C/8 channels. */
    static AmfgBlock upsampling(int width, int transformerDim) {
        return new AmfgBlock(width, true, transformerDim);
    }

    /** {@code fourier_mask_features}: on the decoder's mask features, width C/8, size kept. */
    static AmfgBlock maskFeatures(int transformerDim) {
        return new AmfgBlock(transformerDim / 8, false, transformerDim);
    }

    /**
     * {@code [B, width, H, W] -> [B, C/8, 4H, 4W]} (upsampling) or {@code [B, C/8, H, W]} (mask
     * features); with {@code clear} only the tail runs (SAM's path keeps its features as they are).
     * The result lives in {@code x}'s manager.
     */
    NDArray forward(NDArray x, boolean clear) {
        Ops.requireShape(x, "AmfgBlock", "x", -1, width, -1, -1);
        try (Scope scope = Scope.of(x)) {
            x = scope.in(x);
            if (!clear) {
                x = conv.forward(fgm.forward(dnc.forward(x)));
            }
            return scope.keep(tail3.apply(Ops.gelu(tailNorm.forward(tail0.apply(x)))));
        }
    }
}
