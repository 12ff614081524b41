package org.robustsam.studio.train;

import java.nio.file.Path;

/** A job file that cannot be used, naming the field (as a JSON path such as {@code optimizer.lr}) and why. */
public final class TrainingConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String field;

    public TrainingConfigException(Path file, String field, String message) {
        super((file == null ? "" : file + ": ") + field + ": " + message);
        this.field = field;
    }

    /** The offending field, e.g. {@code degradation.severities[1]}. */
    public String field() {
        return field;
    }
}
