package org.robustsam.studio.model.robustsam;

import org.robustsam.studio.model.sam.Scope;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Parameter-free reductions: {@code nn.InstanceNorm1d/2d} with the defaults (no affine, no running
 * statistics) and means over trailing axes (DJL's PyTorch engine reduces over one axis at a time,
 * so the trailing axes are flattened into one first).
 */
final class Norms {
    static final float INSTANCE_NORM_EPS = 1e-5f;

    private Norms() {}

    /**
     * Normalises over the last {@code trailingAxes} axes with the biased variance,
     * {@code (x - mean) / sqrt(var + 1e-5)}: {@code nn.InstanceNorm2d} on {@code [B, C, H, W]} is 2;
     * {@code nn.InstanceNorm1d} on an unbatched {@code [C, L]} input (how TokenBlock calls it) is 1.
     * The result lives in {@code x}'s manager.
     */
    static NDArray instanceNorm(NDArray x, int trailingAxes) {
        Shape shape = x.getShape();
        try (Scope scope = Scope.of(x)) {
            NDArray flat = flattenTrailing(scope.in(x), trailingAxes);
            int last = flat.getShape().dimension() - 1;
            NDArray centred = flat.sub(flat.mean(new int[] {last}, true));
            NDArray var = centred.square().mean(new int[] {last}, true);
            return scope.keep(centred.div(var.add(INSTANCE_NORM_EPS).sqrt()).reshape(shape));
        }
    }

    /** The mean over the last {@code trailingAxes} axes (removed); the result lives in {@code x}'s manager. */
    static NDArray meanOverTrailing(NDArray x, int trailingAxes) {
        try (Scope scope = Scope.of(x)) {
            NDArray flat = flattenTrailing(scope.in(x), trailingAxes);
            return scope.keep(flat.mean(new int[] {flat.getShape().dimension() - 1}));
        }
    }

    private static NDArray flattenTrailing(NDArray x, int trailingAxes) {
        long[] s = x.getShape().getShape();
        int keep = s.length - trailingAxes;
        long[] flat = new long[keep + 1];
        System.arraycopy(s, 0, flat, 0, keep);
        flat[keep] = 1;
        for (int i = keep; i < s.length; i++) {
            flat[keep] *= s[i];
        }
        return x.reshape(flat);
    }
}
