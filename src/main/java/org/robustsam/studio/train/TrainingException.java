package org.robustsam.studio.train;

/** A job that cannot start or go on: bad data, a checkpoint that does not fit, a resume without state. */
public final class TrainingException extends Exception {
    private static final long serialVersionUID = 1L;

    public TrainingException(String message) {
        super(message);
    }

    public TrainingException(String message, Throwable cause) {
        super(message, cause);
    }
}
