package org.robustsam.studio.annotate.project;

import java.util.List;

/**
 * An immutable copy of a project's content at one moment: what the autosaver writes and exporters
 * read, off the thread that edits. Cheap, because labels, images and objects are immutable values.
 */
public record ProjectSnapshot(List<Label> labels, List<ImageRecord> images, long nextObjectId) {
    public ProjectSnapshot {
        labels = List.copyOf(labels);
        images = List.copyOf(images);
    }

    public int objectCount() {
        return images.stream().mapToInt(i -> i.objects().size()).sum();
    }

    /** Index of the label in the project order, or -1. */
    public int labelIndex(String name) {
        for (int i = 0; i < labels.size(); i++) {
            if (labels.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
