package org.robustsam.studio.model.sam;

import java.util.List;
import java.util.Locale;

/**
 * The shape of a SAM network, as data (the Java counterpart of {@code build_sam.py}).
 *
 * <p>Everything the official builders fix (image size 1024, patch 16, prompt dim 256, window 14,
 * relative positions on, MLP ratio 4, LayerNorm eps 1e-6 in the ViT, the decoder's two-way
 * transformer of depth 2 with 8 heads and MLP 2048) is a field here so {@link #expectedShapes}
 * style checks and tests can derive every tensor shape from one record.
 */
public record SamConfig(
        String name,
        int encoderEmbedDim,
        int encoderDepth,
        int encoderNumHeads,
        List<Integer> globalAttnIndexes,
        int imgSize,
        int patchSize,
        int promptEmbedDim,
        int windowSize,
        boolean useRelPos,
        int mlpRatio,
        float vitNormEps,
        int maskInChans,
        int decoderDepth,
        int decoderNumHeads,
        int decoderMlpDim,
        int attentionDownsampleRate,
        int numMultimaskOutputs,
        int iouHeadDepth,
        int iouHeadHiddenDim) {

    public SamConfig {
        globalAttnIndexes = List.copyOf(globalAttnIndexes);
        if (encoderEmbedDim % encoderNumHeads != 0) {
            throw new IllegalArgumentException(
                    "encoder width " + encoderEmbedDim + " not divisible by heads " + encoderNumHeads);
        }
        if (imgSize % patchSize != 0) {
            throw new IllegalArgumentException("img_size " + imgSize + " not a multiple of patch " + patchSize);
        }
        for (int i : globalAttnIndexes) {
            if (i < 0 || i >= encoderDepth) {
                throw new IllegalArgumentException("global attention index " + i + " outside depth " + encoderDepth);
            }
        }
    }

    /** SAM ViT-B: 768 wide, 12 deep, 12 heads, global attention at 2, 5, 8, 11. */
    public static final SamConfig VIT_B = standard("vit_b", 768, 12, 12, List.of(2, 5, 8, 11));
    /** SAM ViT-L: 1024 wide, 24 deep, 16 heads, global attention at 5, 11, 17, 23. */
    public static final SamConfig VIT_L = standard("vit_l", 1024, 24, 16, List.of(5, 11, 17, 23));
    /** SAM ViT-H: 1280 wide, 32 deep, 16 heads, global attention at 7, 15, 23, 31. */
    public static final SamConfig VIT_H = standard("vit_h", 1280, 32, 16, List.of(7, 15, 23, 31));
    /**
     * A test network: a 64-wide, 2-deep, 2-head encoder (one windowed block, one global block) with
     * the real 1024 input, 256-dim neck and full-size prompt encoder and mask decoder.
     */
    public static final SamConfig TINY = standard("tiny", 64, 2, 2, List.of(1));

    /** The official builder's constants around the given encoder. */
    public static SamConfig standard(String name, int width, int depth, int heads, List<Integer> global) {
        return new SamConfig(name, width, depth, heads, global, 1024, 16, 256, 14, true, 4, 1e-6f, 16,
                2, 8, 2048, 2, 3, 3, 256);
    }

    /** vit_b, vit_l, vit_h or tiny (case-insensitive; "default" is vit_h as in the reference). */
    public static SamConfig named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "vit_b" -> VIT_B;
            case "vit_l" -> VIT_L;
            case "vit_h", "default" -> VIT_H;
            case "tiny" -> TINY;
            default -> throw new IllegalArgumentException("unknown SAM config '" + name + "' (vit_b, vit_l, vit_h, tiny)");
        };
    }

    /** Side of the image embedding grid: img_size / patch (64). */
    public int imageEmbeddingSize() {
        return imgSize / patchSize;
    }

    /** Side of the low-resolution mask logits and of mask inputs: 4 x embedding (256). */
    public int lowResMaskSize() {
        return 4 * imageEmbeddingSize();
    }

    public int encoderHeadDim() {
        return encoderEmbedDim / encoderNumHeads;
    }

    public boolean isGlobal(int blockIndex) {
        return globalAttnIndexes.contains(blockIndex);
    }

    /** Masks the decoder predicts: the single-mask token plus the multimask ones (4). */
    public int numMaskTokens() {
        return numMultimaskOutputs + 1;
    }
}
