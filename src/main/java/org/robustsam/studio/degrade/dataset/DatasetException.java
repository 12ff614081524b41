package org.robustsam.studio.degrade.dataset;

import java.io.IOException;
import java.nio.file.Path;

/** A dataset that cannot be read or written; the message names the path and the problem. */
public final class DatasetException extends IOException {
    public DatasetException(Path path, String problem) {
        super(path + ": " + problem);
    }

    public DatasetException(Path path, String problem, Throwable cause) {
        super(path + ": " + problem, cause);
    }
}
