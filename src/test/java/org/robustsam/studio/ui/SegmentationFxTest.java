package org.robustsam.studio.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.geometry.Point2D;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.robustsam.studio.inference.MaskPrediction;
import org.robustsam.studio.inference.Prompt;
import org.robustsam.studio.model.sam.RandomSam;
import org.robustsam.studio.model.sam.SamConfig;
import org.robustsam.studio.settings.AppSettings;
import org.robustsam.studio.testutil.SharedData;
import org.robustsam.studio.testutil.FxFreezeDetector;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** Real clicks and drags on the canvas with a small random-weight SAM loaded. */
@ExtendWith(ApplicationExtension.class)
class SegmentationFxTest {
    @TempDir
    static Path tmp;

    private StudioApp app;

    @BeforeAll
    static void model() throws Exception {
        Path model = tmp.resolve("tiny.safetensors");
        RandomSam.write(SamConfig.TINY, 11, model);
        System.setProperty("studio.model", model.toString());
        System.setProperty("studio.cache.dir", tmp.resolve("cache").toString());
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

    private ImageCanvas openAndWaitForEmbedding(FxRobot robot) throws Exception {
        return openAndWaitForEmbedding(robot, SharedData.labelmeFolder());
    }

    private ImageCanvas openAndWaitForEmbedding(FxRobot robot, Path folder) throws Exception {
        robot.clickOn("#folderField").write(folder.toString()).type(KeyCode.ENTER);
        ImageCanvas canvas = robot.lookup("#imageCanvas").query();
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> canvas.imageProperty().get() != null
                && app.segmentation().embeddingProperty().get() != null);
        return canvas;
    }

    /** A masked pixel whose 8 neighbours are masked too. */
    private static boolean interior(byte[] mask, int w, int x, int y) {
        for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
                if (mask[(y + dy) * w + x + dx] == 0) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The canvas as the user sees it: photo and overlay layers together. */
    private static WritableImage snapshot(ImageCanvas canvas) throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> canvas.snapshot(null, null)).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aClickProducesAMaskOverlayAndEscapeClearsIt(FxRobot robot) throws Exception {
        ImageCanvas canvas = openAndWaitForEmbedding(robot);
        WritableImage before = snapshot(canvas);
        Point2D view = new Point2D(canvas.getWidth() * 0.45, canvas.getHeight() * 0.5);
        robot.clickOn(canvas.localToScreen(view), MouseButton.PRIMARY);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> app.segmentation().predictionProperty().get() != null);
        WaitForAsyncUtils.waitForFxEvents();

        Prompt p = app.segmentation().promptProperty().get();
        assertEquals(1, p.points().size());
        assertTrue(p.points().get(0).positive());
        assertEquals(canvas.viewport().toImageX(view.getX()), p.points().get(0).x(), 1.0);
        MaskPrediction r = app.segmentation().predictionProperty().get();
        assertEquals(3, r.count(), "one click asks for three candidates");

        // Where the chosen mask is set, the painted view turned bluer than the photo alone.
        byte[] mask = app.segmentation().selectedMask();
        WritableImage after = snapshot(canvas);
        int bluer = 0;
        int checked = 0;
        PixelReader a = after.getPixelReader();
        PixelReader b = before.getPixelReader();
        for (int vy = 3; vy < after.getHeight() - 3; vy += 9) {
            for (int vx = 3; vx < after.getWidth() - 3; vx += 9) {
                int ix = (int) Math.floor(canvas.viewport().toImageX(vx + 0.5));
                int iy = (int) Math.floor(canvas.viewport().toImageY(vy + 0.5));
                if (ix < 1 || iy < 1 || ix >= r.width() - 1 || iy >= r.height() - 1 || !interior(mask, r.width(), ix, iy)) {
                    continue; // outline pixels are drawn in another colour; only the fill is checked
                }
                checked++;
                int pa = a.getArgb(vx, vy);
                int pb = b.getArgb(vx, vy);
                if ((pa & 0xFF) - ((pa >> 16) & 0xFF) > (pb & 0xFF) - ((pb >> 16) & 0xFF)) {
                    bluer++;
                }
            }
        }
        assertTrue(checked > 20, "mask too small to check: " + checked + " samples");
        assertTrue(bluer > checked * 0.9, bluer + " of " + checked + " masked samples tinted");

        robot.type(KeyCode.ESCAPE);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(app.segmentation().promptProperty().get().isEmpty());
        assertEquals(null, app.segmentation().predictionProperty().get());
    }

    @Test
    void rightClickAddsANegativePointThatRefinesTheMask(FxRobot robot) throws Exception {
        ImageCanvas canvas = openAndWaitForEmbedding(robot);
        robot.clickOn(canvas.localToScreen(canvas.getWidth() * 0.4, canvas.getHeight() * 0.4), MouseButton.PRIMARY);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> app.segmentation().predictionProperty().get() != null);
        Point2D neg = new Point2D(canvas.getWidth() * 0.6, canvas.getHeight() * 0.55);
        MaskPrediction first = app.segmentation().predictionProperty().get();
        robot.clickOn(canvas.localToScreen(neg), MouseButton.SECONDARY);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> app.segmentation().predictionProperty().get() != first
                && app.segmentation().predictionProperty().get() != null);
        Prompt p = app.segmentation().promptProperty().get();
        assertEquals(2, p.points().size());
        assertFalse(p.points().get(1).positive());
        assertEquals(canvas.viewport().toImageX(neg.getX()), p.points().get(1).x(), 1.0);
        assertEquals(canvas.viewport().toImageY(neg.getY()), p.points().get(1).y(), 1.0);
        assertNotNull(p.maskInput(), "the second click refines the chosen mask");
        assertEquals(1, app.segmentation().predictionProperty().get().count());
    }

    @Test
    void aDraggedBoxHasTheRightImageCoordinatesAfterZoomAndPan(FxRobot robot) throws Exception {
        ImageCanvas canvas = openAndWaitForEmbedding(robot);
        robot.interact(() -> {
            canvas.zoomAt(1.7, 100, 80);
        });
        robot.drag(canvas.localToScreen(200, 200), MouseButton.MIDDLE).moveBy(-35, 20).drop();
        WaitForAsyncUtils.waitForFxEvents();
        Viewport v = canvas.viewport();
        // Corners picked in the photo, then found on screen through the zoomed and panned view.
        double imageW = canvas.imageProperty().get().getWidth();
        double imageH = canvas.imageProperty().get().getHeight();
        double x0 = Math.max(v.toImageX(10), 0) + 20;
        double y0 = Math.max(v.toImageY(10), 0) + 15;
        double x1 = Math.min(v.toImageX(canvas.getWidth() - 10), imageW) - 25;
        double y1 = Math.min(v.toImageY(canvas.getHeight() - 10), imageH) - 20;
        assertTrue(x1 - x0 > 50 && y1 - y0 > 50, "too little of the photo visible to drag a box");
        Point2D from = new Point2D(v.toViewX(x0), v.toViewY(y0));
        Point2D to = new Point2D(v.toViewX(x1), v.toViewY(y1));
        robot.drag(canvas.localToScreen(from), MouseButton.PRIMARY).moveTo(canvas.localToScreen(to)).drop();
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> app.segmentation().predictionProperty().get() != null);
        Prompt.Box box = app.segmentation().promptProperty().get().box();
        assertNotNull(box);
        assertEquals(v.toImageX(from.getX()), box.x0(), 1.0);
        assertEquals(v.toImageY(from.getY()), box.y0(), 1.0);
        assertEquals(v.toImageX(to.getX()), box.x1(), 1.0);
        assertEquals(v.toImageY(to.getY()), box.y1(), 1.0);
        assertTrue(app.segmentation().promptProperty().get().points().isEmpty(), "a drag is a box, not a click");
    }

    /**
     * Loading and encoding a photo never keeps the FX thread busy, or waiting in the app's code,
     * for more than 100 ms ({@link FxFreezeDetector}); the encode itself takes seconds.
     */
    @Test
    void theFxThreadKeepsPaintingWhileAPhotoIsEncoded(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> app.segmentation().segmenter() != null);
        long t0 = System.nanoTime();
        FxFreezeDetector.Report report;
        try (FxFreezeDetector detector = FxFreezeDetector.start()) {
            openAndWaitForEmbedding(robot); // the first photo is encoded now, with the detector running
            report = detector.stop();
        }
        double encodeMs = (System.nanoTime() - t0) / 1e6;
        System.out.printf("[segment-ui] open + encode took %.0f ms; %s%n", encodeMs, report);
        assertTrue(report.ticks() > 10, "too few samples: " + report);
        assertTrue(report.maxFreezeMs() < 100, report + "\n" + report.worstStack());
    }

    /** A writable copy of the shared photos: accepting objects writes project.json beside them. */
    private static Path copyOfPhotos(Path dir) throws Exception {
        Files.createDirectories(dir);
        try (var files = Files.list(SharedData.labelmeFolder())) {
            for (Path f : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".jpg"))::iterator) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        return dir;
    }

    private void clickAndWaitForMask(FxRobot robot, ImageCanvas canvas, double fx, double fy) throws Exception {
        MaskPrediction before = app.segmentation().predictionProperty().get();
        robot.clickOn(canvas.localToScreen(canvas.getWidth() * fx, canvas.getHeight() * fy), MouseButton.PRIMARY);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> app.segmentation().predictionProperty().get() != null
                && app.segmentation().predictionProperty().get() != before);
    }

    @Test
    void acceptLabelUndoRedoAndTheObjectSurvivesPhotoChangesAndAutosave(FxRobot robot, @TempDir Path work) throws Exception {
        Path folder = copyOfPhotos(work.resolve("photos"));
        ImageCanvas canvas = openAndWaitForEmbedding(robot, folder);
        AnnotationViewModel annotation = app.annotation();

        robot.clickOn("#newLabelField").write("person").type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("person", annotation.activeLabelProperty().get());
        clickAndWaitForMask(robot, canvas, 0.45, 0.5);
        byte[] chosen = app.segmentation().selectedMask().clone();
        robot.type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(1, annotation.objects().size());
        var object = annotation.objects().get(0);
        assertEquals("person", object.label());
        assertEquals("sam_tiny", object.modelId());
        assertTrue(java.util.Arrays.equals(chosen, object.mask().decode().toRowMajor()), "the stored mask is the accepted one");
        assertTrue(app.segmentation().promptProperty().get().isEmpty(), "accepting clears the prompt");
        javafx.scene.control.ListView<?> list = robot.lookup("#objectList").queryListView();
        assertEquals(1, list.getItems().size());

        // Label quick key 1 relabels the selected object to the first label.
        robot.interact(() -> annotation.selectedObjectProperty().set(annotation.objects().get(0)));
        robot.clickOn(canvas.localToScreen(canvas.getWidth() * 0.9, canvas.getHeight() * 0.02), MouseButton.MIDDLE);
        robot.type(KeyCode.DIGIT1);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("object", annotation.objects().get(0).label());

        robot.press(KeyCode.CONTROL).type(KeyCode.Z).release(KeyCode.CONTROL); // undo relabel
        robot.press(KeyCode.CONTROL).type(KeyCode.Z).release(KeyCode.CONTROL); // undo add
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(0, annotation.objects().size());
        robot.press(KeyCode.CONTROL).type(KeyCode.Y).release(KeyCode.CONTROL); // redo add
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(1, annotation.objects().size());
        assertEquals("person", annotation.objects().get(0).label());

        robot.type(KeyCode.RIGHT);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> annotation.objects().isEmpty()
                && app.main().selectedIndexProperty().get() == 1);
        robot.type(KeyCode.LEFT);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> annotation.objects().size() == 1);

        // Autosave wrote it; a fresh read of the project file has the object.
        Path projectFile = folder.resolve("project.json");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> Files.exists(projectFile)
                && new org.robustsam.studio.annotate.project.ProjectFile(folder).load().images().stream()
                        .anyMatch(i -> i.objects().size() == 1));
    }

    @Test
    void applyingADegradationMakesItTheWorkingViewForPrompts(FxRobot robot) throws Exception {
        ImageCanvas canvas = openAndWaitForEmbedding(robot);
        var original = app.main().currentImageProperty().get();
        var choice = new DegradationChoice("fog", 3, 5);
        robot.interact(() -> app.main().workingViewProperty().set(choice));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> app.main().displayedImageProperty().get() != original
                && app.main().displayedImageProperty().get() != null);
        var expected = choice.degradation().apply(original, 3, 5);
        assertTrue(java.util.Arrays.equals(expected.pixels(), app.main().displayedImageProperty().get().pixels()),
                "the working view is the degraded photo");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> app.segmentation().embeddingProperty().get() != null);
        assertTrue(app.main().displayedId().contains("Fog, severity 3"), app.main().displayedId());
        clickAndWaitForMask(robot, canvas, 0.5, 0.5);
        assertEquals(original.width(), app.segmentation().predictionProperty().get().width(), "masks stay in the original's frame");
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT).type(KeyCode.O).release(KeyCode.SHIFT, KeyCode.CONTROL);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> app.main().displayedImageProperty().get() == original);
    }

    @Test
    void aModelLoadedWhileAPhotoIsOpenEmbedsThatPhoto(FxRobot robot, @TempDir Path work) throws Exception {
        openAndWaitForEmbedding(robot);
        String firstKey = app.segmentation().embeddingProperty().get().modelKey();
        Path other = work.resolve("other-tiny.safetensors");
        RandomSam.write(SamConfig.TINY, 99, other);
        robot.interact(() -> app.segmentation().loadModel(other, null));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> app.segmentation().embeddingProperty().get() != null
                && !app.segmentation().embeddingProperty().get().modelKey().equals(firstKey));
        assertEquals(other, app.segmentation().checkpointProperty().get());
    }

    @Test
    void brushEraserAndRefineEditTheSelectedObjectAsUndoableSteps(FxRobot robot, @TempDir Path work) throws Exception {
        Path folder = copyOfPhotos(work.resolve("photos"));
        ImageCanvas canvas = openAndWaitForEmbedding(robot, folder);
        AnnotationViewModel annotation = app.annotation();
        clickAndWaitForMask(robot, canvas, 0.5, 0.5);
        robot.type(KeyCode.ENTER);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> annotation.objects().size() == 1);
        robot.interact(() -> annotation.selectedObjectProperty().set(annotation.objects().get(0)));
        long before = annotation.objects().get(0).mask().decode().area();

        // Brush: a stroke across the photo adds pixels.
        robot.type(KeyCode.B);
        Viewport v = canvas.viewport();
        double y = v.toViewY(annotation.objects().get(0).mask().height() * 0.5);
        robot.drag(canvas.localToScreen(v.toViewX(5), y), MouseButton.PRIMARY)
                .moveTo(canvas.localToScreen(v.toViewX(annotation.objects().get(0).mask().width() - 5.0), y)).drop();
        WaitForAsyncUtils.waitForFxEvents();
        long brushed = annotation.objects().get(0).mask().decode().area();
        assertTrue(brushed > before, "brush added nothing: " + before + " -> " + brushed);
        assertEquals(1, annotation.objects().size(), "editing does not make a new object");

        // Eraser: the same stroke clears the band again (everything under it).
        robot.type(KeyCode.E);
        robot.drag(canvas.localToScreen(v.toViewX(5), y), MouseButton.PRIMARY)
                .moveTo(canvas.localToScreen(v.toViewX(annotation.objects().get(0).mask().width() - 5.0), y)).drop();
        WaitForAsyncUtils.waitForFxEvents();
        long erased = annotation.objects().get(0).mask().decode().area();
        assertTrue(erased < brushed, "eraser removed nothing");

        robot.press(KeyCode.CONTROL).type(KeyCode.Z).release(KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(brushed, annotation.objects().get(0).mask().decode().area(), "undo brings the brushed mask back");

        // Refine: R loads the object's prompt, a right-click adds an outside point, Enter updates the object.
        robot.type(KeyCode.P);
        robot.interact(() -> annotation.selectedObjectProperty().set(annotation.objects().get(0)));
        robot.type(KeyCode.R);
        assertEquals(1, app.segmentation().promptProperty().get().points().size());
        MaskPrediction first = app.segmentation().predictionProperty().get();
        robot.clickOn(canvas.localToScreen(canvas.getWidth() * 0.3, canvas.getHeight() * 0.3), MouseButton.SECONDARY);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> app.segmentation().predictionProperty().get() != null
                && app.segmentation().predictionProperty().get() != first
                && app.segmentation().promptProperty().get().points().size() == 2);
        robot.type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(1, annotation.objects().size(), "refining updates the object instead of adding one");
        assertEquals(2, annotation.objects().get(0).prompts().points().size());

        robot.press(KeyCode.CONTROL).type(KeyCode.G).release(KeyCode.CONTROL); // polygon view on: must paint without error
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(((javafx.scene.control.CheckMenuItem) ((javafx.scene.control.MenuBar) robot.lookup("#menuBar").query())
                .getMenus().stream().flatMap(m -> m.getItems().stream())
                .filter(m -> "menuShowPolygons".equals(m.getId())).findFirst().orElseThrow()).isSelected());
    }

    @Test
    void theToolsMenuOpensTheCompareViewOnThePhotoOnScreen(FxRobot robot) throws Exception {
        openAndWaitForEmbedding(robot);
        int before = robot.listWindows().size();
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT).type(KeyCode.C).release(KeyCode.SHIFT, KeyCode.CONTROL);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> robot.listWindows().size() > before);
        javafx.stage.Window opened = robot.listWindows().get(robot.listWindows().size() - 1);
        assertTrue(opened instanceof Stage s && s.getTitle().toLowerCase().contains("compar"),
                "expected the comparison window, got " + opened);
        robot.interact(() -> ((Stage) opened).close());
    }
}
