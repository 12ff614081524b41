package org.robustsam.studio.model.checkpoint;

import java.util.List;

/** A Python tuple from a pickle; kept apart from lists so that argument checks can tell them apart. */
record PickleTuple(List<Object> items) {
    PickleTuple {
        items = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(items));
    }

    int size() {
        return items.size();
    }

    Object get(int i) {
        return items.get(i);
    }
}
