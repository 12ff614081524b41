package org.robustsam.studio.ui;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.geometry.Point2D;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.robustsam.studio.model.sam.RandomSam;
import org.robustsam.studio.model.sam.SamConfig;
import org.robustsam.studio.settings.AppSettings;
import org.robustsam.studio.testutil.SharedData;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Makes the README's screenshots from the real app (a tool, not a check: it runs only with
 * {@code -Dstudio.screenshots.dir=assets/screenshots}, e.g.
 * {@code mvn -o test -Dtest=ReadmeScreenshotsTest -Dstudio.screenshots.dir=$PWD/assets/screenshots}).
 */
@ExtendWith(ApplicationExtension.class)
@EnabledIfSystemProperty(named = "studio.screenshots.dir", matches = ".+")
class ReadmeScreenshotsTest {
    @TempDir
    static Path tmp;

    private StudioApp app;
    private Stage stage;

    @BeforeAll
    static void model() throws Exception {
        Path model = tmp.resolve("sam_tiny.safetensors");
        RandomSam.write(SamConfig.TINY, 11, model);
        System.setProperty("studio.model", model.toString());
        System.setProperty("studio.cache.dir", tmp.resolve("cache").toString());
    }

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        System.setProperty("studio.config.dir", tmp.resolve("config").toString());
        Files.deleteIfExists(AppSettings.defaultFile());
        app = new StudioApp();
        app.start(stage);
    }

    @AfterEach
    void stop() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> app.stop()).get();
    }

    @Test
    void mainWindowAndAMaskOnAPhoto(FxRobot robot) throws Exception {
        Path out = Path.of(System.getProperty("studio.screenshots.dir"));
        Files.createDirectories(out);
        Path photos = tmp.resolve("photos");
        Files.createDirectories(photos);
        try (var files = Files.list(SharedData.labelmeFolder())) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".jpg"))::iterator) {
                Files.copy(f, photos.resolve(f.getFileName()));
            }
        }
        robot.interact(() -> {
            stage.setWidth(1280);
            stage.setHeight(820);
        });
        robot.clickOn("#folderField").write(photos.toString()).type(KeyCode.ENTER);
        ImageCanvas canvas = robot.lookup("#imageCanvas").query();
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> canvas.imageProperty().get() != null
                && app.segmentation().embeddingProperty().get() != null);
        Thread.sleep(1500); // quality badges are computed in the background
        WaitForAsyncUtils.waitForFxEvents();
        save(robot, out.resolve("main-window.png"));

        Point2D view = new Point2D(canvas.getWidth() * 0.45, canvas.getHeight() * 0.55);
        robot.clickOn(canvas.localToScreen(view), MouseButton.PRIMARY);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> app.segmentation().predictionProperty().get() != null);
        robot.type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn(canvas.localToScreen(new Point2D(canvas.getWidth() * 0.75, canvas.getHeight() * 0.5)), MouseButton.PRIMARY);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> app.segmentation().predictionProperty().get() != null);
        Thread.sleep(300);
        WaitForAsyncUtils.waitForFxEvents();
        save(robot, out.resolve("annotate-random-model.png"));
    }

    private void save(FxRobot robot, Path file) throws Exception {
        WritableImage shot = WaitForAsyncUtils.asyncFx(() -> stage.getScene().snapshot(null)).get(10, TimeUnit.SECONDS);
        int w = (int) shot.getWidth();
        int h = (int) shot.getHeight();
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        PixelReader px = shot.getPixelReader();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, px.getArgb(x, y) & 0xFFFFFF);
            }
        }
        ImageIO.write(img, "png", file.toFile());
        assertTrue(Files.size(file) > 10_000, file + " looks empty");
    }
}
