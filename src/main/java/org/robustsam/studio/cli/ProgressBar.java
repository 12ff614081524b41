package org.robustsam.studio.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.robustsam.studio.model.manager.DownloadProgress;

/**
 * A text progress bar on the error stream. On a terminal it redraws one line in place; otherwise
 * (logs, pipes, tests) it prints a line at every tenth of the way, so logs stay short.
 */
final class ProgressBar {
    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintWriter err;
    private final String label;
    private final boolean interactive;
    private final long startNanos = System.nanoTime();
    private long lastDraw;
    private int lastTenth = -1;

    ProgressBar(PrintWriter err, String label, boolean interactive) {
        this.err = err;
        this.label = label;
        this.interactive = interactive;
    }

    /** A bar that redraws in place when a terminal is attached. */
    ProgressBar(PrintWriter err, String label) {
        this(err, label, System.console() != null);
    }

    /** Byte-counted work (downloads): sizes, rate and time left as the server reports them. */
    synchronized void update(DownloadProgress p) {
        long now = System.nanoTime();
        if (now - lastDraw < REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        double f = Math.max(0, p.fraction());
        int filled = (int) Math.round(f * WIDTH);
        String eta = p.etaSeconds() >= 0 ? " ETA " + clock(p.etaSeconds()) : "";
        String text = String.format(Locale.ROOT, "%s [%s%s] %s / %s  %s/s%s", label, "#".repeat(filled), ".".repeat(WIDTH - filled),
                bytes(p.bytesDone()), p.bytesTotal() > 0 ? bytes(p.bytesTotal()) : "?", bytes((long) p.bytesPerSecond()), eta);
        err.print(interactive ? "\r" + text : text + "\n");
        err.flush();
    }

    /** Ends an in-place bar with a newline. */
    synchronized void finish() {
        if (interactive) {
            err.println();
            err.flush();
        }
    }

    static String bytes(long b) {
        if (b < 1024) {
            return b + " B";
        }
        if (b < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", b / 1024.0);
        }
        if (b < 1024L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MiB", b / (1024.0 * 1024));
        }
        return String.format(Locale.ROOT, "%.2f GiB", b / (1024.0 * 1024 * 1024));
    }

    synchronized void update(int done, int total) {
        long now = System.nanoTime();
        boolean last = done >= total;
        if (interactive) {
            if (!last && now - lastDraw < REDRAW_NANOS) {
                return;
            }
            lastDraw = now;
            err.print("\r" + line(done, total, now));
            if (last) {
                err.println();
            }
            err.flush();
            return;
        }
        int tenth = total == 0 ? 10 : (int) (10L * done / total);
        if (tenth != lastTenth) {
            lastTenth = tenth;
            err.println(line(done, total, now));
            err.flush();
        }
    }

    /** Prints a message on its own line without garbling the bar. */
    synchronized void message(String text) {
        if (interactive) {
            err.print("\r" + " ".repeat(WIDTH + 60) + "\r");
        }
        err.println(text);
        err.flush();
        lastDraw = 0;
    }

    String line(int done, int total, long now) {
        double fraction = total == 0 ? 1 : (double) done / total;
        int filled = (int) Math.round(fraction * WIDTH);
        double seconds = (now - startNanos) / 1e9;
        double rate = seconds > 0 ? done / seconds : 0;
        String eta = done > 0 && done < total ? " ETA " + clock((total - done) / rate) : "";
        return String.format(Locale.ROOT, "%s [%s%s] %3.0f%% %d/%d  %.1f/s%s", label, "#".repeat(filled), ".".repeat(WIDTH - filled),
                100 * fraction, done, total, rate, eta);
    }

    private static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
