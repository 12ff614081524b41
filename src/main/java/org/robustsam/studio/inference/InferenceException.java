package org.robustsam.studio.inference;

/** A model could not run on an input; the message says which input and why. */
public class InferenceException extends Exception {
    public InferenceException(String message) {
        super(message);
    }

    public InferenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
