package org.robustsam.studio.model.mobilesam;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.robustsam.studio.model.sam.LayerNorm;
import org.robustsam.studio.model.sam.Linear;
import org.robustsam.studio.model.sam.Ops;
import org.robustsam.studio.model.sam.SamModule;
import org.robustsam.studio.model.sam.Scope;

/**
 * TinyViT's window attention (LeViT style, {@code layers.i.blocks.j.attn}): pre-norm ({@code norm},
 * eps 1e-5), {@code qkv} with the heads' q, k, v interleaved per head ({@code [.., heads, 3 * key_dim]}),
 * softmax of {@code q k^T * key_dim^-0.5} plus a learned bias per head and per relative offset, and
 * {@code proj}.
 *
 * <p>The bias table {@code attention_biases [heads, offsets]} is indexed by the offset
 * {@code (|dy|, |dx|)} of each query/key pair in the window: {@code attention_bias_idxs [N, N]}. The
 * reference registers that index as a non-persistent buffer, so official checkpoints do not hold
 * it; it is computed here exactly as the reference does (offsets numbered in first-seen order over
 * the row-major window). A checkpoint that does hold it (saved from a variant with the buffer
 * persistent) has it consumed and checked against the computed one. The gathered bias
 * {@code [heads, N, N]} (the reference's eval-mode {@code ab}) is precomputed at load.
 */
public final class TinyViTAttention extends SamModule {
    private final int dim;
    private final int numHeads;
    private final int keyDim;
    private final int d;
    private final int window;
    private final int tokens;
    private final float scale;
    private final long[] biasIdxs;
    private final LayerNorm norm;
    private final Linear qkv;
    private final Linear proj;
    private final Parameter attentionBiases;
    private final Parameter attentionBiasIdxs;
    private NDArray bias;

    /**
     * @param keyDim per-head width of q and k; v has {@code attnRatio * keyDim}
     * @param window side of the (square) window the bias table is for
     */
    public TinyViTAttention(int dim, int keyDim, int numHeads, int attnRatio, int window) {
        this.dim = dim;
        this.numHeads = numHeads;
        this.keyDim = keyDim;
        this.d = attnRatio * keyDim;
        this.window = window;
        this.tokens = window * window;
        this.scale = (float) Math.pow(keyDim, -0.5);
        int dh = d * numHeads;
        this.biasIdxs = biasIndexes(window);
        long offsets = Arrays.stream(biasIdxs).max().orElse(-1) + 1; // window^2: |dy|, |dx| in 0 .. window - 1
        this.attentionBiases = parameter("attention_biases", numHeads, offsets);
        this.attentionBiasIdxs = optionalBuffer("attention_bias_idxs", DataType.INT64, tokens, tokens);
        this.norm = child("norm", new LayerNorm(dim, 1e-5f));
        this.qkv = child("qkv", new Linear(dim, dh + 2 * keyDim * numHeads));
        this.proj = child("proj", new Linear(dh, dim));
    }

    /**
     * The reference's {@code attention_bias_idxs} for a {@code window x window} window, row-major
     * {@code [N * N]}: for every query point p1 and key point p2 (both in row-major order), the number
     * of the offset {@code (|dy|, |dx|)}, offsets numbered in the order they are first met.
     */
    static long[] biasIndexes(int window) {
        int n = window * window;
        Map<Long, Integer> numbers = new LinkedHashMap<>();
        long[] idxs = new long[n * n];
        for (int p1 = 0; p1 < n; p1++) {
            for (int p2 = 0; p2 < n; p2++) {
                long offset = (long) Math.abs(p1 / window - p2 / window) << 32 | Math.abs(p1 % window - p2 % window);
                Integer number = numbers.get(offset);
                if (number == null) {
                    number = numbers.size();
                    numbers.put(offset, number);
                }
                idxs[p1 * n + p2] = number;
            }
        }
        return idxs;
    }

    @Override
    protected void onLoaded(NDManager manager) {
        if (attentionBiasIdxs.isLoaded()) {
            long[] stored = attentionBiasIdxs.get().toLongArray();
            if (!Arrays.equals(stored, biasIdxs)) {
                int at = Arrays.mismatch(stored, biasIdxs);
                throw new IllegalArgumentException(attentionBiasIdxs.key() + " is not the offset index of a " + window
                        + "x" + window + " window: at [" + at / tokens + ", " + at % tokens + "] it holds " + stored[at]
                        + ", TinyViT computes " + biasIdxs[at]);
            }
        }
        // ab[h, i, j] = attention_biases[h, idxs[i, j]]: a linear-index take of [heads * N * N]
        long offsets = attentionBiases.shape().get(1);
        long[] flat = new long[numHeads * tokens * tokens];
        for (int h = 0; h < numHeads; h++) {
            for (int i = 0; i < biasIdxs.length; i++) {
                flat[h * biasIdxs.length + i] = h * offsets + biasIdxs[i];
            }
        }
        try (Scope scope = Scope.under(manager)) {
            NDArray index = scope.manager().create(flat);
            bias = scope.keep(scope.in(attentionBiases.get()).take(index).reshape(numHeads, tokens, tokens));
        }
    }

    /** The gathered bias {@code [heads, N, N]} added to every window's attention logits. */
    public NDArray bias() {
        return bias;
    }

    /** {@code [B, N, dim] -> [B, N, dim]} with {@code N = window^2} (B counts windows); the result lives in {@code x}'s manager. */
    public NDArray forward(NDArray x) {
        long b = Ops.requireShape(x, "TinyViT Attention(" + attentionBiases.key() + ")", "x", -1, tokens, dim).get(0);
        try (Scope scope = Scope.of(x)) {
            x = scope.in(x);
            // [B, N, heads, 2 kd + d] -> [B, heads, N, 2 kd + d], split into q, k, v
            NDArray all = qkv.forward(norm.forward(x)).reshape(b, tokens, numHeads, 2L * keyDim + d)
                    .transpose(0, 2, 1, 3);
            NDList qkvSplit = all.split(new long[] {keyDim, 2L * keyDim}, 3);
            NDArray q = qkvSplit.get(0);
            NDArray k = qkvSplit.get(1);
            NDArray v = qkvSplit.get(2);
            NDArray attn = q.matMul(k.transpose(0, 1, 3, 2)).muli(scale).addi(bias); // [B, heads, N, N]
            NDArray p = attn.softmax(-1);
            attn.close();
            NDArray out = p.matMul(v).transpose(0, 2, 1, 3).reshape(b, tokens, (long) d * numHeads);
            return scope.keep(proj.forward(out));
        }
    }
}
