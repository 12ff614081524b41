package org.robustsam.studio.annotate.project;

import java.util.List;
import java.util.Objects;

/**
 * One image of the project: its path relative to the project folder (always '/'-separated), its
 * size, its status and its objects in drawing order (later objects are on top). Immutable.
 */
public record ImageRecord(String path, int width, int height, ImageStatus status, List<AnnotatedObject> objects) {
    public ImageRecord {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(status, "status");
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image " + path + " must have a positive size, got " + width + "x" + height);
        }
        objects = List.copyOf(objects);
    }

    public static ImageRecord empty(String path, int width, int height) {
        return new ImageRecord(path, width, height, ImageStatus.TODO, List.of());
    }

    public int indexOf(long objectId) {
        for (int i = 0; i < objects.size(); i++) {
            if (objects.get(i).id() == objectId) {
                return i;
            }
        }
        return -1;
    }

    ImageRecord withObjects(List<AnnotatedObject> newObjects) {
        return new ImageRecord(path, width, height, status, newObjects);
    }

    ImageRecord withStatus(ImageStatus newStatus) {
        return new ImageRecord(path, width, height, newStatus, objects);
    }
}
