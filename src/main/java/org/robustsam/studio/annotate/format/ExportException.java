package org.robustsam.studio.annotate.format;

import java.io.IOException;

/** A project that cannot be written in the asked format (too many classes for a PNG palette, clashing names...). */
public final class ExportException extends IOException {
    public ExportException(String message) {
        super(message);
    }
}
