package org.robustsam.studio.annotate.project;

import java.io.IOException;
import java.nio.file.Path;

/** A project file that cannot be read or written; the message names the file (and the line, when known). */
public final class ProjectFileException extends IOException {
    private final Path file;

    public ProjectFileException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public ProjectFileException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    public ProjectFileException(Path file, long line, long column, String problem, Throwable cause) {
        super(file + ", line " + line + ", column " + column + ": " + problem, cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
