package org.robustsam.studio.model.robustsam;

import org.robustsam.studio.model.sam.Scope;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.robustsam.studio.model.sam.Embedding;
import org.robustsam.studio.model.sam.MaskDecoder;
import org.robustsam.studio.model.sam.Mlp;
import org.robustsam.studio.model.sam.Ops;
import org.robustsam.studio.model.sam.SamConfig;

/**
 * RobustSAM's mask decoder ({@code mask_decoder}): SAM's decoder (inherited: transformer, tokens,
 * upscaling, hypernetworks, IoU head, under the same keys) plus RobustSAM's modules, declared after
 * SAM's as in the reference's {@code state_dict}:
 * <ul>
 *   <li>ROT: {@code custom_robust_token} (M robust output tokens, used instead of SAM's mask tokens)
 *       and {@code robust_mlp} (their hypernetwork MLP, C -> C -> C/8);</li>
 *   <li>AMFG: {@code fourier_mask_features}, {@code fourier_first_layer_features},
 *       {@code fourier_last_layer_features} ({@link AmfgBlock});</li>
 *   <li>AOTG: {@code custom_token_block} ({@link TokenBlock}).</li>
 * </ul>
 *
 * <p>{@code clear = true} is SAM's own path (the teacher: SAM's tokens, hypernetworks and upscaled
 * features, so its masks and IoUs are SAM's); {@code clear = false} is the RobustSAM path. Both
 * also return the robust mask features and the mask-token outputs that the consistency losses
 * compare between the two paths.
 */
public final class RobustMaskDecoder extends MaskDecoder {
    /** Checkpoint names (under {@code mask_decoder.}) of the modules RobustSAM adds to SAM's decoder. */
    public static final List<String> ROBUST_MODULES = List.of("custom_robust_token", "robust_mlp",
            "fourier_mask_features", "fourier_first_layer_features", "fourier_last_layer_features",
            "custom_token_block");

    private final int dim;
    private final int numMaskTokens;
    private final int vitDim;
    private final Embedding customRobustToken;
    private final Mlp robustMlp;
    private final AmfgBlock fourierMaskFeatures;
    private final AmfgBlock fourierFirstLayerFeatures;
    private final AmfgBlock fourierLastLayerFeatures;
    private final TokenBlock customTokenBlock;
    private NDArray robustOutputTokens; // [1, 1 + M, C]: IoU token then the robust tokens

    /**
     * Masks and IoUs as {@link MaskDecoder.Output} (M = 3 with multimask, else 1), plus what
     * training compares between the clean (teacher) and degraded (student) paths.
     *
     * @param lowResMasks {@code [B, M, 256, 256]} logits
     * @param iouPredictions {@code [B, M]}
     * @param robustMaskFeatures {@code [B, C/8, 256, 256]}: the reference's {@code upscaled_embedding_robust}
     *     ("robust_embeddings"), AMFG'd decoder features plus AMFG'd image features
     * @param robustTokens {@code [B, 4, C]}: the transformer outputs at the mask-token slots
     *     (SAM's tokens or the robust ones), before AOTG; the reference's {@code robust_token}
     */
    public record Output(NDArray lowResMasks, NDArray iouPredictions, NDArray robustMaskFeatures,
            NDArray robustTokens) implements AutoCloseable {
        @Override
        public void close() {
            lowResMasks.close();
            iouPredictions.close();
            robustMaskFeatures.close();
            robustTokens.close();
        }
    }

    public RobustMaskDecoder(SamConfig c) {
        super(c);
        this.dim = c.promptEmbedDim();
        this.numMaskTokens = c.numMaskTokens();
        this.vitDim = c.encoderEmbedDim();
        this.customRobustToken = child("custom_robust_token", new Embedding(numMaskTokens, dim));
        this.robustMlp = child("robust_mlp", new Mlp(dim, dim, dim / 8, 3));
        this.fourierMaskFeatures = child("fourier_mask_features", AmfgBlock.maskFeatures(dim));
        this.fourierFirstLayerFeatures = child("fourier_first_layer_features", AmfgBlock.upsampling(vitDim, dim));
        this.fourierLastLayerFeatures = child("fourier_last_layer_features", AmfgBlock.upsampling(dim, dim));
        this.customTokenBlock = child("custom_token_block", new TokenBlock(numMaskTokens, dim));
    }

    @Override
    protected void onLoaded(NDManager manager) {
        super.onLoaded(manager);
        robustOutputTokens = NDArrays.concat(new NDList(iouTokenWeight(), customRobustToken.weight()), 0).expandDims(0);
        robustOutputTokens.attach(manager);
    }

    /**
     * The image side of AMFG, the same for every prompt (the reference recomputes it per prompt;
     * computing it once per image and path gives the same numbers): the first global block's output
     * and the image embedding, each through its AMFG block, summed.
     *
     * @param imageEmbedding {@code [1, C, 64, 64]}
     * @param earlyFeatures {@code [1, 64, 64, vitWidth]}: the first global-attention block's output
     * @return {@code [1, C/8, 256, 256]}, in {@code imageEmbedding}'s manager
     */
    public NDArray imageFeatures(NDArray imageEmbedding, NDArray earlyFeatures, boolean clear) {
        long[] es = Ops.requireShape(imageEmbedding, "RobustMaskDecoder", "image_embedding", 1, dim, -1, -1).getShape();
        Ops.requireShape(earlyFeatures, "RobustMaskDecoder", "early_features", 1, es[2], es[3], vitDim);
        try (Scope scope = Scope.of(imageEmbedding)) {
            NDArray embedding = scope.in(imageEmbedding);
            NDArray early = scope.in(earlyFeatures).transpose(0, 3, 1, 2); // [1, vitWidth, 64, 64]
            NDArray complementary = fourierFirstLayerFeatures.forward(early, clear);
            NDArray finalEmbedding = fourierLastLayerFeatures.forward(embedding, clear);
            return scope.keep(complementary.add(finalEmbedding));
        }
    }

    /**
     * Predicts masks on SAM's path ({@code clear}) or RobustSAM's. Multimask output returns masks 1..3,
     * single output mask 0, as the reference.
     *
     * <p>On the RobustSAM path, AOTG turns each robust token into M refined tokens; the reference
     * ({@code view(M, -1)} on one prompt) then computes M x M masks and returns
     * {@code masks[:, 1:]} (15) or {@code masks[:, 0:1]} from that list in (refined row, token)
     * order. Row 0 of token 0 is its single mask (what it was trained and evaluated with); here each
     * token's mask is its row 0, so multimask gives the reference's masks 1..3 with their 3 IoUs.
     *
     * @param imageEmbeddings {@code [1, C, 64, 64]}
     * @param imagePe {@code [1, C, 64, 64]}
     * @param sparse {@code [B, N, C]} prompt tokens
     * @param dense {@code [B, C, 64, 64]} dense prompt embedding
     * @param imageFeatures {@code [1, C/8, 256, 256]} from {@link #imageFeatures} with the same {@code clear}
     * @return results in {@code sparse}' manager
     */
    public Output forward(NDArray imageEmbeddings, NDArray imagePe, NDArray sparse, NDArray dense,
            NDArray imageFeatures, boolean multimaskOutput, boolean clear) {
        return forward(imageEmbeddings, imagePe, sparse, dense, imageFeatures, multimaskOutput, clear, false);
    }

    /**
     * As {@link #forward(NDArray, NDArray, NDArray, NDArray, NDArray, boolean, boolean)}; with
     * {@code referenceLayout} the RobustSAM path returns the reference's own mask list (all M x M
     * row/token masks, then {@code [:, 1:]} or {@code [:, 0:1]}) for one prompt, for parity tests.
     */
    Output forward(NDArray imageEmbeddings, NDArray imagePe, NDArray sparse, NDArray dense,
            NDArray imageFeatures, boolean multimaskOutput, boolean clear, boolean referenceLayout) {
        try (Scope scope = Scope.of(sparse)) {
            sparse = scope.in(sparse);
            imageEmbeddings = scope.in(imageEmbeddings);
            imagePe = scope.in(imagePe);
            dense = scope.in(dense);
            imageFeatures = scope.in(imageFeatures);
            Trunk t = trunk(clear ? outputTokens() : robustOutputTokens, imageEmbeddings, imagePe, sparse, dense);
            long b = sparse.getShape().get(0);
            long[] us = t.upscaled().getShape().getShape();
            Ops.requireShape(imageFeatures, "RobustMaskDecoder", "image_features", 1, us[1], us[2], us[3]);
            if (referenceLayout && b != 1) {
                throw new IllegalArgumentException("the reference layout exists for one prompt only, got " + b);
            }

            NDArray maskFeatures = fourierMaskFeatures.forward(t.upscaled(), clear);
            NDArray robustMaskFeatures = maskFeatures.add(imageFeatures); // image side broadcast over prompts
            NDArray masks;
            if (clear) {
                masks = maskLogits(hypernetworkWeights(t.maskTokensOut()), t.upscaled());
            } else {
                NDArray refined = customTokenBlock.forward(t.maskTokensOut()); // [B, M(token), M(row), C]
                NDArray hyper = robustMlp.forward(refined); // [B, M(token), M(row), C/8]
                if (referenceLayout) {
                    hyper = hyper.transpose(0, 2, 1, 3).reshape(b, (long) numMaskTokens * numMaskTokens, -1);
                } else {
                    hyper = hyper.get(":, :, 0, :");
                }
                masks = maskLogits(hyper, robustMaskFeatures);
            }
            NDArray iou = predictIou(t.iouTokenOut());
            if (multimaskOutput) {
                masks = masks.get(":, 1:");
                iou = iou.get(":, 1:");
            } else {
                masks = masks.get(":, 0:1");
                iou = iou.get(":, 0:1");
            }
            return new Output(scope.keep(masks), scope.keep(iou), scope.keep(robustMaskFeatures),
                    scope.keep(t.maskTokensOut()));
        }
    }
}
