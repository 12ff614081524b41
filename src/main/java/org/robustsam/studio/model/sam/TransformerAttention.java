package org.robustsam.studio.model.sam;

import ai.djl.ndarray.NDArray;

/**
 * The decoder transformer's attention ({@code Attention} in {@code transformer.py}): q/k/v
 * projections to {@code dim / downsample_rate}, multi-head scaled dot product, {@code out_proj}
 * back to {@code dim}.
 */
public final class TransformerAttention extends SamModule {
    private final int dim;
    private final int internalDim;
    private final int numHeads;
    private final Linear qProj;
    private final Linear kProj;
    private final Linear vProj;
    private final Linear outProj;

    public TransformerAttention(int dim, int numHeads, int downsampleRate) {
        this.dim = dim;
        this.internalDim = dim / downsampleRate;
        this.numHeads = numHeads;
        if (internalDim % numHeads != 0) {
            throw new IllegalArgumentException("num_heads must divide embedding_dim / downsample_rate");
        }
        this.qProj = child("q_proj", new Linear(dim, internalDim));
        this.kProj = child("k_proj", new Linear(dim, internalDim));
        this.vProj = child("v_proj", new Linear(dim, internalDim));
        this.outProj = child("out_proj", new Linear(internalDim, dim));
    }

    /** {@code q [B, Nq, dim]}, {@code k, v [B, Nk, dim]} -> {@code [B, Nq, dim]}, in {@code q}'s manager. */
    public NDArray forward(NDArray q, NDArray k, NDArray v) {
        long[] qs = Ops.requireShape(q, "TransformerAttention", "q", -1, -1, dim).getShape();
        long[] ks = Ops.requireShape(k, "TransformerAttention", "k", qs[0], -1, dim).getShape();
        Ops.requireShape(v, "TransformerAttention", "v", qs[0], ks[1], dim);
        int cPerHead = internalDim / numHeads;
        try (Scope scope = Scope.of(q)) {
            q = scope.in(q);
            k = scope.in(k);
            v = scope.in(v);
            NDArray qh = separateHeads(qProj.forward(q));
            NDArray kh = separateHeads(kProj.forward(k));
            NDArray vh = separateHeads(vProj.forward(v));
            NDArray attn = qh.matMul(kh.transpose(0, 1, 3, 2)).div(Ops.scalar(qh, (float) Math.sqrt(cPerHead))).softmax(-1);
            NDArray out = attn.matMul(vh).transpose(0, 2, 1, 3).reshape(qs[0], qs[1], internalDim);
            return scope.keep(outProj.forward(out));
        }
    }

    /** {@code [B, N, C] -> [B, heads, N, C / heads]}. */
    private NDArray separateHeads(NDArray x) {
        long[] s = x.getShape().getShape();
        return x.reshape(s[0], s[1], numHeads, s[2] / numHeads).transpose(0, 2, 1, 3);
    }
}
