package org.robustsam.studio.model.sam;

import ai.djl.ndarray.NDArray;

/**
 * The mask decoder's transformer ({@code mask_decoder.transformer}): {@code layers.i} two-way
 * blocks, then a final token-to-image attention and LayerNorm.
 */
public final class TwoWayTransformer extends SamModule {
    private final int dim;
    private final TwoWayAttentionBlock[] layers;
    private final TransformerAttention finalAttnTokenToImage;
    private final LayerNorm normFinalAttn;

    public TwoWayTransformer(int depth, int dim, int numHeads, int mlpDim, int downsampleRate) {
        this.dim = dim;
        ModuleList list = child("layers", new ModuleList());
        layers = new TwoWayAttentionBlock[depth];
        for (int i = 0; i < depth; i++) {
            layers[i] = list.add(i, new TwoWayAttentionBlock(dim, numHeads, mlpDim, downsampleRate, i == 0));
        }
        finalAttnTokenToImage = child("final_attn_token_to_image",
                new TransformerAttention(dim, numHeads, downsampleRate));
        normFinalAttn = child("norm_final_attn", new LayerNorm(dim, 1e-5f));
    }

    /**
     * @param imageEmbedding {@code [B, C, h, w]}
     * @param imagePe {@code [B, C, h, w]}
     * @param pointEmbedding {@code [B, N, C]}
     * @return processed tokens {@code [B, N, C]} and image keys {@code [B, h*w, C]}, in
     *     {@code imageEmbedding}'s manager
     */
    public TwoWayAttentionBlock.Output forward(NDArray imageEmbedding, NDArray imagePe, NDArray pointEmbedding) {
        long[] s = Ops.requireShape(imageEmbedding, "TwoWayTransformer", "image_embedding", -1, dim, -1, -1)
                .getShape();
        Ops.requireShape(imagePe, "TwoWayTransformer", "image_pe", s[0], dim, s[2], s[3]);
        Ops.requireShape(pointEmbedding, "TwoWayTransformer", "point_embedding", s[0], -1, dim);
        try (Scope scope = Scope.of(imageEmbedding)) {
            imageEmbedding = scope.in(imageEmbedding);
            imagePe = scope.in(imagePe);
            pointEmbedding = scope.in(pointEmbedding);
            // B x C x H x W -> B x HW x C
            NDArray keys = imageEmbedding.reshape(s[0], dim, s[2] * s[3]).transpose(0, 2, 1);
            NDArray keyPe = imagePe.reshape(s[0], dim, s[2] * s[3]).transpose(0, 2, 1);
            NDArray queries = pointEmbedding;
            for (TwoWayAttentionBlock layer : layers) {
                TwoWayAttentionBlock.Output o = layer.forward(queries, keys, pointEmbedding, keyPe);
                queries = o.queries();
                keys = o.keys();
            }
            NDArray q = queries.add(pointEmbedding);
            NDArray k = keys.add(keyPe);
            queries = normFinalAttn.forward(queries.add(finalAttnTokenToImage.forward(q, k, keys)));
            return new TwoWayAttentionBlock.Output(scope.keep(queries), scope.keep(keys));
        }
    }
}
