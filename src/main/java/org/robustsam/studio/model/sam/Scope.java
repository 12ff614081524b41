package org.robustsam.studio.model.sam;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * The memory discipline of every forward: a sub-manager that owns every intermediate (freed on
 * close), and {@link #keep} to hand results to the caller's manager.
 *
 * <p>DJL puts an op's result in the manager of the array it is called on. So inputs are first
 * aliased into the scope with {@link #in} (a view handle owned by the scope: no copy, and the
 * caller's array is never moved, so a shared input such as a cached image embedding or a weight can
 * be used by concurrent forwards).
 *
 * <pre>{@code
 * try (Scope s = Scope.of(x)) {
 *     x = s.in(x);
 *     NDArray y = ...ops on x...;
 *     return s.keep(y);
 * }
 * }</pre>
 */
public final class Scope implements AutoCloseable {
    private final NDManager out;
    private final NDManager scope;

    private Scope(NDManager out) {
        this.out = out;
        this.scope = out.newSubManager();
    }

    /** A scope whose results go to {@code first}'s manager. */
    public static Scope of(NDArray first) {
        return new Scope(first.getManager());
    }

    /** A scope whose results go to {@code out}. */
    public static Scope under(NDManager out) {
        return new Scope(out);
    }

    /** The scope's manager, for arrays created from scratch. */
    public NDManager manager() {
        return scope;
    }

    /** A scope-owned alias (view) of an input or weight, so ops on it allocate in the scope; null stays null. */
    public NDArray in(NDArray a) {
        if (a == null) {
            return null;
        }
        NDArray view = alias(a);
        view.attach(scope);
        return view;
    }

    /**
     * A new handle on the same storage with the same strides (an identity permute). Not
     * {@code reshape(sameShape)}: on a strided tensor, e.g. a channels-last one, DJL's reshape comes
     * back as a row-major copy, which costs a copy per module and makes oneDNN reorder every convolution.
     */
    public static NDArray alias(NDArray a) {
        int n = a.getShape().dimension();
        if (n == 0) {
            return a.reshape(a.getShape());
        }
        int[] identity = new int[n];
        for (int i = 0; i < n; i++) {
            identity[i] = i;
        }
        return a.transpose(identity);
    }

    /** Moves a derived array (one computed from an array outside the scope) into this scope. */
    public NDArray local(NDArray a) {
        a.attach(scope);
        return a;
    }

    /** Hands a result to the caller's manager. */
    public NDArray keep(NDArray a) {
        a.attach(out);
        return a;
    }

    @Override
    public void close() {
        scope.close();
    }
}
