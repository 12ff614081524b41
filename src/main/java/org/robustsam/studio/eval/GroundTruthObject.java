package org.robustsam.studio.eval;

import java.util.Objects;
import org.robustsam.studio.annotate.mask.CocoRle;

/**
 * One annotated instance to evaluate on.
 *
 * @param index 1-based position among the image's instances, in annotation-file order (the CSV's
 *              {@code object} column)
 * @param label its class name
 * @param mask its mask at the image's size
 */
public record GroundTruthObject(int index, String label, CocoRle mask) {
    public GroundTruthObject {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(mask, "mask");
    }
}
