package org.robustsam.studio.model.sam;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * SAM's mask decoder ({@code mask_decoder}): an IoU token and {@code 1 + num_multimask_outputs} mask
 * tokens run through the two-way transformer with the prompt tokens; the image side is upscaled 4x
 * ({@code output_upscaling}: ConvTranspose2d, LayerNorm2d, GELU, ConvTranspose2d, GELU) and each mask
 * token's hypernetwork MLP gives the weights of a per-pixel dot product; {@code iou_prediction_head}
 * scores each mask.
 *
 * <p>Open for extension so RobustSAM's decoder can add its modules beside these and reuse the
 * shared trunk ({@link #trunk}), the hypernetworks and the IoU head instead of copying them.
 */
public class MaskDecoder extends SamModule {
    private final int dim;
    private final int numMaskTokens;
    private final TwoWayTransformer transformer;
    private final Embedding iouToken;
    private final Embedding maskTokens;
    private final ConvTranspose2d up0;
    private final LayerNorm2d up1;
    private final ConvTranspose2d up3;
    private final Mlp[] hypernetworks;
    private final Mlp iouPredictionHead;
    private NDArray outputTokens; // [1, 1 + numMaskTokens, C]

    /** Mask logits {@code [B, M, 256, 256]} and predicted IoUs {@code [B, M]}, M = 3 (multimask) or 1. */
    public record Output(NDArray lowResMasks, NDArray iouPredictions) implements AutoCloseable {
        @Override
        public void close() {
            lowResMasks.close();
            iouPredictions.close();
        }
    }

    public MaskDecoder(SamConfig c) {
        this.dim = c.promptEmbedDim();
        this.numMaskTokens = c.numMaskTokens();
        this.transformer = child("transformer", new TwoWayTransformer(c.decoderDepth(), dim,
                c.decoderNumHeads(), c.decoderMlpDim(), c.attentionDownsampleRate()));
        this.iouToken = child("iou_token", new Embedding(1, dim));
        this.maskTokens = child("mask_tokens", new Embedding(numMaskTokens, dim));
        ModuleList up = child("output_upscaling", new ModuleList());
        up0 = up.add(0, new ConvTranspose2d(dim, dim / 4, 2));
        up1 = up.add(1, new LayerNorm2d(dim / 4));
        up3 = up.add(3, new ConvTranspose2d(dim / 4, dim / 8, 2));
        ModuleList hyper = child("output_hypernetworks_mlps", new ModuleList());
        hypernetworks = new Mlp[numMaskTokens];
        for (int i = 0; i < numMaskTokens; i++) {
            hypernetworks[i] = hyper.add(i, new Mlp(dim, dim, dim / 8, 3));
        }
        iouPredictionHead = child("iou_prediction_head",
                new Mlp(dim, c.iouHeadHiddenDim(), numMaskTokens, c.iouHeadDepth()));
    }

    @Override
    protected void onLoaded(NDManager manager) {
        outputTokens = NDArrays.concat(new NDList(iouToken.weight(), maskTokens.weight()), 0).expandDims(0);
        outputTokens.attach(manager);
    }

    /**
     * Predicts masks; multimask output returns masks 1..3, single output mask 0 (as the reference).
     *
     * @param imageEmbeddings {@code [1, C, 64, 64]} (one image; repeated over the prompt batch)
     * @param imagePe {@code [1, C, 64, 64]}
     * @param sparse {@code [B, N, C]} prompt tokens
     * @param dense {@code [B, C, 64, 64]} (or broadcastable) dense prompt embedding
     * @return results in {@code sparse}' manager
     */
    public Output forward(NDArray imageEmbeddings, NDArray imagePe, NDArray sparse, NDArray dense,
            boolean multimaskOutput) {
        try (Scope scope = Scope.of(sparse)) {
            sparse = scope.in(sparse);
            imageEmbeddings = scope.in(imageEmbeddings);
            imagePe = scope.in(imagePe);
            dense = scope.in(dense);
            NDArray[] all = predictMasks(imageEmbeddings, imagePe, sparse, dense);
            NDArray masks = all[0];
            NDArray iou = all[1];
            if (multimaskOutput) {
                masks = masks.get(":, 1:");
                iou = iou.get(":, 1:");
            } else {
                masks = masks.get(":, 0:1");
                iou = iou.get(":, 0:1");
            }
            return new Output(scope.keep(masks), scope.keep(iou));
        }
    }

    /** All {@code 1 + num_multimask_outputs} masks {@code [B, 4, 256, 256]} and IoUs {@code [B, 4]}, in the scope. */
    private NDArray[] predictMasks(NDArray imageEmbeddings, NDArray imagePe, NDArray sparse,
            NDArray dense) {
        Trunk t = trunk(outputTokens, imageEmbeddings, imagePe, sparse, dense);
        NDArray masks = maskLogits(hypernetworkWeights(t.maskTokensOut()), t.upscaled());
        NDArray iouPred = predictIou(t.iouTokenOut());
        return new NDArray[] {masks, iouPred};
    }

    /**
     * What the two-way transformer and the output upscaling give, before the per-token hypernetworks:
     * IoU token {@code [B, C]}, mask-token slots {@code [B, M, C]}, upscaled image side
     * {@code [B, C/8, 4h, 4w]}.
     */
    protected record Trunk(NDArray iouTokenOut, NDArray maskTokensOut, NDArray upscaled) {}

    /**
     * The decoder's trunk, shared with RobustSAM (which swaps in its own output tokens): output
     * tokens and prompt tokens through the two-way transformer with the (per-prompt repeated) image
     * embedding plus dense prompt, then the image side through {@code output_upscaling}.
     *
     * @param outputTokens {@code [1, 1 + M, C]}: the IoU token then M mask tokens
     * @return results in {@code sparse}' manager (the caller's scope)
     */
    protected final Trunk trunk(NDArray outputTokens, NDArray imageEmbeddings, NDArray imagePe, NDArray sparse,
            NDArray dense) {
        String where = "MaskDecoder";
        long[] es = Ops.requireShape(imageEmbeddings, where, "image_embeddings", 1, dim, -1, -1).getShape();
        Ops.requireShape(imagePe, where, "image_pe", 1, dim, es[2], es[3]);
        long b = Ops.requireShape(sparse, where, "sparse_prompt_embeddings", -1, -1, dim).get(0);
        Ops.requireShape(dense, where, "dense_prompt_embeddings", b, dim, es[2], es[3]);
        Ops.requireShape(outputTokens, where, "output_tokens", 1, 1 + numMaskTokens, dim);

        NDArray expanded = outputTokens.broadcast(b, 1 + numMaskTokens, dim);
        expanded.attach(sparse.getManager());
        NDArray tokens = NDArrays.concat(new NDList(expanded, sparse), 1);
        NDArray src = (b == 1 ? imageEmbeddings : imageEmbeddings.repeat(0, b)).add(dense);
        NDArray posSrc = b == 1 ? imagePe : imagePe.repeat(0, b);
        long h = es[2];
        long w = es[3];

        TwoWayAttentionBlock.Output t = transformer.forward(src, posSrc, tokens);
        NDArray hs = t.queries();
        NDArray iouTokenOut = hs.get(":, 0, :");
        NDArray maskTokensOut = hs.get(":, 1:{}, :", 1 + numMaskTokens);

        NDArray image = t.keys().transpose(0, 2, 1).reshape(b, dim, h, w);
        NDArray upscaled = Ops.gelu(up3.forward(Ops.gelu(up1.forward(up0.forward(image))))); // [B, C/8, 4h, 4w]
        return new Trunk(iouTokenOut, maskTokensOut, upscaled);
    }

    /** SAM's hypernetwork MLP of each mask token: {@code [B, M, C] -> [B, M, C/8]}, in the input's manager. */
    protected final NDArray hypernetworkWeights(NDArray maskTokensOut) {
        NDList hyperIn = new NDList(numMaskTokens);
        for (int i = 0; i < numMaskTokens; i++) {
            hyperIn.add(hypernetworks[i].forward(maskTokensOut.get(":, {}, :", i)));
        }
        return NDArrays.stack(hyperIn, 1);
    }

    /** Per-pixel dot products: hypernetwork weights {@code [B, K, C/8]} x image {@code [B, C/8, H, W]} -> {@code [B, K, H, W]}. */
    protected static NDArray maskLogits(NDArray hyper, NDArray upscaled) {
        long[] us = upscaled.getShape().getShape();
        return hyper.matMul(upscaled.reshape(us[0], us[1], us[2] * us[3])).reshape(us[0], -1, us[2], us[3]);
    }

    /** {@code iou_prediction_head}: {@code [B, C] -> [B, M]}. */
    protected final NDArray predictIou(NDArray iouTokenOut) {
        return iouPredictionHead.forward(iouTokenOut);
    }

    /** The learned IoU token {@code [1, C]} (owned by the model). */
    protected final NDArray iouTokenWeight() {
        return iouToken.weight();
    }

    /** SAM's output tokens {@code [1, 1 + M, C]}: the IoU token then the mask tokens (owned by the model). */
    protected final NDArray outputTokens() {
        return outputTokens;
    }

    /** Transformer width C (256). */
    protected final int dim() {
        return dim;
    }

    /** Mask tokens M: the single-mask token plus the multimask ones (4). */
    protected final int numMaskTokens() {
        return numMaskTokens;
    }
}
