package org.robustsam.studio.inference;

import java.io.IOException;
import java.nio.file.Path;
import org.robustsam.studio.image.ImageLoader;
import org.robustsam.studio.image.RgbImage;

/**
 * A photo to encode, loaded only when the background worker gets to it (so prefetching the next
 * photos costs nothing until then). {@code id} says what it is to people: a file name, or
 * "photo.jpg (fog, severity 3)" for a working view.
 */
public record ImageSource(String id, Loader loader) {
    /** Loads the pixels; may fail with a message naming the file. */
    @FunctionalInterface
    public interface Loader {
        RgbImage load() throws IOException;
    }

    public static ImageSource ofFile(Path file, ImageLoader imageLoader) {
        return new ImageSource(file.getFileName().toString(), () -> imageLoader.load(file));
    }

    public static ImageSource ofImage(String id, RgbImage image) {
        return new ImageSource(id, () -> image);
    }
}
