package org.robustsam.studio.annotate.format;

import java.io.IOException;
import java.nio.file.Path;

/** Input that cannot be imported; the message names the file, and the line or the item within it. */
public final class ImportException extends IOException {
    private final Path file;

    public ImportException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public ImportException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    public ImportException(Path file, long line, long column, String problem, Throwable cause) {
        super(file + ", line " + line + ", column " + column + ": " + problem, cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
