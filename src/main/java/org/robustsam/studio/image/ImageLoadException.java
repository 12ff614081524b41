package org.robustsam.studio.image;

import java.io.IOException;
import java.nio.file.Path;

/** An image that cannot be shown or segmented; the message always names the file and the problem. */
public final class ImageLoadException extends IOException {
    private final Path file;

    public ImageLoadException(Path file, String problem) {
        super(file.getFileName() + ": " + problem);
        this.file = file;
    }

    public ImageLoadException(Path file, String problem, Throwable cause) {
        super(file.getFileName() + ": " + problem, cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
