package org.robustsam.studio.ui;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ProgressBar;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.robustsam.studio.inference.Engines;
import org.robustsam.studio.model.robustsam.RobustSam;
import org.robustsam.studio.model.sam.RandomSam;
import org.robustsam.studio.model.sam.SamConfig;
import org.robustsam.studio.testutil.SharedData;
import org.robustsam.studio.train.CheckpointStore;
import org.robustsam.studio.train.TrainingConfig;
import org.robustsam.studio.train.TrainingJobLauncher;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The jobs panel alone in a window (TestFX, headless Monocle): a tiny job launched from the panel
 * runs as its own process, the progress bar moves and the loss chart grows step by step; Cancel
 * ends the process within 2 s (SIGTERM, SIGKILL at 2 s) and leaves a checkpoint that loads, and
 * Resume becomes available.
 */
@ExtendWith(ApplicationExtension.class)
class TrainJobsPanelFxTest {
    /** Cancel's own limit is 2 s; the rest is process-exit notification and scheduling on a loaded machine. */
    static final long CANCEL_LIMIT_MILLIS = TrainingJobLauncher.CANCEL_GRACE_MILLIS + 500;

    private JobsPanel panel;

    @Start
    void start(Stage stage) {
        panel = new JobsPanel(new JobsViewModel(new TrainingJobLauncher(List.of("-Xmx2g")), Platform::runLater));
        stage.setScene(new Scene(panel, 1000, 720));
        stage.show();
    }

    @AfterEach
    void stop() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> panel.dispose()).get();
        panel.model().job().ifPresent(j -> {
            try {
                j.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @Test
    void launchShowsProgressAndAGrowingLossChartAndCancelStopsTheProcess(FxRobot robot) throws Exception {
        Path dir = Path.of(System.getProperty("studio.project.dir", ".")).toAbsolutePath().resolve("target/train-panel");
        if (Files.exists(dir)) {
            try (var walk = Files.walk(dir)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(dir);
        Path sam = dir.resolve("sam_tiny_random.safetensors");
        RandomSam.write(SamConfig.TINY, 21, sam);
        TrainingConfig c = new TrainingConfig();
        c.name = "panel-tiny";
        c.data.source = SharedData.labelmeFolder().toString();
        c.data.maxSide = 96;
        c.data.validationFraction = 0;
        c.data.labels = List.of("person", "bus", "car");
        c.model.base = sam.toString();
        c.optimizer.lr = 1e-3;
        c.steps = 200;
        c.checkpointEvery = 1;
        c.threads = 1;
        Path config = dir.resolve("job.json");
        c.write(config);

        JobsViewModel model = panel.model();
        robot.interact(() -> panel.setConfigFile(config));
        Button launch = robot.lookup("#jobs-launch").queryAs(Button.class);
        assertFalse(launch.isDisabled());
        robot.clickOn("#jobs-launch");
        waitFor(180, () -> model.losses().size() >= 2);
        int seen = fx(() -> panel.lossChart().getData().get(0).getData().size());
        waitFor(120, () -> fx(() -> panel.lossChart().getData().get(0).getData().size()) > seen);
        double progress = fx(() -> robot.lookup("#jobs-progress").queryAs(ProgressBar.class).getProgress());
        assertTrue(progress > 0 && progress < 1, "progress " + progress);
        String status = fx(() -> model.messageProperty().get());
        assertTrue(status.startsWith("step "), status);
        assertTrue(fx(() -> panel.lossChart().getData().stream().filter(s -> !s.getData().isEmpty()).count()) >= 5,
                "total and the four terms are drawn");
        waitFor(60, () -> fx(() -> model.lastCheckpointProperty().get()) != null);
        TrainingJobLauncher.Job job = model.job().orElseThrow();
        assertTrue(job.isAlive());

        robot.clickOn("#jobs-cancel");
        waitFor(10, () -> !job.isAlive() && model.cancelToExitMillis() >= 0);
        long millis = model.cancelToExitMillis();
        System.out.printf(Locale.ROOT, "[train panel] cancel -> process gone in %d ms (after %d steps)%n", millis,
                fx(() -> model.stepProperty().get()));
        assertTrue(millis <= CANCEL_LIMIT_MILLIS, "the job took " + millis + " ms to stop");
        waitFor(10, () -> fx(() -> !model.runningProperty().get()));

        Path latest = new CheckpointStore(c.outputFolder(config), c.keepCheckpoints).latest().orElseThrow();
        try (NDManager m = Engines.pytorch().newBaseManager();
             RobustSam loaded = RobustSam.load(SamConfig.TINY, latest.resolve(CheckpointStore.MODEL_FILE), m)) {
            assertNotNull(loaded);
        }
        assertTrue(CheckpointStore.readState(latest).step() >= 1);
        waitFor(10, () -> fx(() -> model.canResumeProperty().get()));
        assertFalse(robot.lookup("#jobs-resume").queryAs(Button.class).isDisabled());
    }

    private static <T> T fx(java.util.concurrent.Callable<T> c) {
        try {
            return WaitForAsyncUtils.asyncFx(c).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void waitFor(int seconds, BooleanSupplier condition) throws Exception {
        WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, condition::getAsBoolean);
    }
}
