package org.robustsam.studio.testutil;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Watches the JavaFX thread for freezes caused by the app, in the way IDE freeze detectors do,
 * so that "the FX thread is never blocked for more than N ms" can be asserted on a shared,
 * loaded 2-core machine without measuring the machine instead of the app.
 *
 * <p>Every 10 ms a runnable is posted to the FX thread; each one records how late it ran and how
 * much CPU the FX thread used while it waited. A wait counts as a freeze when the FX thread was
 * <em>busy</em> for longer than the bound (its CPU time over the wait), or when a 5 ms sampler saw
 * it parked or blocked inside this project's code for longer than the bound (waiting on a lock
 * or a future). A wait during which the FX thread neither worked nor waited in our code is the
 * scheduler or the renderer, not the app; it is reported ({@link Report#maxLateMs}) but not
 * counted.
 */
public final class FxFreezeDetector implements AutoCloseable {
    private static final String OUR_CODE = "org.robustsam.studio.";

    /** One posted runnable: wall times and FX-thread CPU times when posted and when run. */
    private record Tick(long postedNanos, long ranNanos, long cpuAtPost, long cpuAtRun) {}

    /** Outcome of one watch. */
    public record Report(int ticks, double maxLateMs, double maxBusyMs, double maxWaitInOurCodeMs, String worstStack) {
        /** The longest time the FX thread was kept from answering by the app's own work or waits. */
        public double maxFreezeMs() {
            return Math.max(maxBusyMs, maxWaitInOurCodeMs);
        }

        @Override
        public String toString() {
            return String.format("FX thread: %d samples, longest freeze by the app %.1f ms (busy %.1f ms, waiting in app "
                    + "code %.1f ms), longest late answer %.1f ms", ticks, maxFreezeMs(), maxBusyMs, maxWaitInOurCodeMs, maxLateMs);
        }
    }

    private final ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    private final long fxThreadId;
    private final List<Tick> ticks = new ArrayList<>();
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "fx-freeze-detector");
        t.setDaemon(true);
        return t;
    });
    private long waitStart = -1;
    private String waitStack = "";
    private long maxWaitNanos;
    private String maxWaitStack = "";

    private FxFreezeDetector(long fxThreadId) {
        this.fxThreadId = fxThreadId;
    }

    /** Starts watching; the FX toolkit must be running. */
    public static FxFreezeDetector start() throws Exception {
        long id = WaitForAsyncUtils.asyncFx(() -> Thread.currentThread().getId()).get(10, TimeUnit.SECONDS);
        FxFreezeDetector d = new FxFreezeDetector(id);
        d.timers.scheduleAtFixedRate(d::post, 0, 10, TimeUnit.MILLISECONDS);
        d.timers.scheduleAtFixedRate(d::sample, 0, 5, TimeUnit.MILLISECONDS);
        return d;
    }

    private void post() {
        long posted = System.nanoTime();
        long cpu = mx.getThreadCpuTime(fxThreadId);
        Platform.runLater(() -> {
            Tick t = new Tick(posted, System.nanoTime(), cpu, mx.getCurrentThreadCpuTime());
            synchronized (ticks) {
                ticks.add(t);
            }
        });
    }

    /** Tracks how long the FX thread stays parked or blocked with our code on its stack. */
    private synchronized void sample() {
        ThreadInfo info = mx.getThreadInfo(fxThreadId, 40);
        long now = System.nanoTime();
        boolean waitingInOurCode = false;
        if (info != null && info.getThreadState() != Thread.State.RUNNABLE) {
            waitingInOurCode = Arrays.stream(info.getStackTrace()).anyMatch(f -> f.getClassName().startsWith(OUR_CODE)
                    && !f.getClassName().startsWith(OUR_CODE + "testutil."));
        }
        if (waitingInOurCode) {
            if (waitStart < 0) {
                waitStart = now;
                waitStack = describe(info);
            }
            if (now - waitStart > maxWaitNanos) {
                maxWaitNanos = now - waitStart;
                maxWaitStack = waitStack;
            }
        } else {
            waitStart = -1;
        }
    }

    private static String describe(ThreadInfo info) {
        StringBuilder sb = new StringBuilder(info.getThreadState().toString());
        for (StackTraceElement f : info.getStackTrace()) {
            if (f.getClassName().startsWith(OUR_CODE)) {
                sb.append("\n  at ").append(f);
            }
        }
        return sb.toString();
    }

    /** Stops watching and returns what was seen. */
    public Report stop() throws InterruptedException {
        timers.shutdownNow();
        timers.awaitTermination(2, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
        long maxLate = 0;
        long maxBusy = 0;
        int n;
        synchronized (ticks) {
            n = ticks.size();
            for (Tick t : ticks) {
                maxLate = Math.max(maxLate, t.ranNanos() - t.postedNanos());
                if (t.cpuAtPost() >= 0 && t.cpuAtRun() >= 0) {
                    maxBusy = Math.max(maxBusy, t.cpuAtRun() - t.cpuAtPost());
                }
            }
        }
        synchronized (this) {
            return new Report(n, maxLate / 1e6, maxBusy / 1e6, maxWaitNanos / 1e6, maxWaitStack);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (!timers.isShutdown()) {
            stop();
        }
    }
}
