package org.robustsam.studio.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javafx.geometry.Point2D;
import javafx.geometry.VerticalDirection;
import javafx.scene.Node;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.controlsfx.control.NotificationPane;
import org.controlsfx.control.StatusBar;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.robustsam.studio.annotate.PhotoEntry;
import org.robustsam.studio.degrade.Degradations;
import org.robustsam.studio.image.ImageLoader;
import org.robustsam.studio.image.RgbImage;
import org.robustsam.studio.settings.AppSettings;
import org.robustsam.studio.testutil.SharedData;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** Drives the real main window with TestFX: typed paths, clicks, wheel and keys. */
@ExtendWith(ApplicationExtension.class)
class MainWindowFxTest {
    @TempDir
    static Path configDir;

    private Stage stage;
    private StudioApp app;

    @Start
    void start(Stage stage) {
        System.setProperty("studio.config.dir", configDir.toString());
        this.stage = stage;
        app = new StudioApp();
        app.start(stage);
    }

    @AfterEach
    void stop() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> app.stop()).get();
    }

    @BeforeEach
    void forgetLastFolder() throws IOException {
        Files.deleteIfExists(AppSettings.defaultFile());
    }

    @Test
    void opensTheSharedFolderAndShowsTheClickedPhotoPixelForPixel(FxRobot robot) throws Exception {
        Path folder = SharedData.labelmeFolder();
        openByTyping(robot, folder);
        ListView<PhotoItem> list = robot.lookup("#photoList").queryListView();
        waitFor(() -> list.getItems().size() == 3);
        assertEquals(List.of("2011_000003.jpg", "2011_000006.jpg", "2011_000025.jpg"),
                list.getItems().stream().map(PhotoItem::toString).toList());

        robot.clickOn(cellWithText(robot, "2011_000006.jpg"));
        ImageCanvas canvas = robot.lookup("#imageCanvas").query();
        RgbImage expected = new ImageLoader().load(folder.resolve("2011_000006.jpg"));
        waitFor(() -> canvas.imageProperty().get() != null
                && canvas.imageProperty().get().getWidth() == expected.width());
        assertEquals(1, list.getSelectionModel().getSelectedIndex());

        // Fitted view: the canvas shows a picture, not a flat fill.
        WritableImage fitted = snapshot(robot, canvas);
        assertTrue(stdDevOfGreen(fitted) > 10, "canvas looks blank after selecting a photo");

        // 1:1 view: every sampled canvas pixel equals the photo's pixel under it.
        robot.clickOn("#actualSizeButton");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(1.0, canvas.viewport().scale());
        WritableImage actual = snapshot(robot, canvas);
        PixelReader px = actual.getPixelReader();
        int compared = 0;
        for (int vy = 5; vy < actual.getHeight(); vy += 37) {
            for (int vx = 5; vx < actual.getWidth(); vx += 41) {
                int ix = (int) Math.floor(canvas.viewport().toImageX(vx + 0.5));
                int iy = (int) Math.floor(canvas.viewport().toImageY(vy + 0.5));
                if (ix < 0 || iy < 0 || ix >= expected.width() || iy >= expected.height()) {
                    continue;
                }
                assertColorClose(expected.rgb(ix, iy), px.getArgb(vx, vy) & 0xFFFFFF, 3, "view " + vx + "," + vy);
                compared++;
            }
        }
        assertTrue(compared > 50, "too few pixels compared: " + compared);

        StatusBar status = robot.lookup("#statusBar").query();
        assertTrue(robot.lookup("#statusImageSize").queryLabeled().getText().startsWith(expected.width() + " × " + expected.height()));
        assertEquals("100%", robot.lookup("#statusZoom").queryLabeled().getText());
        assertTrue(status.getText().contains("2011_000006.jpg"), status.getText());
    }

    @Test
    void wheelZoomsAroundTheCursorAndStatusShowsCursorPixel(FxRobot robot) throws Exception {
        openByTyping(robot, SharedData.labelmeFolder());
        ImageCanvas canvas = robot.lookup("#imageCanvas").query();
        waitFor(() -> canvas.imageProperty().get() != null);
        WaitForAsyncUtils.waitForFxEvents();

        Point2D onScreen = canvas.localToScreen(canvas.getWidth() * 0.3, canvas.getHeight() * 0.6);
        Point2D local = canvas.screenToLocal(onScreen);
        robot.moveTo(onScreen);
        double imageXBefore = canvas.viewport().toImageX(local.getX());
        double imageYBefore = canvas.viewport().toImageY(local.getY());
        double scaleBefore = canvas.viewport().scale();

        robot.scroll(2, VerticalDirection.UP);
        WaitForAsyncUtils.waitForFxEvents();
        double scaleAfter = canvas.viewport().scale();
        assertNotEquals(scaleBefore, scaleAfter, 1e-9);
        assertEquals(imageXBefore, canvas.viewport().toImageX(local.getX()), 0.75, "x under cursor moved");
        assertEquals(imageYBefore, canvas.viewport().toImageY(local.getY()), 0.75, "y under cursor moved");
        assertEquals(String.format("%.0f%%", scaleAfter * 100), robot.lookup("#statusZoom").queryLabeled().getText());

        Point2D cursor = canvas.cursorImagePointProperty().get();
        assertTrue(cursor != null, "cursor position not tracked");
        assertEquals(String.format("x %d, y %d", (int) cursor.getX(), (int) cursor.getY()),
                robot.lookup("#statusCursor").queryLabeled().getText());
        assertEquals(Math.floor(imageXBefore), cursor.getX(), 1.0);

        // Middle-drag pans by the distance dragged.
        double offsetX = canvas.viewport().offsetX();
        robot.drag(onScreen, javafx.scene.input.MouseButton.MIDDLE).moveBy(40, 0).drop();
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(offsetX + 40, canvas.viewport().offsetX(), 2.0);
    }

    @Test
    void fittedPhotoStaysFittedWhenTheWindowIsResized(FxRobot robot) throws Exception {
        openByTyping(robot, SharedData.labelmeFolder());
        ImageCanvas canvas = robot.lookup("#imageCanvas").query();
        waitFor(() -> canvas.imageProperty().get() != null);
        robot.interact(() -> stage.setWidth(stage.getWidth() - 300));
        WaitForAsyncUtils.waitForFxEvents();
        double imageW = canvas.imageProperty().get().getWidth();
        double imageH = canvas.imageProperty().get().getHeight();
        Viewport v = canvas.viewport();
        assertTrue(v.toViewX(0) >= -0.5 && v.toViewX(imageW) <= canvas.getWidth() + 0.5, "image wider than the view after resize");
        assertTrue(v.toViewY(0) >= -0.5 && v.toViewY(imageH) <= canvas.getHeight() + 0.5, "image taller than the view after resize");
        double fittedScale = Math.min(canvas.getWidth() / imageW, canvas.getHeight() / imageH);
        assertEquals(fittedScale, v.scale(), 1e-6);
    }

    @Test
    void arrowAndPageKeysMoveTheSelection(FxRobot robot) throws Exception {
        openByTyping(robot, SharedData.labelmeFolder());
        ListView<PhotoItem> list = robot.lookup("#photoList").queryListView();
        waitFor(() -> list.getSelectionModel().getSelectedIndex() == 0);
        robot.clickOn("#imageCanvas");
        robot.type(KeyCode.RIGHT);
        waitFor(() -> list.getSelectionModel().getSelectedIndex() == 1);
        robot.type(KeyCode.PAGE_DOWN);
        waitFor(() -> list.getSelectionModel().getSelectedIndex() == 2);
        robot.type(KeyCode.RIGHT); // already at the end: stays
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(2, list.getSelectionModel().getSelectedIndex());
        robot.type(KeyCode.LEFT);
        waitFor(() -> list.getSelectionModel().getSelectedIndex() == 1);
        robot.type(KeyCode.PAGE_UP);
        waitFor(() -> list.getSelectionModel().getSelectedIndex() == 0);
        ImageCanvas canvas = robot.lookup("#imageCanvas").query();
        waitFor(() -> canvas.imageProperty().get() != null);
    }

    @Test
    void brokenPhotosAreFlaggedAndTheAppKeepsWorking(FxRobot robot, @TempDir Path folder) throws Exception {
        Path shared = SharedData.labelmeFolder();
        Files.copy(shared.resolve("2011_000003.jpg"), folder.resolve("a_good.jpg"));
        Files.createFile(folder.resolve("b_zero.jpg"));
        Files.write(folder.resolve("c_corrupt.png"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        Files.copy(shared.resolve("2011_000025.jpg"), folder.resolve("d_good.jpg"));

        openByTyping(robot, folder);
        ListView<PhotoItem> list = robot.lookup("#photoList").queryListView();
        waitFor(() -> list.getItems().size() == 4
                && list.getItems().stream().filter(i -> i.entry().health() == PhotoEntry.Health.BROKEN).count() == 2);
        waitFor(() -> robot.lookup(".warning-icon").queryAll().size() == 2);
        assertEquals("b_zero.jpg: file is empty (0 bytes)", list.getItems().get(1).entry().problem());
        assertTrue(list.getItems().get(2).entry().problem().startsWith("c_corrupt.png: "));

        robot.clickOn(cellWithText(robot, "b_zero.jpg"));
        NotificationPane banner = robot.lookup("#notifications").query();
        waitFor(() -> banner.isShowing() && banner.getText().contains("b_zero.jpg"));
        ImageCanvas canvas = robot.lookup("#imageCanvas").query();
        assertEquals(null, canvas.imageProperty().get());
        assertTrue(canvas.placeholderProperty().get().contains("b_zero.jpg: file is empty"));

        robot.clickOn(cellWithText(robot, "d_good.jpg"));
        waitFor(() -> canvas.imageProperty().get() != null);
        assertTrue(stdDevOfGreen(snapshot(robot, canvas)) > 10);
    }

    @Test
    void unreadableFolderGetsAMessageAndKeepsTheOpenFolder(FxRobot robot, @TempDir Path tmp) throws Exception {
        Path shared = SharedData.labelmeFolder();
        openByTyping(robot, shared);
        ListView<PhotoItem> list = robot.lookup("#photoList").queryListView();
        waitFor(() -> list.getItems().size() == 3);

        Path missing = tmp.resolve("does-not-exist");
        openByTyping(robot, missing);
        StatusBar status = robot.lookup("#statusBar").query();
        waitFor(() -> status.getText().contains("does-not-exist: folder does not exist"));
        NotificationPane banner = robot.lookup("#notifications").query();
        assertTrue(banner.isShowing());
        assertEquals(3, list.getItems().size(), "the open folder must stay open");

        Path file = Files.writeString(tmp.resolve("plain.txt"), "not a folder");
        openByTyping(robot, file);
        waitFor(() -> status.getText().contains("plain.txt: is a file, not a folder"));
        assertEquals(3, list.getItems().size());
    }

    @Test
    void remembersTheLastFolderAndWindowSize(FxRobot robot) throws Exception {
        Path folder = SharedData.labelmeFolder();
        openByTyping(robot, folder);
        waitFor(() -> Files.exists(AppSettings.defaultFile()));
        assertEquals(folder.toString(), AppSettings.load(AppSettings.defaultFile()).lastFolder);

        robot.interact(() -> {
            stage.setWidth(1001);
            stage.setHeight(702);
        });
        robot.interact(stage::hide);
        AppSettings saved = AppSettings.load(AppSettings.defaultFile());
        assertEquals(1001, saved.windowWidth, 0.5);
        assertEquals(702, saved.windowHeight, 0.5);
    }

    @Test
    void choosingADegradationChangesTheCanvasAndApplyMakesItTheWorkingView(FxRobot robot) throws Exception {
        Path folder = SharedData.labelmeFolder();
        openByTyping(robot, folder);
        ListView<PhotoItem> list = robot.lookup("#photoList").queryListView();
        waitFor(() -> list.getItems().size() == 3);
        robot.clickOn(cellWithText(robot, "2011_000006.jpg"));
        ImageCanvas canvas = robot.lookup("#imageCanvas").query();
        RgbImage original = new ImageLoader().load(folder.resolve("2011_000006.jpg"));
        waitFor(() -> canvas.imageProperty().get() != null
                && canvas.imageProperty().get().getWidth() == original.width());
        assertImageEquals(original, canvas.imageProperty().get(), "before a degradation is chosen");

        robot.clickOn("Degradations");
        DegradationPanel panel = robot.lookup("#degradationPanel").query();
        waitFor(() -> panel.model().readyCountProperty().get() == 15);
        javafx.scene.image.Image shownBefore = canvas.imageProperty().get();
        robot.clickOn("#thumb-fog");
        waitFor(() -> canvas.imageProperty().get() != shownBefore);
        RgbImage fog = Degradations.get("fog").apply(original, panel.model().severityProperty().get(),
                panel.model().seedProperty().get());
        assertImageEquals(fog, canvas.imageProperty().get(), "the chosen degradation, full size");
        assertEquals(null, app.main().workingViewProperty().get(), "a preview is not yet the working view");

        robot.clickOn("#applyWorkingViewButton");
        waitFor(() -> app.main().workingViewProperty().get() != null);
        assertEquals("fog", app.main().workingViewProperty().get().degradationId());
        // the working view is computed in the background; the canvas follows when it is ready
        waitFor(() -> app.main().displayedImageProperty().get() != null
                && java.util.Arrays.equals(fog.pixels(), app.main().displayedImageProperty().get().pixels()));
        waitFor(() -> canvas.imageProperty().get() != null && canvas.imageProperty().get().getPixelReader()
                .getArgb(original.width() / 2, original.height() / 2) == (0xFF000000 | fog.rgb(original.width() / 2, original.height() / 2)));
        assertImageEquals(fog, canvas.imageProperty().get(), "the working view on the canvas");
    }

    /** Every 97th pixel of an FX image equals the expected RGB image's. */
    private static void assertImageEquals(RgbImage expected, javafx.scene.image.Image actual, String what) {
        assertEquals(expected.width(), (int) actual.getWidth(), what);
        assertEquals(expected.height(), (int) actual.getHeight(), what);
        PixelReader px = actual.getPixelReader();
        for (int i = 0; i < expected.width() * expected.height(); i += 97) {
            int x = i % expected.width();
            int y = i / expected.width();
            assertEquals(expected.rgb(x, y), px.getArgb(x, y) & 0xFFFFFF, what + " at " + x + "," + y);
        }
    }

    private static void openByTyping(FxRobot robot, Path folder) {
        robot.clickOn("#folderField");
        robot.interact(() -> robot.lookup("#folderField").queryTextInputControl().clear());
        robot.write(folder.toString()).type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
    }

    private static Node cellWithText(FxRobot robot, String text) {
        return robot.lookup(".list-cell").match((Node n) -> n instanceof ListCell<?> c && text.equals(c.getText())).query();
    }

    private static WritableImage snapshot(FxRobot robot, ImageCanvas canvas) throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> canvas.canvas().snapshot(null, null)).get(10, TimeUnit.SECONDS);
    }

    private static double stdDevOfGreen(WritableImage img) {
        PixelReader r = img.getPixelReader();
        double sum = 0;
        double sq = 0;
        int n = 0;
        for (int y = 0; y < img.getHeight(); y += 7) {
            for (int x = 0; x < img.getWidth(); x += 7) {
                int g = (r.getArgb(x, y) >> 8) & 0xFF;
                sum += g;
                sq += g * g;
                n++;
            }
        }
        double mean = sum / n;
        return Math.sqrt(sq / n - mean * mean);
    }

    private static void assertColorClose(int expected, int actual, int tolerance, String where) {
        for (int shift = 0; shift <= 16; shift += 8) {
            int e = (expected >> shift) & 0xFF;
            int a = (actual >> shift) & 0xFF;
            assertTrue(Math.abs(e - a) <= tolerance,
                    where + ": expected " + Integer.toHexString(expected) + " got " + Integer.toHexString(actual));
        }
    }

    private static void waitFor(java.util.concurrent.Callable<Boolean> condition) throws TimeoutException {
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, condition);
    }
}
