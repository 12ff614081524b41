package org.robustsam.studio.annotate;

import java.io.IOException;
import java.nio.file.Path;

/** A folder that cannot be opened as a photo folder; the message names it and says why. */
public final class FolderException extends IOException {
    public FolderException(Path folder, String problem) {
        super(folder + ": " + problem);
    }

    public FolderException(Path folder, String problem, Throwable cause) {
        super(folder + ": " + problem, cause);
    }
}
