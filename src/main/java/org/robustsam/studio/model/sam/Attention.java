package org.robustsam.studio.model.sam;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The ViT's multi-head self-attention with decomposed relative positions (MViTv2): {@code qkv},
 * {@code proj}, and when relative positions are on {@code rel_pos_h}/{@code rel_pos_w}
 * ({@code [2 * size - 1, head_dim]}, size = window or the global grid).
 */
public final class Attention extends SamModule {
    /** Target size of one band of the attention map (see forward); overridable for benchmarks. */
    static final long CHUNK_BYTES = Long.getLong("studio.sam.attentionChunkBytes", 16L << 20);
    private final int dim;
    private final int numHeads;
    private final int headDim;
    private final double scale;
    private final int inputH;
    private final int inputW;
    private final Linear qkv;
    private final Linear proj;
    private final Parameter relPosH;
    private final Parameter relPosW;
    // Rel-pos tables for the configured input size, transposed for a batched matmul: [q, head_dim, k].
    private NDArray relHT;
    private NDArray relWT;

    public Attention(int dim, int numHeads, boolean useRelPos, int inputH, int inputW) {
        this.dim = dim;
        this.numHeads = numHeads;
        this.headDim = dim / numHeads;
        this.scale = Math.pow(headDim, -0.5);
        this.inputH = inputH;
        this.inputW = inputW;
        this.qkv = child("qkv", new Linear(dim, dim * 3));
        this.proj = child("proj", new Linear(dim, dim));
        if (useRelPos) {
            relPosH = parameter("rel_pos_h", 2L * inputH - 1, headDim);
            relPosW = parameter("rel_pos_w", 2L * inputW - 1, headDim);
        } else {
            relPosH = null;
            relPosW = null;
        }
    }

    @Override
    protected void onLoaded(NDManager manager) {
        if (relPosH != null) {
            relHT = getRelPos(inputH, inputH, relPosH.get()).transpose(0, 2, 1);
            relHT.attach(manager);
            relWT = getRelPos(inputW, inputW, relPosW.get()).transpose(0, 2, 1);
            relWT.attach(manager);
        }
    }

    /** {@code [B, H, W, dim] -> [B, H, W, dim]} (B counts windows for windowed blocks). */
    public NDArray forward(NDArray x) {
        long[] s = Ops.requireShape(x, "Attention(" + qkv.parameters().get(0).key() + ")", "x", -1, -1, -1, dim)
                .getShape();
        long b = s[0];
        int h = (int) s[1];
        int w = (int) s[2];
        long n = (long) h * w;
        long bn = b * numHeads;
        try (Scope scope = Scope.of(x)) {
            x = scope.in(x);
            // [B, HW, 3, heads, hd] -> [3, B*heads, HW, hd]
            NDArray qkvAll = qkv.forward(x).reshape(b, n, 3, numHeads, headDim).transpose(2, 0, 3, 1, 4)
                    .reshape(3, bn, n, headDim);
            NDArray q = qkvAll.get(0);
            NDArray k = qkvAll.get(1);
            NDArray v = qkvAll.get(2);
            NDArray kT = k.transpose(0, 2, 1);
            NDArray qs = q.mul(scale);
            NDArray[] rel = relPosH == null ? null
                    : decomposedRelPos(q, tableT(scope, relHT, relPosH, h), tableT(scope, relWT, relPosW, w), h, w);
            // Global attention over 4096 tokens makes a [B*heads, 4096, 4096] map (800 MB for ViT-B):
            // done in bands of query rows so each band's map stays in cache through the rel-pos adds,
            // softmax and the product with v. Row-wise ops, so the result is the same.
            int rows = Math.max(1, (int) Math.min(h, CHUNK_BYTES / Math.max(1L, bn * w * n * 4)));
            NDList outs = new NDList();
            for (int r0 = 0; r0 < h; r0 += rows) {
                int r1 = Math.min(h, r0 + rows);
                boolean all = r0 == 0 && r1 == h;
                NDArray qc = all ? qs : qs.get(":, {}:{}, :", (long) r0 * w, (long) r1 * w);
                NDArray attn = qc.matMul(kT); // [B*heads, rows*W, HW]
                if (rel != null) {
                    NDArray a5 = attn.reshape(bn, r1 - r0, w, h, w);
                    a5.addi((all ? rel[0] : rel[0].get(":, {}:{}", r0, r1)).expandDims(4));
                    a5.addi((all ? rel[1] : rel[1].get(":, {}:{}", r0, r1)).expandDims(3));
                }
                NDArray p = attn.softmax(-1);
                attn.close();
                outs.add(p.matMul(v));
                p.close();
            }
            NDArray out = outs.size() == 1 ? outs.get(0) : NDArrays.concat(outs, 1);
            out = out.reshape(b, numHeads, h, w, headDim).transpose(0, 2, 3, 1, 4).reshape(b, h, w, dim);
            return scope.keep(proj.forward(out));
        }
    }

    /** The cached transposed table when the size is the configured one, else one computed now, in the forward's scope. */
    private static NDArray tableT(Scope scope, NDArray cached, Parameter relPos, int size) {
        if (cached != null && cached.getShape().get(0) == size) {
            return cached;
        }
        NDArray table = scope.local(getRelPos(size, size, relPos.get()));
        return scope.local(table.transpose(0, 2, 1));
    }

    /**
     * {@code get_rel_pos}: relative position embeddings {@code [q_size, k_size, C]} for every query /
     * key pair, from a table {@code [L, C]} linearly resized to {@code 2 * max(q, k) - 1} rows when
     * its length differs. The result lives in {@code relPos}'s manager.
     */
    public static NDArray getRelPos(int qSize, int kSize, NDArray relPos) {
        Ops.requireShape(relPos, "get_rel_pos", "rel_pos", -1, -1);
        int maxRelDist = 2 * Math.max(qSize, kSize) - 1;
        long len = relPos.getShape().get(0);
        long c = relPos.getShape().get(1);
        NDManager m = relPos.getManager();
        try (NDManager scope = m.newSubManager()) {
            NDArray table = relPos;
            if (len != maxRelDist) {
                // F.interpolate(mode="linear", align_corners=False) along L
                table = Ops.resizeLinear(relPos, 0, maxRelDist);
                table.attach(scope);
            }
            // float32 arithmetic, as torch.arange(...) * python float is float32, then .long() truncates
            float qScale = (float) Math.max((double) kSize / qSize, 1.0);
            float kScale = (float) Math.max((double) qSize / kSize, 1.0);
            long[] idx = new long[qSize * kSize];
            for (int i = 0; i < qSize; i++) {
                for (int j = 0; j < kSize; j++) {
                    float rel = (i * qScale - j * kScale) + (kSize - 1) * kScale;
                    idx[i * kSize + j] = (long) rel;
                }
            }
            // rows of the table: torch.gather along axis 0 with the row index repeated over C
            NDArray index = scope.create(idx, new Shape((long) qSize * kSize, 1)).broadcast(qSize * (long) kSize, c);
            NDArray out = table.gather(index, 0);
            out.attach(scope);
            out = out.reshape(qSize, kSize, c);
            out.attach(m);
            return out;
        }
    }

    /**
     * {@code add_decomposed_rel_pos}, in place on {@code attn [B, qh*qw, kh*kw]}: adds
     * {@code einsum("bhwc,hkc->bhwk", q, Rh)} over key rows and {@code einsum("bhwc,wkc->bhwk", q, Rw)}
     * over key columns. {@code q} is {@code [B, qh*qw, C]} (unscaled); the tables are given transposed,
     * {@code rhT [qh, C, kh]} and {@code rwT [qw, C, kw]}. Temporaries live in {@code q}'s manager.
     */
    public static NDArray addDecomposedRelPos(NDArray attn, NDArray q, NDArray rhT, NDArray rwT, int qh, int qw) {
        NDArray[] rel = decomposedRelPos(q, rhT, rwT, qh, qw);
        long bn = q.getShape().get(0);
        long kh = rhT.getShape().get(2);
        long kw = rwT.getShape().get(2);
        Ops.requireShape(attn, "add_decomposed_rel_pos", "attn", bn, (long) qh * qw, kh * kw);
        NDArray a5 = attn.reshape(bn, qh, qw, kh, kw); // a view: the adds land in attn
        a5.addi(rel[0].expandDims(4));
        a5.addi(rel[1].expandDims(3));
        return attn;
    }

    /**
     * The two terms of {@link #addDecomposedRelPos}: {@code rel_h [B, qh, qw, kh]} and
     * {@code rel_w [B, qh, qw, kw]}, in {@code q}'s manager.
     */
    static NDArray[] decomposedRelPos(NDArray q, NDArray rhT, NDArray rwT, int qh, int qw) {
        long bn = q.getShape().get(0);
        long c = q.getShape().get(2);
        long kh = rhT.getShape().get(2);
        long kw = rwT.getShape().get(2);
        Ops.requireShape(q, "add_decomposed_rel_pos", "q", bn, (long) qh * qw, c);
        Ops.requireShape(rhT, "add_decomposed_rel_pos", "Rh^T", qh, c, kh);
        Ops.requireShape(rwT, "add_decomposed_rel_pos", "Rw^T", qw, c, kw);
        NDArray rq = q.reshape(bn, qh, qw, c);
        // rel_h[b, h, w, k] = sum_c rq[b, h, w, c] Rh[h, k, c]: batch over h
        NDArray relH = rq.transpose(1, 0, 2, 3).reshape(qh, bn * qw, c).matMul(rhT)
                .reshape(qh, bn, qw, kh).transpose(1, 0, 2, 3);
        // rel_w[b, h, w, k] = sum_c rq[b, h, w, c] Rw[w, k, c]: batch over w
        NDArray relW = rq.transpose(2, 0, 1, 3).reshape(qw, bn * qh, c).matMul(rwT)
                .reshape(qw, bn, qh, kw).transpose(1, 2, 0, 3);
        return new NDArray[] {relH, relW};
    }
}
