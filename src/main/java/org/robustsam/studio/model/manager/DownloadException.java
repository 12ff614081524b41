package org.robustsam.studio.model.manager;

import java.io.IOException;

/** A download that did not produce a verified file; the message names the file and the cause. */
public final class DownloadException extends IOException {
    public DownloadException(String message) {
        super(message);
    }

    public DownloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
