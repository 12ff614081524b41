package org.robustsam.studio.model.sam;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;

/**
 * SAM's ViT image encoder ({@code image_encoder}): {@code patch_embed}, absolute {@code pos_embed},
 * {@code blocks.i} (windowed, global at the configured indexes), and the {@code neck}
 * (1x1 conv, LayerNorm2d, 3x3 conv, LayerNorm2d) down to the prompt dimension.
 */
public final class ImageEncoderViT extends SamModule implements SamImageEncoder {
    private final SamConfig config;
    private final PatchEmbed patchEmbed;
    private final Parameter posEmbed;
    private final ViTBlock[] blocks;
    private final Conv2d neck0;
    private final LayerNorm2d neck1;
    private final Conv2d neck2;
    private final LayerNorm2d neck3;

    public ImageEncoderViT(SamConfig c) {
        this.config = c;
        int grid = c.imageEmbeddingSize();
        int dim = c.encoderEmbedDim();
        this.patchEmbed = child("patch_embed", new PatchEmbed(c.patchSize(), 3, dim));
        this.posEmbed = parameter("pos_embed", 1, grid, grid, dim);
        ModuleList list = child("blocks", new ModuleList());
        blocks = new ViTBlock[c.encoderDepth()];
        for (int i = 0; i < blocks.length; i++) {
            int window = c.isGlobal(i) ? 0 : c.windowSize();
            blocks[i] = list.add(i, new ViTBlock(dim, c.encoderNumHeads(), c.mlpRatio(), c.vitNormEps(),
                    c.useRelPos(), window, grid));
        }
        ModuleList neck = child("neck", new ModuleList());
        int out = c.promptEmbedDim();
        neck0 = neck.add(0, new Conv2d(dim, out, 1, 1, 0, false));
        neck1 = neck.add(1, new LayerNorm2d(out));
        neck2 = neck.add(2, new Conv2d(out, out, 3, 1, 1, false));
        neck3 = neck.add(3, new LayerNorm2d(out));
    }

    /** The ViT blocks in order (read-only view). */
    public List<ViTBlock> blocks() {
        return List.of(blocks);
    }

    /** {@code [B, 3, 1024, 1024]} normalised and padded -> embedding {@code [B, 256, 64, 64]}. */
    public NDArray forward(NDArray image) {
        return forward(image, false).imageEmbedding();
    }

    /**
     * {@code [B, 3, 1024, 1024]} normalised and padded -> embedding {@code [B, 256, 64, 64]} and, if
     * {@code keepGlobalBlockOutputs}, each global block's output {@code [B, 64, 64, width]}.
     * Results live in {@code image}'s manager.
     */
    @Override
    public EncoderOutput forward(NDArray image, boolean keepGlobalBlockOutputs) {
        Ops.requireShape(image, "ImageEncoderViT", "image", -1, 3, config.imgSize(), config.imgSize());
        try (Scope scope = Scope.of(image)) {
            image = scope.in(image);
            NDArray x = patchEmbed.forward(image).add(posEmbed.get()); // [B, 64, 64, dim]
            List<NDArray> kept = new ArrayList<>();
            boolean xKept = false;
            for (ViTBlock block : blocks) {
                NDArray next = block.forward(x);
                if (!xKept) {
                    x.close(); // free each block's input early: the encoder's peak memory is one block
                }
                x = next;
                xKept = keepGlobalBlockOutputs && block.isGlobal();
                if (xKept) {
                    kept.add(x);
                }
            }
            NDArray y = x.transpose(0, 3, 1, 2); // [B, dim, 64, 64]
            y = neck3.forward(neck2.forward(neck1.forward(neck0.forward(y))));
            for (NDArray k : kept) {
                scope.keep(k);
            }
            return new EncoderOutput(scope.keep(y), kept);
        }
    }
}
