package org.robustsam.studio.model.sam;

import ai.djl.ndarray.NDArray;

/**
 * One layer of the two-way transformer ({@code mask_decoder.transformer.layers.i}): token
 * self-attention, token-to-image cross-attention, a ReLU MLP on the tokens, and image-to-token
 * cross-attention, each followed by a LayerNorm (eps 1e-5).
 */
public final class TwoWayAttentionBlock extends SamModule {
    private static final float EPS = 1e-5f; // nn.LayerNorm default
    private final int dim;
    private final boolean skipFirstLayerPe;
    private final TransformerAttention selfAttn;
    private final LayerNorm norm1;
    private final TransformerAttention crossAttnTokenToImage;
    private final LayerNorm norm2;
    private final MlpBlock mlp;
    private final LayerNorm norm3;
    private final LayerNorm norm4;
    private final TransformerAttention crossAttnImageToToken;

    /** Tokens {@code [B, Nq, C]} and image keys {@code [B, HW, C]} after the block. */
    public record Output(NDArray queries, NDArray keys) {}

    public TwoWayAttentionBlock(int dim, int numHeads, int mlpDim, int downsampleRate, boolean skipFirstLayerPe) {
        this.dim = dim;
        this.skipFirstLayerPe = skipFirstLayerPe;
        this.selfAttn = child("self_attn", new TransformerAttention(dim, numHeads, 1));
        this.norm1 = child("norm1", new LayerNorm(dim, EPS));
        this.crossAttnTokenToImage = child("cross_attn_token_to_image",
                new TransformerAttention(dim, numHeads, downsampleRate));
        this.norm2 = child("norm2", new LayerNorm(dim, EPS));
        this.mlp = child("mlp", new MlpBlock(dim, mlpDim, MlpBlock.Activation.RELU));
        this.norm3 = child("norm3", new LayerNorm(dim, EPS));
        this.norm4 = child("norm4", new LayerNorm(dim, EPS));
        this.crossAttnImageToToken = child("cross_attn_image_to_token",
                new TransformerAttention(dim, numHeads, downsampleRate));
    }

    /**
     * @param queries {@code [B, Nq, C]}
     * @param keys {@code [B, HW, C]}
     * @param queryPe {@code [B, Nq, C]}
     * @param keyPe {@code [B, HW, C]}
     * @return new queries and keys, in {@code queries}' manager
     */
    public Output forward(NDArray queries, NDArray keys, NDArray queryPe, NDArray keyPe) {
        long[] qs = Ops.requireShape(queries, "TwoWayAttentionBlock", "queries", -1, -1, dim).getShape();
        long[] ks = Ops.requireShape(keys, "TwoWayAttentionBlock", "keys", qs[0], -1, dim).getShape();
        Ops.requireShape(queryPe, "TwoWayAttentionBlock", "query_pe", qs[0], qs[1], dim);
        Ops.requireShape(keyPe, "TwoWayAttentionBlock", "key_pe", -1, ks[1], dim);
        try (Scope scope = Scope.of(queries)) {
            queries = scope.in(queries);
            keys = scope.in(keys);
            queryPe = scope.in(queryPe);
            keyPe = scope.in(keyPe);
            NDArray qr;
            if (skipFirstLayerPe) {
                qr = selfAttn.forward(queries, queries, queries);
            } else {
                NDArray q = queries.add(queryPe);
                qr = queries.add(selfAttn.forward(q, q, queries));
            }
            qr = norm1.forward(qr);

            NDArray q = qr.add(queryPe);
            NDArray k = keys.add(keyPe);
            qr = norm2.forward(qr.add(crossAttnTokenToImage.forward(q, k, keys)));

            qr = norm3.forward(qr.add(mlp.forward(qr)));

            q = qr.add(queryPe);
            NDArray kr = norm4.forward(keys.add(crossAttnImageToToken.forward(k, q, qr)));
            return new Output(scope.keep(qr), scope.keep(kr));
        }
    }
}
