package org.robustsam.studio.model.checkpoint;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A checkpoint file could not be read. The message always starts with the file's name, then says
 * in plain words what is wrong, because it is shown to users who picked the file themselves.
 */
public class CheckpointException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String problem;

    public CheckpointException(Path file, String problem) {
        super(prefix(file) + problem);
        this.file = file;
        this.problem = problem;
    }

    public CheckpointException(Path file, String problem, Throwable cause) {
        super(prefix(file) + problem, cause);
        this.file = file;
        this.problem = problem;
    }

    /** The message without the file name, for wrapping it in a more specific one. */
    public String problem() {
        return problem;
    }

    /** The file the problem is about; may be null when the reader was given a stream only. */
    public Path file() {
        return file;
    }

    private static String prefix(Path file) {
        if (file == null) {
            return "";
        }
        Path name = file.getFileName();
        return (name == null ? file.toString() : name.toString()) + ": ";
    }
}
