package org.robustsam.studio.eval;

import java.nio.file.Path;
import java.util.List;

/**
 * An image of an evaluation dataset with its ground truth.
 *
 * @param name path relative to the dataset root, '/'-separated: the CSV's {@code image} column
 *             and the key of its degradation seeds
 * @param file the image file
 * @param width size the annotation states (masks have this size)
 * @param height size the annotation states
 */
public record EvalImage(String name, Path file, int width, int height, List<GroundTruthObject> objects) {
    public EvalImage {
        objects = List.copyOf(objects);
    }
}
