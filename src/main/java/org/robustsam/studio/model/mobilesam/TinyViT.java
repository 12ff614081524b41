package org.robustsam.studio.model.mobilesam;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import org.robustsam.studio.model.sam.Conv2d;
import org.robustsam.studio.model.sam.EncoderOutput;
import org.robustsam.studio.model.sam.LayerNorm;
import org.robustsam.studio.model.sam.LayerNorm2d;
import org.robustsam.studio.model.sam.Linear;
import org.robustsam.studio.model.sam.ModuleList;
import org.robustsam.studio.model.sam.Ops;
import org.robustsam.studio.model.sam.SamImageEncoder;
import org.robustsam.studio.model.sam.SamModule;
import org.robustsam.studio.model.sam.Scope;

/**
 * MobileSAM's image encoder ({@code image_encoder}, TinyViT as modified by MobileSAM): the
 * convolutional {@code patch_embed}, {@code layers.0} (MBConv stage), {@code layers.1..3} (window
 * attention stages), and SAM's {@code neck} (1x1 conv, LayerNorm2d, 3x3 conv, LayerNorm2d) to
 * {@code [B, 256, 64, 64]}.
 *
 * <p>{@code norm_head} and {@code head} are the ImageNet classifier of the original TinyViT: they are
 * in every MobileSAM checkpoint, so they are declared and loaded, but SAM never runs them.
 */
public final class TinyViT extends SamModule implements SamImageEncoder {
    private final TinyViTConfig config;
    private final ConvPatchEmbed patchEmbed;
    private final ConvLayer layer0;
    private final BasicLayer[] layers;
    private final Conv2d neck0;
    private final LayerNorm2d neck1;
    private final Conv2d neck2;
    private final LayerNorm2d neck3;

    public TinyViT(TinyViTConfig c) {
        this.config = c;
        List<Integer> dims = c.embedDims();
        this.patchEmbed = child("patch_embed", new ConvPatchEmbed(c.inChans(), dims.get(0)));
        ModuleList list = child("layers", new ModuleList());
        this.layer0 = list.add(0, new ConvLayer(dims.get(0), c.stageResolution(0), c.depths().get(0),
                c.mbconvExpandRatio(), c.stageOutDim(0), c.mergeStride(0)));
        this.layers = new BasicLayer[c.numStages() - 1];
        for (int i = 1; i < c.numStages(); i++) {
            requireMergedSide(c, i - 1);
            layers[i - 1] = list.add(i, new BasicLayer(dims.get(i), c.stageResolution(i), c.depths().get(i),
                    c.numHeads().get(i), c.windowSizes().get(i), c.mlpRatio(), c.localConvSize(), c.stageOutDim(i),
                    c.hasPatchMerging(i) ? c.mergeStride(i) : 0));
        }
        int last = dims.get(dims.size() - 1);
        child("norm_head", new LayerNorm(last, 1e-5f));
        child("head", new Linear(last, c.numClasses()));
        ModuleList neck = child("neck", new ModuleList());
        int out = c.outChans();
        this.neck0 = neck.add(0, new Conv2d(last, out, 1, 1, 0, false));
        this.neck1 = neck.add(1, new LayerNorm2d(out));
        this.neck2 = neck.add(2, new Conv2d(out, out, 3, 1, 1, false));
        this.neck3 = neck.add(3, new LayerNorm2d(out));
    }

    /** Stage {@code i}'s patch merging (3x3, padding 1) must produce the grid stage {@code i + 1} expects. */
    private static void requireMergedSide(TinyViTConfig c, int i) {
        int merged = (c.stageResolution(i) - 1) / c.mergeStride(i) + 1;
        if (merged != c.stageResolution(i + 1)) {
            throw new IllegalArgumentException(c.name() + ": stage " + i + " merges a " + c.stageResolution(i)
                    + " grid to " + merged + " but stage " + (i + 1) + " expects " + c.stageResolution(i + 1));
        }
    }

    public TinyViTConfig config() {
        return config;
    }

    /** {@code [B, 3, 1024, 1024]} normalised and padded -> embedding {@code [B, 256, 64, 64]}, in {@code image}'s manager. */
    public NDArray forward(NDArray image) {
        return run(image, null);
    }

    /**
     * The embedding, and no intermediate outputs: TinyViT has no global-attention blocks, whose outputs
     * are what RobustSAM takes from SAM's ViT (see {@link SamImageEncoder}).
     */
    @Override
    public EncoderOutput forward(NDArray image, boolean keepIntermediate) {
        return new EncoderOutput(run(image, null), List.of());
    }

    /**
     * Every stage's output, for tests and diagnosis: {@code patch_embed} {@code [B, 64, 256, 256]},
     * {@code layers.0} {@code [B, 16384, 128]}, {@code layers.1} {@code [B, 4096, 160]},
     * {@code layers.2} and {@code layers.3} {@code [B, 4096, 320]} (tokens, row-major grid), then the
     * embedding {@code [B, 256, 64, 64]}; in {@code image}'s manager.
     */
    public List<NDArray> forwardStages(NDArray image) {
        List<NDArray> stages = new ArrayList<>();
        NDArray embedding = run(image, stages);
        stages.add(embedding);
        return stages;
    }

    private NDArray run(NDArray image, List<NDArray> stages) {
        Ops.requireShape(image, "TinyViT", "image", -1, config.inChans(), config.imgSize(), config.imgSize());
        long b = image.getShape().get(0);
        try (Scope scope = Scope.of(image)) {
            image = scope.in(image);
            // Channels-last from the start: libtorch's oneDNN convolutions then keep NHWC end to end, which
            // makes the depthwise and 1x1 convolutions of the MBConv stage 2-3x faster than in NCHW (they
            // reorder to a blocked layout and back on every call otherwise), and the token reshapes of
            // the later stages become views.
            NDArray x = patchEmbed.forward(channelsLast(image)); // [B, 64, 256, 256], NHWC in memory
            keep(scope, stages, x);
            NDArray next = layer0.forward(x); // tokens [B, 128 * 128, 128]
            x.close(); // free each stage's input once the next has run (a kept alias stays valid)
            x = next;
            keep(scope, stages, x);
            for (BasicLayer layer : layers) {
                next = layer.forward(x);
                x.close();
                x = next;
                keep(scope, stages, x);
            }
            int side = config.embeddingSize();
            long c = x.getShape().get(2);
            NDArray y = x.reshape(b, side, side, c).transpose(0, 3, 1, 2); // [B, 320, 64, 64]
            y = neck3.forward(neck2.forward(neck1.forward(neck0.forward(y))));
            return scope.keep(contiguous(y));
        }
    }

    /**
     * {@code [B, C, H, W]} with channels-last memory (NHWC strides, what torch calls
     * {@code memory_format=torch.channels_last}): a copy in NHWC order, viewed as NCHW.
     */
    static NDArray channelsLast(NDArray x) {
        long[] s = x.getShape().getShape();
        // flattening the NHWC view cannot be a view of NCHW memory, so reshape copies (into NHWC order)
        return x.transpose(0, 2, 3, 1).reshape(-1).reshape(s[0], s[2], s[3], s[1]).transpose(0, 3, 1, 2);
    }

    /**
     * A row-major copy of a channels-last {@code [B, C, H, W]} (a contiguous one comes back as it is,
     * as a view). Callers get a plain tensor: DJL's {@code toFloatArray} of a strided one makes a
     * hidden contiguous copy in the array's manager.
     */
    static NDArray contiguous(NDArray x) {
        long[] s = x.getShape().getShape();
        return x.reshape(-1).reshape(s);
    }

    /** Hands the caller an alias of a stage output; {@code x} itself stays in the scope, so the next ops allocate there. */
    private static void keep(Scope scope, List<NDArray> stages, NDArray x) {
        if (stages != null) {
            stages.add(scope.keep(Scope.alias(x)));
        }
    }
}
