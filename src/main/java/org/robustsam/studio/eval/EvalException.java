package org.robustsam.studio.eval;

import java.io.IOException;

/** An evaluation that cannot run at all (no usable dataset, no usable model, unwritable output). */
public final class EvalException extends IOException {
    public EvalException(String message) {
        super(message);
    }

    public EvalException(String message, Throwable cause) {
        super(message, cause);
    }
}
