package org.robustsam.studio.model.robustsam;

import org.robustsam.studio.model.sam.Scope;
import ai.djl.ndarray.NDArray;
import org.robustsam.studio.model.sam.Linear;
import org.robustsam.studio.model.sam.Ops;
import org.robustsam.studio.model.sam.SamModule;

/**
 * Anti-degradation output token generation (AOTG, {@code custom_token_block}, reference
 * {@code TokenBlock}): each robust mask token {@code [C]} is instance-normalised twice
 * ({@code IN_layer_I}, {@code IN_layer_II}: no parameters), cut into M chunks of C/M and each chunk
 * run through {@code mlp} (Linear(C/M, C/M), ReLU, Linear(C/M, C)), giving M refined tokens
 * {@code [M, C]} per input token.
 *
 * <p>The reference does this with {@code x.view(M, -1)} on the {@code [B, C]} tokens of a batch,
 * which only works for one prompt at a time (B = 1); here each token is handled on its own, which
 * is the same for B = 1 and extends it to prompt batches.
 */
final class TokenBlock extends SamModule {
    private final int numTokens;
    private final int dim;
    private final Linear mlp0;
    private final Linear mlp2;

    /**
     * @param numTokens M, the reference's {@code input_dim} (number of mask tokens, 4)
     * @param dim C, the token width (256); the MLP works on C / M
     */
    TokenBlock(int numTokens, int dim) {
        this.numTokens = numTokens;
        this.dim = dim;
        int chunk = dim / numTokens;
        Sequential mlp = child("mlp", new Sequential());
        mlp0 = mlp.add(0, new Linear(chunk, chunk));
        mlp2 = mlp.add(2, new Linear(chunk, chunk * numTokens));
    }

    /**
     * {@code [B, T, C]} tokens -> {@code [B, T, M, C]}: for each token, the M refined versions
     * (row j from its j-th chunk). The result lives in {@code tokens}' manager.
     */
    NDArray forward(NDArray tokens) {
        long[] s = Ops.requireShape(tokens, "TokenBlock", "tokens", -1, -1, dim).getShape();
        try (Scope scope = Scope.of(tokens)) {
            NDArray x = scope.in(tokens);
            x = Norms.instanceNorm(Norms.instanceNorm(x, 1), 1); // over each token's C values
            NDArray chunks = x.reshape(s[0], s[1], numTokens, dim / numTokens);
            return scope.keep(mlp2.forward(mlp0.forward(chunks).getNDArrayInternal().relu()));
        }
    }
}
