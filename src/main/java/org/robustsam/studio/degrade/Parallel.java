package org.robustsam.studio.degrade;

import java.util.stream.IntStream;

/**
 * Runs row-wise work in bands on the common fork-join pool. Every row's result depends only on its
 * inputs and its own random stream ({@link Rng#forRow}), never on the band it fell in, so the
 * output is identical whether one thread or many ran it.
 */
final class Parallel {
    /** Below this many pixels the fork-join hand-off costs more than it saves (thumbnails). */
    static final int MIN_PARALLEL_PIXELS = 1 << 17;

    /** Work on rows [from, to). */
    @FunctionalInterface
    interface RowBand {
        void run(int from, int to);
    }

    private Parallel() {}

    /** Calls {@code band} over [0, rows) in bands; {@code rowWidth} sizes the decision to go parallel. */
    static void rows(int rows, int rowWidth, RowBand band) {
        long pixels = (long) rows * rowWidth;
        int threads = Runtime.getRuntime().availableProcessors();
        if (pixels < MIN_PARALLEL_PIXELS || threads < 2 || rows < 8) {
            band.run(0, rows);
            return;
        }
        int bands = Math.min(rows, threads * 4);
        IntStream.range(0, bands).parallel().forEach(i -> {
            int from = (int) ((long) rows * i / bands);
            int to = (int) ((long) rows * (i + 1) / bands);
            band.run(from, to);
        });
    }
}
