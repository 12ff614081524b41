package org.robustsam.studio.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.geometry.Point2D;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.robustsam.studio.annotate.mask.BinaryMask;
import org.robustsam.studio.eval.GroundTruthObject;
import org.robustsam.studio.eval.GroundTruthPrompts;
import org.robustsam.studio.eval.GroundTruthSources;
import org.robustsam.studio.eval.MaskMetrics;
import org.robustsam.studio.image.ImageLoader;
import org.robustsam.studio.image.RgbImage;
import org.robustsam.studio.inference.EmbeddingCache;
import org.robustsam.studio.inference.MaskPrediction;
import org.robustsam.studio.inference.Prompt;
import org.robustsam.studio.model.sam.RandomSam;
import org.robustsam.studio.model.sam.SamConfig;
import org.robustsam.studio.testutil.SharedData;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The compare view with two random tiny SAMs (different seeds) on a shared LabelMe photo, driven by real clicks. */
@ExtendWith(ApplicationExtension.class)
class CompareViewFxTest {
    /** The dot PromptPainter draws for a positive click. */
    private static final int POSITIVE_RGB = 0x2ecc71;

    @TempDir
    static Path tmp;

    static Path modelA;
    static Path modelB;
    static Path photo;

    private CompareView view;
    private CompareViewModel vm;

    @BeforeAll
    static void data() throws Exception {
        photo = SharedData.labelmeFolder().resolve("2011_000003.jpg");
        modelA = tmp.resolve("tiny-a.safetensors");
        modelB = tmp.resolve("tiny-b.safetensors");
        RandomSam.write(SamConfig.TINY, 1, modelA);
        RandomSam.write(SamConfig.TINY, 2, modelB);
    }

    @Start
    void start(Stage stage) throws Exception {
        RgbImage image = new ImageLoader().load(photo);
        List<GroundTruthObject> truth = GroundTruthSources.besidePhoto(photo);
        vm = new CompareViewModel(image, photo.getFileName().toString(), truth, EmbeddingCache.memoryOnly(64L << 20), Platform::runLater);
        view = new CompareView(vm);
        stage.setScene(new Scene(view, 1200, 700));
        stage.show();
        vm.loadModel(CompareViewModel.SideId.LEFT, modelA);
        vm.loadModel(CompareViewModel.SideId.RIGHT, modelB);
    }

    @AfterEach
    void stop() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> view.dispose()).get();
    }

    private void waitForEmbeddings() throws Exception {
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> vm.left().embeddingProperty().get() != null
                && vm.right().embeddingProperty().get() != null);
    }

    private void waitForNewMasks(MaskPrediction oldLeft, MaskPrediction oldRight) throws Exception {
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> {
            MaskPrediction l = vm.left().predictionProperty().get();
            MaskPrediction r = vm.right().predictionProperty().get();
            return l != null && r != null && l != oldLeft && r != oldRight && vm.iouBetweenProperty().get() != null;
        });
        WaitForAsyncUtils.waitForFxEvents();
    }

    private static WritableImage snapshot(ImageCanvas canvas) throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> canvas.snapshot(null, null)).get(10, TimeUnit.SECONDS);
    }

    /** The positive-click dot is painted at image point (x, y) of {@code canvas}. */
    private static void assertDotAt(ImageCanvas canvas, double x, double y) throws Exception {
        WritableImage shot = snapshot(canvas);
        Viewport v = canvas.viewport();
        int vx = (int) Math.round(v.toViewX(x));
        int vy = (int) Math.round(v.toViewY(y));
        assertTrue(vx > 2 && vy > 2 && vx < shot.getWidth() - 2 && vy < shot.getHeight() - 2, "dot outside the view: " + vx + "," + vy);
        PixelReader px = shot.getPixelReader();
        int green = 0;
        for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
                if (close(px.getArgb(vx + dx, vy + dy) & 0xFFFFFF, POSITIVE_RGB)) {
                    green++;
                }
            }
        }
        assertTrue(green >= 7, canvas.getId() + ": the click's dot is not at view (" + vx + ", " + vy + "): " + green + "/9 green");
    }

    private static boolean close(int rgb, int want) {
        for (int shift = 0; shift <= 16; shift += 8) {
            if (Math.abs((rgb >> shift & 0xFF) - (want >> shift & 0xFF)) > 12) {
                return false;
            }
        }
        return true;
    }

    @Test
    void aClickOnEitherCanvasLandsOnBothAtTheSameImagePointAtDifferentZooms(FxRobot robot) throws Exception {
        waitForEmbeddings();
        ImageCanvas left = view.leftCanvas();
        ImageCanvas right = view.rightCanvas();
        List<GroundTruthObject> truth = vm.truth();
        BinaryMask person = truth.get(0).mask().decode();
        BinaryMask bottle = truth.stream().filter(o -> o.label().equals("bottle")).findFirst().orElseThrow().mask().decode();

        // Zoom 1: zoomed in on the left; the right follows.
        robot.interact(() -> left.zoomAt(1.8, left.getWidth() * 0.4, left.getHeight() * 0.5));
        assertEquals(left.viewport().scale(), right.viewport().scale(), 1e-9, "linked zoom");
        assertEquals(left.viewport().offsetX(), right.viewport().offsetX(), 1e-6);
        Prompt.Point target = GroundTruthPrompts.farthestFromBoundary(person);
        Point2D onLeft = new Point2D(left.viewport().toViewX(target.x()), left.viewport().toViewY(target.y()));
        robot.clickOn(left.localToScreen(onLeft), MouseButton.PRIMARY);
        waitForNewMasks(null, null);
        Prompt p = vm.promptProperty().get();
        assertEquals(1, p.points().size());
        double tolerance = 1 / left.viewport().scale() + 0.5;
        assertEquals(target.x(), p.points().get(0).x(), tolerance);
        assertEquals(target.y(), p.points().get(0).y(), tolerance);
        assertDotAt(left, p.points().get(0).x(), p.points().get(0).y());
        assertDotAt(right, p.points().get(0).x(), p.points().get(0).y());

        // Zoom 2: zoomed out and panned on the right; the left follows; a click on the right shows on the left.
        robot.interact(() -> right.zoomAt(0.55, right.getWidth() * 0.6, right.getHeight() * 0.3));
        robot.drag(right.localToScreen(300, 300), MouseButton.MIDDLE).moveBy(40, -25).drop();
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(right.viewport().scale(), left.viewport().scale(), 1e-9);
        assertEquals(right.viewport().offsetY(), left.viewport().offsetY(), 1e-6, "linked pan");
        Prompt.Point second = GroundTruthPrompts.farthestFromBoundary(bottle);
        MaskPrediction l1 = vm.left().predictionProperty().get();
        MaskPrediction r1 = vm.right().predictionProperty().get();
        robot.clickOn(right.localToScreen(right.viewport().toViewX(second.x()), right.viewport().toViewY(second.y())), MouseButton.PRIMARY);
        waitForNewMasks(l1, r1);
        Prompt two = vm.promptProperty().get();
        assertEquals(2, two.points().size(), "the second click adds to the same prompt");
        assertEquals(second.x(), two.points().get(1).x(), 1 / right.viewport().scale() + 0.5);
        assertDotAt(left, two.points().get(1).x(), two.points().get(1).y());
        assertDotAt(right, two.points().get(1).x(), two.points().get(1).y());

        // Unlinked, each view at its own zoom: a click still lands at the same image point on both.
        robot.clickOn("#compareLink");
        robot.interact(() -> left.zoomAt(2.5, left.getWidth() * 0.5, left.getHeight() * 0.5));
        assertNotEquals(left.viewport().scale(), right.viewport().scale(), "views zoom apart once unlinked");
        robot.interact(vm::clearPrompt);
        Point2D third = new Point2D(left.getWidth() * 0.5, left.getHeight() * 0.5);
        robot.clickOn(left.localToScreen(third), MouseButton.PRIMARY);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> vm.promptProperty().get().points().size() == 1);
        WaitForAsyncUtils.waitForFxEvents();
        Prompt.Point q = vm.promptProperty().get().points().get(0);
        assertEquals(left.viewport().toImageX(third.getX()), q.x(), 1);
        assertDotAt(left, q.x(), q.y());
        assertDotAt(right, q.x(), q.y());
    }

    @Test
    void bothMasksRenderTheIouLabelUpdatesAndTheComparisonExports(FxRobot robot) throws Exception {
        waitForEmbeddings();
        ImageCanvas left = view.leftCanvas();
        ImageCanvas right = view.rightCanvas();
        Label iou = robot.lookup("#compareIouLabel").queryAs(Label.class);
        assertEquals("IoU between the masks: –", iou.getText());
        WritableImage leftBefore = snapshot(left);
        WritableImage rightBefore = snapshot(right);

        // A box around the person (the ground-truth object 1).
        BinaryMask person = vm.truth().get(0).mask().decode();
        Prompt.Box box = GroundTruthPrompts.box(person);
        Viewport v = left.viewport();
        robot.drag(left.localToScreen(v.toViewX(box.x0()), v.toViewY(box.y0())), MouseButton.PRIMARY)
                .moveTo(left.localToScreen(v.toViewX(box.x1()), v.toViewY(box.y1()))).drop();
        waitForNewMasks(null, null);
        byte[] a = vm.left().mask();
        byte[] b = vm.right().mask();
        String expected = String.format(java.util.Locale.ROOT, "IoU between the masks: %.4f", MaskMetrics.iou(a, b));
        assertTrue(iou.getText().startsWith(expected), iou.getText() + " vs " + expected);
        assertEquals("ground truth: person (object 1)", robot.lookup("#compareTruthLabel").queryAs(Label.class).getText());
        // Each side's scores against the ground-truth person, as numbers computed here from the masks.
        byte[] truth = person.toRowMajor();
        String leftScore = robot.lookup("#compareLeftScores").queryAs(Label.class).getText();
        String rightScore = robot.lookup("#compareRightScores").queryAs(Label.class).getText();
        assertTrue(leftScore.startsWith("predicted IoU "), leftScore);
        assertTrue(leftScore.endsWith(String.format(java.util.Locale.ROOT, "vs ground truth: IoU %.4f, Dice %.4f",
                MaskMetrics.iou(a, truth), MaskMetrics.dice(a, truth))), leftScore);
        assertTrue(rightScore.endsWith(String.format(java.util.Locale.ROOT, "vs ground truth: IoU %.4f, Dice %.4f",
                MaskMetrics.iou(b, truth), MaskMetrics.dice(b, truth))), rightScore);

        // Each view paints its own mask: masked pixels changed colour, in the side's colour.
        assertTinted(left, leftBefore, snapshot(left), a, vm.original().width(), CompareView.LEFT_COLOR);
        assertTinted(right, rightBefore, snapshot(right), b, vm.original().width(), CompareView.RIGHT_COLOR);

        // A point prompt added: new masks, and the label follows them.
        String firstText = iou.getText();
        MaskPrediction l1 = vm.left().predictionProperty().get();
        MaskPrediction r1 = vm.right().predictionProperty().get();
        Prompt.Point inside = GroundTruthPrompts.farthestFromBoundary(person);
        robot.clickOn(left.localToScreen(v.toViewX(inside.x()), v.toViewY(inside.y())), MouseButton.PRIMARY);
        waitForNewMasks(l1, r1);
        String again = String.format(java.util.Locale.ROOT, "IoU between the masks: %.4f", MaskMetrics.iou(vm.left().mask(), vm.right().mask()));
        assertTrue(iou.getText().startsWith(again), iou.getText());
        assertNotNull(firstText);

        // The difference overlay counts the pixels only one model has.
        robot.clickOn("#compareDifference");
        var d = vm.differenceProperty().get();
        long onlyLeft = 0;
        for (int i = 0; i < vm.left().mask().length; i++) {
            if (vm.left().mask()[i] != 0 && vm.right().mask()[i] == 0) {
                onlyLeft++;
            }
        }
        assertEquals(onlyLeft, d.onlyLeft());

        // The same degraded view for both: new embeddings, the prompt kept, masks recomputed.
        var oldLeftEmbedding = vm.left().embeddingProperty().get();
        robot.interact(() -> robot.lookup("#compareDegradation").<String>queryComboBox().setValue("Fog"));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> vm.left().embeddingProperty().get() != null
                && vm.left().embeddingProperty().get() != oldLeftEmbedding && vm.right().embeddingProperty().get() != null
                && vm.left().predictionProperty().get() != null && vm.right().predictionProperty().get() != null);
        assertEquals("2011_000003.jpg (Fog, severity 3)", vm.displayedIdProperty().get());
        assertEquals(2, vm.promptProperty().get().points().size() + (vm.promptProperty().get().box() != null ? 1 : 0));

        Path png = tmp.resolve("compare.png");
        WaitForAsyncUtils.asyncFx(() -> {
            view.exportPng(png);
            return null;
        }).get(10, TimeUnit.SECONDS);
        var written = ImageIO.read(png.toFile());
        assertTrue(written.getWidth() > 1000 && written.getHeight() > 500, written.getWidth() + "x" + written.getHeight());
        assertTrue(Files.size(png) > 10_000);
    }

    /** Most interior mask pixels look different after the mask is drawn, shifted toward the side's colour. */
    private static void assertTinted(ImageCanvas canvas, WritableImage before, WritableImage after, byte[] mask, int w, javafx.scene.paint.Color c) {
        Viewport v = canvas.viewport();
        int h = mask.length / w;
        int checked = 0;
        int tinted = 0;
        for (int vy = 3; vy < after.getHeight() - 3; vy += 7) {
            for (int vx = 3; vx < after.getWidth() - 3; vx += 7) {
                int ix = (int) Math.floor(v.toImageX(vx + 0.5));
                int iy = (int) Math.floor(v.toImageY(vy + 0.5));
                if (ix < 1 || iy < 1 || ix >= w - 1 || iy >= h - 1 || mask[iy * w + ix] == 0 || mask[iy * w + ix - 1] == 0
                        || mask[iy * w + ix + 1] == 0 || mask[(iy - 1) * w + ix] == 0 || mask[(iy + 1) * w + ix] == 0) {
                    continue;
                }
                checked++;
                int pa = after.getPixelReader().getArgb(vx, vy);
                int pb = before.getPixelReader().getArgb(vx, vy);
                double towards = 0;
                int[] target = {(int) (c.getRed() * 255), (int) (c.getGreen() * 255), (int) (c.getBlue() * 255)};
                for (int ch = 0; ch < 3; ch++) {
                    int sa = pa >> (16 - 8 * ch) & 0xFF;
                    int sb = pb >> (16 - 8 * ch) & 0xFF;
                    towards += Math.abs(target[ch] - sb) - Math.abs(target[ch] - sa);
                }
                if (towards > 0) {
                    tinted++;
                }
            }
        }
        assertTrue(checked > 15, canvas.getId() + ": mask too small to check: " + checked + " samples");
        assertTrue(tinted > checked * 0.9, canvas.getId() + ": " + tinted + " of " + checked + " masked samples tinted");
    }
}
