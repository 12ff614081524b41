package org.robustsam.studio.annotate.project;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file could not be written: the message names it and says why in plain words (the disk is full,
 * the folder is read-only, permission denied). Where it replaces a file, the old one is unchanged.
 */
public final class FileWriteException extends IOException {
    private final transient Path file;
    private final String problem;

    public FileWriteException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
        this.problem = problem;
    }

    public Path file() {
        return file;
    }

    /** The message without the file, for callers that name the file their own way. */
    public String problem() {
        return problem;
    }
}
