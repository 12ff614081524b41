package org.robustsam.studio.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.robustsam.studio.degrade.Degradations;
import org.robustsam.studio.image.RgbImage;
import org.robustsam.studio.settings.AppSettings;
import org.robustsam.studio.testutil.SyntheticScenes;
import org.robustsam.studio.testutil.TinyModels;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The degradation advisor in the main window: quality badges in the photo list and sorting by them,
 * and the automatic switch that prompts with RobustSAM on a degraded photo and with SAM on a clean
 * one (two tiny random models; which one answered is read from the prediction).
 */
@ExtendWith(ApplicationExtension.class)
class AdvisorFxTest {
    @TempDir
    static Path tmp;

    private static Path photos;
    private static Path sam;
    private static Path robust;
    private StudioApp app;

    @BeforeAll
    static void photosAndModels() throws Exception {
        photos = Files.createDirectories(tmp.resolve("photos"));
        RgbImage a = SyntheticScenes.deadLeaves(480, 360, 21);
        RgbImage c = SyntheticScenes.deadLeaves(480, 360, 22);
        ImageIO.write(a.toBufferedImage(), "png", photos.resolve("a-clean.png").toFile());
        ImageIO.write(Degradations.get("gauss_noise").apply(a, 4, 1).toBufferedImage(), "png", photos.resolve("b-noisy.png").toFile());
        ImageIO.write(c.toBufferedImage(), "png", photos.resolve("c-clean.png").toFile());
        ImageIO.write(Degradations.get("fog").apply(c, 4, 1).toBufferedImage(), "png", photos.resolve("d-foggy.png").toFile());
        sam = TinyModels.sam(tmp.resolve("sam-tiny.safetensors"), 31);
        robust = TinyModels.robustSam(tmp.resolve("robustsam-tiny.pth"), 32);
        System.setProperty("studio.model", sam.toString());
        System.setProperty("studio.cache.dir", tmp.resolve("cache").toString());
        System.setProperty("studio.models.dir", tmp.resolve("no-models").toString());
    }

    @AfterAll
    static void forgetProperties() {
        System.clearProperty("studio.model");
        System.clearProperty("studio.models.dir");
    }

    @Start
    void start(Stage stage) throws Exception {
        System.setProperty("studio.config.dir", tmp.resolve("config").toString());
        Files.deleteIfExists(AppSettings.defaultFile());
        app = new StudioApp();
        app.start(stage);
    }

    @AfterEach
    void stop() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> app.stop()).get();
    }

    private static void waitFor(Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, condition);
        WaitForAsyncUtils.waitForFxEvents();
    }

    private static List<String> names(ListView<PhotoItem> list) {
        return list.getItems().stream().map(PhotoItem::toString).toList();
    }

    private void open(FxRobot robot) throws Exception {
        robot.clickOn("#folderField").write(photos.toString()).type(KeyCode.ENTER);
        ListView<PhotoItem> list = robot.lookup("#photoList").queryListView();
        waitFor(() -> list.getItems().size() == 4 && list.getItems().stream().allMatch(i -> i.quality() != null));
    }

    @Test
    void badgesAppearAndSortingOrdersThePhotosByQuality(FxRobot robot) throws Exception {
        open(robot);
        ListView<PhotoItem> list = robot.lookup("#photoList").queryListView();
        assertEquals(List.of("a-clean.png", "b-noisy.png", "c-clean.png", "d-foggy.png"), names(list));
        // One badge per photo, showing its quality in percent.
        waitFor(() -> robot.lookup(".quality-badge").queryAll().size() == 4);
        for (Node n : robot.lookup(".quality-badge").queryAll()) {
            String text = ((Label) n).getText();
            assertTrue(list.getItems().stream().anyMatch(i -> String.format(java.util.Locale.ROOT, "%.0f", 100 * i.quality().quality())
                    .equals(text)), text);
        }
        PhotoItem noisy = list.getItems().get(1);
        assertTrue(noisy.quality().quality() < 0.5 && list.getItems().get(0).quality().quality() > 0.7,
                noisy.quality().summary() + " / " + list.getItems().get(0).quality().summary());

        // The photo on screen stays selected while the list is re-ordered.
        robot.interact(() -> list.getSelectionModel().select(2));
        waitFor(() -> app.main().currentImageProperty().get() != null && app.main().selectedEntry().fileName().equals("c-clean.png"));
        var shown = app.main().currentImageProperty().get();

        ChoiceBox<MainViewModel.PhotoOrder> order = robot.lookup("#photoOrder").query();
        robot.interact(() -> order.setValue(MainViewModel.PhotoOrder.WORST_FIRST));
        List<Double> q = list.getItems().stream().map(i -> i.quality().quality()).toList();
        for (int i = 1; i < q.size(); i++) {
            assertTrue(q.get(i - 1) <= q.get(i), "worst first: " + q);
        }
        assertTrue(List.of("b-noisy.png", "d-foggy.png").containsAll(names(list).subList(0, 2)), names(list).toString());
        assertEquals("c-clean.png", list.getSelectionModel().getSelectedItem().toString());
        assertEquals("c-clean.png", app.main().selectedEntry().fileName());
        assertTrue(shown == app.main().currentImageProperty().get(), "the same photo is not loaded again");

        robot.interact(() -> order.setValue(MainViewModel.PhotoOrder.BEST_FIRST));
        List<Double> best = list.getItems().stream().map(i -> i.quality().quality()).toList();
        for (int i = 1; i < best.size(); i++) {
            assertTrue(best.get(i - 1) >= best.get(i), "best first: " + best);
        }
        robot.interact(() -> order.setValue(MainViewModel.PhotoOrder.NAME));
        assertEquals(List.of("a-clean.png", "b-noisy.png", "c-clean.png", "d-foggy.png"), names(list));
        assertEquals("c-clean.png", list.getSelectionModel().getSelectedItem().toString());

        // The Quality tab shows the scores of the photo on screen.
        robot.clickOn("Quality");
        Label summary = robot.lookup("#qualitySummary").query();
        waitFor(() -> summary.getText().startsWith("Quality 0.") || summary.getText().startsWith("Quality 1."));
        assertTrue(summary.getText().contains("looks clean"), summary.getText());
    }

    @Test
    void autoSwitchPromptsWithRobustSamOnADegradedPhotoAndWithSamOnACleanOne(FxRobot robot) throws Exception {
        // The two checkpoints (chosen with the Quality tab's file choosers in the app), then the switch turned on.
        robot.interact(() -> {
            app.autoSwitch().samCheckpointProperty().set(sam);
            app.autoSwitch().robustCheckpointProperty().set(robust);
        });
        robot.clickOn("Quality");
        robot.clickOn("#autoRobustSam");
        waitFor(() -> app.autoSwitch().isActive());
        AppSettings saved = AppSettings.load(AppSettings.defaultFile());
        assertTrue(saved.autoRobustSam, "the setting is remembered");
        assertEquals(robust.toAbsolutePath().toString(), saved.robustSamModelPath);
        assertEquals(0.7, saved.autoRobustSamThreshold);
        open(robot);
        ListView<PhotoItem> list = robot.lookup("#photoList").queryListView();
        ImageCanvas canvas = robot.lookup("#imageCanvas").query();
        Label status = robot.lookup("#statusModelChoice").query();

        for (String photo : List.of("b-noisy.png", "a-clean.png", "d-foggy.png")) {
            int index = names(list).indexOf(photo);
            robot.interact(() -> list.getSelectionModel().select(index));
            boolean degraded = !photo.contains("clean");
            String expected = degraded ? "robustsam_tiny" : "sam_tiny";
            waitFor(() -> app.main().selectedEntry().fileName().equals(photo) && app.main().displayedImageProperty().get() != null
                    && app.segmentation().embeddingProperty().get() != null
                    && app.segmentation().segmenter().modelId().equals(expected));
            robot.clickOn(canvas.localToScreen(new Point2D(canvas.getWidth() * 0.5, canvas.getHeight() * 0.5)), MouseButton.PRIMARY);
            waitFor(() -> app.segmentation().predictionProperty().get() != null);
            assertEquals(expected, app.segmentation().predictedByProperty().get(), photo + ": the prompt went to the wrong model");
            assertNotNull(app.segmentation().selectedMask());
            assertTrue(status.getText().startsWith("model: " + expected + " — quality "), status.getText());
            assertTrue(status.getText().contains(degraded ? " < 0.70" : " >= 0.70"), status.getText());
            robot.type(KeyCode.ESCAPE);
        }

        // Off: back to the user's own model, and the status line goes away.
        robot.clickOn("#autoRobustSam");
        waitFor(() -> status.getText().isEmpty() && !status.isVisible());
        assertEquals("sam_tiny", app.segmentation().segmenter().modelId());
        assertTrue(app.segmentation().segmenter() == app.segmentation().ownSegmenter(), "prompts go to the user's model again");
    }
}
