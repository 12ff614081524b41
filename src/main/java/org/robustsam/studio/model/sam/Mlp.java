package org.robustsam.studio.model.sam;

import ai.djl.ndarray.NDArray;

/** The decoder's {@code MLP}: {@code layers.i} Linear layers with ReLU between them, no output activation. */
public final class Mlp extends SamModule {
    private final Linear[] layers;

    public Mlp(int inputDim, int hiddenDim, int outputDim, int numLayers) {
        ModuleList c = child("layers", new ModuleList());
        layers = new Linear[numLayers];
        for (int i = 0; i < numLayers; i++) {
            int in = i == 0 ? inputDim : hiddenDim;
            int out = i == numLayers - 1 ? outputDim : hiddenDim;
            layers[i] = c.add(Integer.toString(i), new Linear(in, out));
        }
    }

    /** {@code [..., inputDim] -> [..., outputDim]}; the result lives in {@code x}'s manager. */
    public NDArray forward(NDArray x) {
        try (Scope scope = Scope.of(x)) {
            x = scope.in(x);
            NDArray h = x;
            for (int i = 0; i < layers.length; i++) {
                h = layers[i].forward(h);
                if (i < layers.length - 1) {
                    h = h.getNDArrayInternal().relu();
                }
            }
            return scope.keep(h);
        }
    }

}
