package org.robustsam.studio.model.mobilesam;

import java.util.List;
import java.util.Set;

/**
 * The shape of a TinyViT image encoder, as data (what {@code build_sam_vit_t} passes to
 * {@code TinyViT(...)}): a convolutional patch embedding down to a quarter of the image side, then
 * one MBConv stage and attention stages, each but the last ending in a patch merging, and the neck
 * to {@code outChans} channels.
 *
 * <p>Two rules of the reference are kept as they are, because the checkpoints depend on them: the
 * stage input side is {@code imgSize / 4 / 2^i}, except the last stage, which keeps the side of the
 * one before ({@code 2^(i-1)} for {@code i == 3}); and a patch merging into 320, 448 or 576 channels
 * has stride 1 instead of 2. Together they leave a {@code 64 x 64} grid at 1024 input, like SAM's ViT.
 */
public record TinyViTConfig(
        String name,
        int imgSize,
        int inChans,
        List<Integer> embedDims,
        List<Integer> depths,
        List<Integer> numHeads,
        List<Integer> windowSizes,
        float mlpRatio,
        float mbconvExpandRatio,
        int localConvSize,
        int numClasses,
        int outChans) {

    private static final Set<Integer> STRIDE_ONE_MERGE_DIMS = Set.of(320, 448, 576);

    public TinyViTConfig {
        embedDims = List.copyOf(embedDims);
        depths = List.copyOf(depths);
        numHeads = List.copyOf(numHeads);
        windowSizes = List.copyOf(windowSizes);
        int n = embedDims.size();
        if (n != 4 || depths.size() != n || numHeads.size() != n || windowSizes.size() != n) {
            throw new IllegalArgumentException("TinyViT needs 4 stages with a width, depth, head count and window each, got "
                    + embedDims + ", " + depths + ", " + numHeads + ", " + windowSizes);
        }
        for (int i = 1; i < n; i++) {
            if (embedDims.get(i) % numHeads.get(i) != 0) {
                throw new IllegalArgumentException("stage " + i + ": width " + embedDims.get(i)
                        + " not divisible by " + numHeads.get(i) + " heads");
            }
        }
        if (imgSize % 4 != 0) {
            throw new IllegalArgumentException("img_size " + imgSize + " is not a multiple of 4");
        }
    }

    /** TinyViT-5M as MobileSAM's {@code build_sam_vit_t} configures it (1024 input, 256-channel neck). */
    public static final TinyViTConfig TINY_VIT_5M = new TinyViTConfig("tiny_vit_5m", 1024, 3,
            List.of(64, 128, 160, 320), List.of(2, 2, 6, 2), List.of(2, 4, 5, 10), List.of(7, 7, 14, 7),
            4f, 4f, 3, 1000, 256);

    public int numStages() {
        return embedDims.size();
    }

    /** Side of the patch embedding's output grid: two stride-2 convolutions, {@code imgSize / 4}. */
    public int patchesResolution() {
        return imgSize / 4;
    }

    /** Side of stage {@code i}'s input grid (the reference's rule, see the class comment). */
    public int stageResolution(int i) {
        return patchesResolution() >> (i == 3 ? i - 1 : i);
    }

    /** Channels after stage {@code i} (its patch merging's output; the last stage keeps its width). */
    public int stageOutDim(int i) {
        return embedDims.get(Math.min(i + 1, numStages() - 1));
    }

    public boolean hasPatchMerging(int i) {
        return i < numStages() - 1;
    }

    /** Stride of stage {@code i}'s patch merging: 1 into 320, 448 or 576 channels, else 2. */
    public int mergeStride(int i) {
        return STRIDE_ONE_MERGE_DIMS.contains(stageOutDim(i)) ? 1 : 2;
    }

    /** Side of the final grid the neck sees (64 for 1024 input). */
    public int embeddingSize() {
        return stageResolution(numStages() - 1);
    }
}
