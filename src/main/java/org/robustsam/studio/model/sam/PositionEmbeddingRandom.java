package org.robustsam.studio.model.sam;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Random-Fourier positional encoding ({@code prompt_encoder.pe_layer}): coordinates in [0, 1] are
 * mapped to [-1, 1], projected by the gaussian matrix {@code positional_encoding_gaussian_matrix
 * [2, F]} and encoded as {@code [sin(2 pi p), cos(2 pi p)]}, {@code 2F} features.
 */
public final class PositionEmbeddingRandom extends SamModule {
    private static final double TWO_PI = 2 * Math.PI; // python's 2 * np.pi
    private final int numPosFeats;
    private final Parameter gaussian;

    public PositionEmbeddingRandom(int numPosFeats) {
        this.numPosFeats = numPosFeats;
        this.gaussian = parameter("positional_encoding_gaussian_matrix", 2, numPosFeats);
    }

    /** {@code [..., 2]} in [0, 1] -> {@code [..., 2F]}; the result lives in {@code coords}' manager. */
    public NDArray peEncoding(NDArray coords) {
        try (Scope scope = Scope.of(coords)) {
            coords = scope.in(coords);
            NDArray p = coords.mul(2).sub(1).matMul(gaussian.get()).mul(TWO_PI);
            return scope.keep(NDArrays.concat(new NDList(p.sin(), p.cos()), -1));
        }
    }

    /** Dense encoding of pixel centres of an {@code h x w} grid: {@code [2F, h, w]} in {@code manager}. */
    public NDArray forward(int h, int w, NDManager manager) {
        float[] xy = new float[h * w * 2];
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
                // grid.cumsum(dim) - 0.5, divided by the side, all in float32
                xy[(i * w + j) * 2] = ((float) (j + 1) - 0.5f) / w;
                xy[(i * w + j) * 2 + 1] = ((float) (i + 1) - 0.5f) / h;
            }
        }
        try (NDManager scope = manager.newSubManager()) {
            NDArray pe = peEncoding(scope.create(xy, new Shape(h, w, 2))).transpose(2, 0, 1);
            pe.attach(manager);
            return pe;
        }
    }

    /**
     * Points in pixels of an {@code imageH x imageW} frame, {@code [B, N, 2]} as (x, y) ->
     * {@code [B, N, 2F]}; the result lives in {@code coords}' manager.
     */
    public NDArray forwardWithCoords(NDArray coords, int imageH, int imageW) {
        Ops.requireShape(coords, "PositionEmbeddingRandom.forwardWithCoords", "coords", -1, -1, 2);
        try (Scope scope = Scope.of(coords)) {
            coords = scope.in(coords);
            NDArray size = scope.manager().create(new float[] {imageW, imageH});
            return scope.keep(peEncoding(coords.div(size)));
        }
    }

    public int numPosFeats() {
        return numPosFeats;
    }
}
