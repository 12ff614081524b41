package org.robustsam.studio.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javafx.scene.control.DialogPane;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import javafx.stage.Window;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.robustsam.studio.annotate.project.AnnotatedObject;
import org.robustsam.studio.annotate.project.Label;
import org.robustsam.studio.annotate.project.Project;
import org.robustsam.studio.annotate.project.ProjectFile;
import org.robustsam.studio.annotate.project.ProjectFixtures;
import org.robustsam.studio.annotate.project.SessionLock;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The recovery offer in the window: made once, answered either way, and a restore from a backup. */
@ExtendWith(ApplicationExtension.class)
class AnnotRecoveryFxTest {
    @TempDir
    static Path tmp;

    private final AppUnderTest harness = new AppUnderTest();
    private Stage mainStage;
    private StudioApp app;

    @Start
    void start(Stage stage) throws Exception {
        harness.set("studio.config.dir", tmp.resolve("config").toString());
        harness.set("studio.cache.dir", tmp.resolve("cache").toString());
        harness.set("studio.model", null);
        mainStage = stage;
        app = harness.start(stage);
    }

    @AfterEach
    void stop() throws Exception {
        harness.stop();
    }

    /** A folder with one photo and a project holding {@code objects} rectangles on it. */
    private static Project folderWithProject(Path folder, int objects) throws Exception {
        Files.createDirectories(folder);
        ImageIO.write(new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB), "png", folder.resolve("a.png").toFile());
        Project p = Project.create(folder);
        p.insertLabel(0, new Label("cat", "#800000"));
        p.addImage("a.png", 40, 30);
        for (int i = 0; i < objects; i++) {
            p.insertObject("a.png", i, AnnotatedObject.manual(p.allocateObjectId(), "cat", ProjectFixtures.rect(40, 30, i, 0, i + 2, 5)));
        }
        return p;
    }

    /** The lock a killed session leaves: a process of this host that has exited. */
    private static void staleLock(Path folder) throws Exception {
        Process gone = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(gone.waitFor(60, TimeUnit.SECONDS));
        Files.writeString(SessionLock.fileIn(folder), "{\"pid\": " + gone.pid() + ", \"processStart\": null, \"host\": \""
                + InetAddress.getLocalHost().getHostName() + "\", \"openedAt\": \"2026-01-01T00:00:00Z\"}");
        assertFalse(SessionLock.read(folder).orElseThrow().isAlive());
    }

    private void open(FxRobot robot, Path folder) {
        robot.clickOn("#folderField");
        robot.interact(() -> robot.lookup("#folderField").queryTextInputControl().clear());
        robot.write(folder.toString()).type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
    }

    private static DialogPane offer() throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> Window.getWindows().stream()
                .filter(w -> w.isShowing() && w.getScene() != null && w.getScene().getRoot() instanceof DialogPane p
                        && "recoveryDialog".equals(p.getId()))
                .map(w -> (DialogPane) w.getScene().getRoot()).findFirst().orElse(null)).get(10, TimeUnit.SECONDS);
    }

    @Test
    void keepingTheCurrentProjectClearsTheStaleLockSoTheOfferIsMadeOnce(FxRobot robot, @TempDir Path work) throws Exception {
        Path folder = work.resolve("photos");
        new ProjectFile(folder).save(folderWithProject(folder, 2).snapshot());
        staleLock(folder);
        byte[] before = Files.readAllBytes(folder.resolve(ProjectFile.FILE_NAME));

        open(robot, folder);
        waitFor(() -> offer() != null);
        assertTrue(offer().getContentText().contains("did not close normally"), offer().getContentText());
        robot.clickOn("Keep current");
        waitFor(() -> offer() == null);
        WaitForAsyncUtils.waitForFxEvents();
        assertNull(offer(), "no second offer");
        assertFalse(Files.exists(SessionLock.fileIn(folder)), "the answered crash marker is gone");
        assertEquals(2, app.annotation().project().snapshot().objectCount());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(folder.resolve(ProjectFile.FILE_NAME))), "project file untouched");

        open(robot, work); // another folder, then back: nothing to offer any more
        open(robot, folder);
        WaitForAsyncUtils.waitForFxEvents();
        assertNull(offer());
        assertEquals(2, app.annotation().objects().size());
    }

    @Test
    void aDamagedProjectFileIsRestoredFromTheNewestBackupAndKeptAside(FxRobot robot, @TempDir Path work) throws Exception {
        Path folder = work.resolve("photos");
        ProjectFile file = new ProjectFile(folder);
        file.save(folderWithProject(folder, 3).snapshot());
        file.save(folderWithProject(folder, 4).snapshot()); // the 3-object version becomes .bak1
        Files.writeString(file.file(), "{\"schema\": 1, \"labels\": [tor"); // torn
        open(robot, folder);
        waitFor(() -> offer() != null);
        assertTrue(offer().getContentText().contains("cannot be read"), offer().getContentText());
        robot.clickOn("Restore newest copy");
        waitFor(() -> offer() == null && app.annotation().objects().size() == 3);
        assertEquals(3, file.load().snapshot().objectCount(), "the backup is the project file now");
        try (Stream<Path> files = Files.list(folder)) {
            Path kept = files.filter(f -> f.getFileName().toString().startsWith(ProjectFile.FILE_NAME + ".corrupt-")).findFirst().orElseThrow();
            assertTrue(Files.readString(kept).contains("[tor"), "the damaged file is kept, not lost");
        }
        WaitForAsyncUtils.waitForFxEvents();
        assertNull(offer(), "no second offer after restoring");
    }

    private static void waitFor(Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, condition);
    }
}
