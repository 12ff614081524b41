package org.robustsam.studio.model.checkpoint;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A Python tuple from a pickle; kept apart from lists so that argument checks can tell them apart.
 *
 * <p>It knows how deeply it nests and whether Python could hash it (only scalars and hashable tuples
 * inside), both worked out from its items when it is made, without recursion: a hostile pickle may
 * nest tuples a million deep or hide a list that contains itself, and hashing or printing such a
 * value would never return.
 */
final class PickleTuple {
    private final List<Object> items;
    private final int depth;
    private final boolean hashable;

    PickleTuple(List<Object> items) {
        this.items = Collections.unmodifiableList(new ArrayList<>(items));
        int d = 1;
        boolean h = true;
        for (Object o : this.items) {
            if (o instanceof PickleTuple t) {
                d = Math.max(d, t.depth + 1);
                h &= t.hashable;
            } else {
                h &= isHashableScalar(o);
            }
        }
        this.depth = d;
        this.hashable = h;
    }

    /** A value Python can use as a dict key: a scalar, or a tuple of such values. */
    static boolean isHashable(Object o) {
        return o instanceof PickleTuple t ? t.hashable : isHashableScalar(o);
    }

    private static boolean isHashableScalar(Object o) {
        return o == null || o instanceof String || o instanceof Long || o instanceof BigInteger || o instanceof Double
                || o instanceof Boolean || o instanceof byte[];
    }

    List<Object> items() {
        return items;
    }

    int depth() {
        return depth;
    }

    int size() {
        return items.size();
    }

    Object get(int i) {
        return items.get(i);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PickleTuple t && t.items.equals(items);
    }

    @Override
    public int hashCode() {
        return items.hashCode();
    }

    @Override
    public String toString() {
        return "tuple of " + items.size();
    }
}
