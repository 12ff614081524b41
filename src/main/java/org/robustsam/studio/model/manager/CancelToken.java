package org.robustsam.studio.model.manager;

import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Cancels a download from another thread (the dialog's Cancel button). Cancelling also closes the
 * response stream, so a read blocked on a silent server returns at once.
 */
public final class CancelToken {
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final AtomicReference<Closeable> stream = new AtomicReference<>();

    public void cancel() {
        cancelled.set(true);
        closeQuietly(stream.get());
    }

    public boolean isCancelled() {
        return cancelled.get();
    }

    void attach(Closeable c) {
        stream.set(c);
        if (cancelled.get()) {
            closeQuietly(c);
        }
    }

    static void closeQuietly(Closeable c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing is best effort; the reader sees the stream end either way
            }
        }
    }
}
