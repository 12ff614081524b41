package org.robustsam.studio.annotate.format;

import java.util.List;

/** An image read from annotation files: its project path, size and instances in file order. */
public record ImportedImage(String path, int width, int height, List<ImportedObject> objects) {
    public ImportedImage {
        objects = List.copyOf(objects);
    }
}
