package org.robustsam.studio.ui;

import static org.junit.jupiter.api.Assertions.assertTrue;

import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.layout.Pane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.robustsam.studio.testutil.FxFreezeDetector;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The freeze detector the responsiveness tests rely on sees both kinds of freeze, and not idleness. */
@ExtendWith(ApplicationExtension.class)
class FxFreezeDetectorTest {
    @Start
    void start(Stage stage) {
        stage.setScene(new Scene(new Pane(), 200, 100));
        stage.show();
    }

    @Test
    void anIdleFxThreadIsNotAFreeze() throws Exception {
        FxFreezeDetector.Report r;
        try (FxFreezeDetector d = FxFreezeDetector.start()) {
            Thread.sleep(400);
            r = d.stop();
        }
        assertTrue(r.ticks() > 5, r.toString());
        assertTrue(r.maxFreezeMs() < 60, r.toString());
    }

    @Test
    void workOnTheFxThreadIsAFreeze() throws Exception {
        FxFreezeDetector.Report r;
        try (FxFreezeDetector d = FxFreezeDetector.start()) {
            Thread.sleep(50);
            Platform.runLater(FxFreezeDetectorTest::spinCpu);
            Thread.sleep(300);
            WaitForAsyncUtils.waitForFxEvents();
            r = d.stop();
        }
        assertTrue(r.maxBusyMs() >= 150, r.toString());
    }

    @Test
    void waitingInAppCodeOnTheFxThreadIsAFreeze() throws Exception {
        FxFreezeDetector.Report r;
        try (FxFreezeDetector d = FxFreezeDetector.start()) {
            Thread.sleep(50);
            Platform.runLater(() -> {
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Thread.sleep(400);
            WaitForAsyncUtils.waitForFxEvents();
            r = d.stop();
        }
        assertTrue(r.maxWaitInOurCodeMs() >= 150, r.toString());
        assertTrue(r.worstStack().contains("FxFreezeDetectorTest"), r.worstStack());
    }

    /** About 200 ms of CPU on the calling thread. */
    private static void spinCpu() {
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long start = mx.getCurrentThreadCpuTime();
        double x = 0;
        while (mx.getCurrentThreadCpuTime() - start < 200_000_000L) {
            x += Math.sqrt(x + 1);
        }
        if (x < 0) {
            throw new AssertionError();
        }
    }
}
