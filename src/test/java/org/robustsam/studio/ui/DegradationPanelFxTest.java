package org.robustsam.studio.ui;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelFormat;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.robustsam.studio.degrade.DegradationBenchmark;
import org.robustsam.studio.degrade.Degradations;
import org.robustsam.studio.image.RgbImage;
import org.robustsam.studio.testutil.FxFreezeDetector;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The degradation preview panel alone in a window, driven with TestFX (headless in Monocle). */
@ExtendWith(ApplicationExtension.class)
class DegradationPanelFxTest {
    private DegradationPanel panel;
    private final RgbImage source = DegradationBenchmark.syntheticPhoto(640, 480);

    @Start
    void start(Stage stage) {
        panel = new DegradationPanel();
        stage.setScene(new Scene(panel, 1000, 760));
        stage.show();
    }

    @AfterEach
    void stop() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> panel.dispose()).get();
    }

    private DegradationPreviewModel model() {
        return panel.model();
    }

    private void showSourceAndWait(FxRobot robot, RgbImage image) throws TimeoutException {
        robot.interact(() -> panel.setSourceImage(image));
        waitFor(() -> model().readyCountProperty().get() == 15);
    }

    @Test
    void showsFifteenLabelledThumbnailsOfTheImage(FxRobot robot) throws Exception {
        showSourceAndWait(robot, source);
        List<Node> tiles = new ArrayList<>(robot.lookup(".degradation-thumb").queryAll());
        assertEquals(15, tiles.size());
        for (String id : Degradations.ids()) {
            VBox tile = robot.lookup("#thumb-" + id).query();
            Label name = (Label) tile.getChildren().get(1);
            assertEquals(Degradations.get(id).name(), name.getText());
            ImageView view = robot.from(tile).lookup((Node n) -> n instanceof ImageView).query();
            assertNotNull(view.getImage(), id + " has no picture");
            assertTrue(view.isVisible() && view.getImage().getWidth() > 0);
            // The thumbnail is the degradation of the shrunk copy, pixel for pixel.
            RgbImage small = DegradationPreviewModel.shrink(source, DegradationPreviewModel.PREVIEW_SIDE);
            assertArrayEquals(Degradations.get(id).apply(small, 3, 0).pixels(), model().thumbnail(id).pixelsProperty().get().pixels(), id);
        }
        assertTrue(robot.lookup("#degradationStatus").queryLabeled().getText().contains("click a preview"));
    }

    @Test
    void movingTheSliderRecomputesEveryThumbnail(FxRobot robot) throws Exception {
        showSourceAndWait(robot, source);
        List<int[]> before = new ArrayList<>();
        for (String id : Degradations.ids()) {
            before.add(displayedPixels(robot, id));
        }
        robot.clickOn("#severitySlider"); // the middle of the track: stays at 3, takes focus
        robot.type(KeyCode.RIGHT, 2);
        waitFor(() -> model().severityProperty().get() == 5 && model().readyCountProperty().get() == 15);
        assertEquals(5.0, robot.lookup("#severitySlider").<javafx.scene.control.Slider>query().getValue());
        assertEquals("Severity 5", robot.lookup("#severityValue").queryLabeled().getText());
        for (int i = 0; i < 15; i++) {
            String id = Degradations.ids().get(i);
            assertEquals(5, model().thumbnail(id).shownSeverity(), id);
            assertFalse(Arrays.equals(before.get(i), displayedPixels(robot, id)), id + " thumbnail did not change with the severity");
        }

        // Rapid changes: only the last request's results end up on screen.
        robot.type(KeyCode.LEFT, 4);
        robot.type(KeyCode.RIGHT);
        waitFor(() -> model().severityProperty().get() == 2 && model().readyCountProperty().get() == 15);
        RgbImage small = DegradationPreviewModel.shrink(source, DegradationPreviewModel.PREVIEW_SIDE);
        for (String id : Degradations.ids()) {
            assertEquals(2, model().thumbnail(id).shownSeverity(), id);
            assertArrayEquals(Degradations.get(id).apply(small, 2, 0).pixels(), model().thumbnail(id).pixelsProperty().get().pixels(), id);
        }
    }

    @Test
    void clickingAThumbnailDeliversTheFullSizeImageAndApplyDeliversTheChoice(FxRobot robot) throws Exception {
        AtomicReference<DegradedPreview> full = new AtomicReference<>();
        AtomicReference<DegradationChoice> applied = new AtomicReference<>();
        robot.interact(() -> {
            panel.setOnFullSizeImage(full::set);
            panel.setOnApplyAsWorkingView(applied::set);
        });
        showSourceAndWait(robot, source);
        assertTrue(robot.lookup("#applyWorkingViewButton").queryButton().isDisabled(), "nothing chosen yet");

        robot.clickOn("#thumb-fog");
        waitFor(() -> full.get() != null);
        assertEquals(new DegradationChoice("fog", 3, 0), full.get().choice());
        assertEquals(source.width(), full.get().image().width());
        assertEquals(source.height(), full.get().image().height());
        assertArrayEquals(Degradations.get("fog").apply(source, 3, 0).pixels(), full.get().image().pixels());

        // A typed seed recomputes the previews; the next full-size image uses it.
        robot.clickOn("#seedField");
        robot.interact(() -> robot.lookup("#seedField").queryTextInputControl().clear());
        robot.write("42").type(KeyCode.ENTER);
        waitFor(() -> model().seedProperty().get() == 42 && model().readyCountProperty().get() == 15);
        full.set(null);
        robot.clickOn("#thumb-motion_blur");
        waitFor(() -> full.get() != null);
        assertEquals(new DegradationChoice("motion_blur", 3, 42), full.get().choice());
        assertArrayEquals(Degradations.get("motion_blur").apply(source, 3, 42).pixels(), full.get().image().pixels());

        robot.clickOn("#applyWorkingViewButton");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(new DegradationChoice("motion_blur", 3, 42), applied.get());

        // A seed that is not a number is refused and the old one kept.
        robot.clickOn("#seedField");
        robot.interact(() -> robot.lookup("#seedField").queryTextInputControl().clear());
        robot.write("abc").type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(42, model().seedProperty().get());
    }

    /**
     * The FX thread keeps answering while previews and a full-size image are computed: it is never
     * kept busy, or waiting in the app's code, for more than 100 ms ({@link FxFreezeDetector}, which
     * tells the app's work apart from a loaded machine's scheduling delays).
     */
    @Test
    void theFxThreadStaysResponsiveWhileComputing(FxRobot robot) throws Exception {
        AtomicReference<DegradedPreview> full = new AtomicReference<>();
        robot.interact(() -> panel.setOnFullSizeImage(full::set));
        showSourceAndWait(robot, source);
        RgbImage big = DegradationBenchmark.syntheticPhoto(2048, 1536);

        long t0 = System.nanoTime();
        FxFreezeDetector.Report report;
        try (FxFreezeDetector detector = FxFreezeDetector.start()) {
            robot.interact(() -> panel.setSourceImage(big));
            robot.clickOn("#severitySlider");
            robot.type(KeyCode.RIGHT);
            robot.clickOn("#thumb-elastic_transform");
            waitFor(() -> model().readyCountProperty().get() == 15 && full.get() != null);
            report = detector.stop();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("[degrade-ui] recompute of 15 previews + one 2048x1536 full-size image took %.2f s; %s%n",
                seconds, report);
        assertEquals(big.width(), full.get().image().width());
        assertTrue(report.ticks() > 10, "too few samples: " + report);
        assertTrue(report.maxFreezeMs() < 100, report + "\n" + report.worstStack());
    }

    private int[] displayedPixels(FxRobot robot, String id) throws Exception {
        VBox tile = robot.lookup("#thumb-" + id).query();
        ImageView view = robot.from(tile).lookup((Node n) -> n instanceof ImageView).query();
        Image img = WaitForAsyncUtils.asyncFx(view::getImage).get();
        int w = (int) img.getWidth();
        int h = (int) img.getHeight();
        int[] px = new int[w * h];
        img.getPixelReader().getPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), px, 0, w);
        return px;
    }

    private static void waitFor(java.util.concurrent.Callable<Boolean> condition) throws TimeoutException {
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, condition);
    }
}
