package org.robustsam.studio.model.manager;

/**
 * One progress report: bytes on disk so far (including a resumed part), the total when the server
 * says it, the recent transfer rate and the time left at that rate.
 */
public record DownloadProgress(long bytesDone, long bytesTotal, double bytesPerSecond) {
    /** Fraction done in [0, 1], or -1 when the total is unknown. */
    public double fraction() {
        return bytesTotal > 0 ? Math.min(1.0, (double) bytesDone / bytesTotal) : -1;
    }

    /** Seconds left at the current rate, or -1 when unknown. */
    public double etaSeconds() {
        return bytesTotal > 0 && bytesPerSecond > 0 ? (bytesTotal - bytesDone) / bytesPerSecond : -1;
    }
}
