package org.robustsam.studio.ui;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.geometry.Point2D;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.robustsam.studio.Launcher;
import org.robustsam.studio.annotate.project.AnnotatedObject;
import org.testfx.api.FxRobot;

/**
 * The app process that {@link AnnotAppKillTest} kills with SIGKILL. {@code main} starts the real
 * app through {@link Launcher#main} with the photo folder as its argument, exactly as the installed
 * launcher does; a second thread then annotates through the window like a user, with TestFX's robot:
 * it types new labels into the label field, clicks on the photo (the click goes through the loaded
 * model's prompt pipeline), picks the label with keys 2–4 and presses Enter to accept the mask, and
 * moves to the next photo with →. After each edit it prints one line:
 *
 * <pre>
 * DRIVER READY pid
 * DRIVER LABEL name
 * DRIVER OBJECT photo id label pixels
 * </pre>
 *
 * It reads the accepted object back from the window's object list. It does not stop by itself: the
 * test ends it with kill -9, which is the point (a watchdog halts it after 10 minutes, and a closed
 * output halts it at once, so it cannot outlive a test that died). Any failure prints
 * {@code DRIVER FAIL reason} and halts.
 */
public final class AppCrashDriver {
    static final List<String> LABELS = List.of("car", "tree", "person");
    /** Objects accepted on the first photo before the driver moves to the second. */
    static final int OBJECTS_PER_PHOTO = 6;
    private static final long MAX_MINUTES = 10;

    private AppCrashDriver() {}

    public static void main(String[] args) throws Exception {
        Path folder = Path.of(args[0]);
        Thread driver = new Thread(() -> {
            try {
                drive();
            } catch (Throwable t) {
                say("FAIL " + t.toString().replace('\n', ' '));
                t.printStackTrace();
                System.err.flush();
                Runtime.getRuntime().halt(3);
            }
        }, "crash-driver");
        driver.setDaemon(true);
        driver.start();
        // Never outlive the test: if it died without killing us, stop after a while anyway.
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(TimeUnit.MINUTES.toMillis(MAX_MINUTES));
            } catch (InterruptedException e) {
                return;
            }
            say("FAIL still running after " + MAX_MINUTES + " minutes");
            Runtime.getRuntime().halt(5);
        }, "crash-driver-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        Launcher.main(new String[] {folder.toString()});
    }

    private static void say(String line) {
        synchronized (System.out) {
            System.out.println("DRIVER " + line);
            System.out.flush();
            if (System.out.checkError()) {
                Runtime.getRuntime().halt(4); // the test that reads us is gone
            }
        }
    }

    private static void drive() throws Exception {
        waitUntil(240, "the main window shows", () -> fx(() -> mainStage() != null));
        FxRobot robot = new FxRobot();
        ImageCanvas canvas = fx(() -> (ImageCanvas) mainStage().getScene().lookup("#imageCanvas"));
        Label status = fx(() -> (Label) mainStage().getScene().lookup("#statusSegmentation"));
        @SuppressWarnings("unchecked")
        ListView<AnnotatedObject> objects = fx(() -> (ListView<AnnotatedObject>) mainStage().getScene().lookup("#objectList"));
        @SuppressWarnings("unchecked")
        ListView<org.robustsam.studio.annotate.project.Label> labels =
                fx(() -> (ListView<org.robustsam.studio.annotate.project.Label>) mainStage().getScene().lookup("#labelList"));
        @SuppressWarnings("unchecked")
        ListView<PhotoItem> photos = fx(() -> (ListView<PhotoItem>) mainStage().getScene().lookup("#photoList"));
        waitUntil(240, "the photo, its project and the model's embedding are ready", () -> fx(() ->
                canvas.imageProperty().get() != null && photos.getSelectionModel().getSelectedIndex() == 0
                        && !labels.getItems().isEmpty() && status.getText() != null && status.getText().startsWith("ready:")));
        say("READY " + ProcessHandle.current().pid());

        for (String name : LABELS) {
            robot.clickOn("#newLabelField").write(name).type(KeyCode.ENTER);
            waitUntil(20, "label " + name + " is listed", () -> fx(() -> labels.getItems().stream().anyMatch(l -> l.name().equals(name))));
            say("LABEL " + name);
        }
        for (int i = 0; ; i++) {
            if (i == OBJECTS_PER_PHOTO) {
                robot.clickOn(canvasPoint(canvas, 0.97, 0.03), MouseButton.MIDDLE); // focus the canvas (no prompt)
                robot.type(KeyCode.RIGHT);
                waitUntil(60, "the second photo is shown", () -> fx(() -> photos.getSelectionModel().getSelectedIndex() == 1
                        && objects.getItems().isEmpty() && canvas.imageProperty().get() != null));
            }
            acceptOneObject(robot, canvas, objects, photos, i);
        }
    }

    /** Click, label key, Enter until the object list grows; a prompt whose mask stays empty is cleared and moved. */
    private static void acceptOneObject(FxRobot robot, ImageCanvas canvas, ListView<AnnotatedObject> objects,
                                        ListView<PhotoItem> photos, int i) throws Exception {
        int labelIndex = 1 + i % LABELS.size(); // 0 is the project's default "object" label
        String label = LABELS.get(labelIndex - 1);
        int before = fx(() -> objects.getItems().size());
        for (int attempt = 0; attempt < 6; attempt++) {
            double fx = 0.2 + 0.6 * (((i * 7 + attempt * 3) % 10) / 9.0);
            double fy = 0.25 + 0.5 * (((i * 3 + attempt * 5) % 7) / 6.0);
            robot.clickOn(canvasPoint(canvas, fx, fy), MouseButton.PRIMARY);
            robot.type(KeyCode.valueOf("DIGIT" + (labelIndex + 1))); // keys 1-9 pick the label
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (System.nanoTime() < until) {
                robot.type(KeyCode.ENTER); // does nothing until the mask is there
                if (fx(() -> objects.getItems().size()) > before) {
                    AnnotatedObject o = fx(() -> objects.getItems().get(objects.getItems().size() - 1));
                    if (!o.label().equals(label)) {
                        throw new IllegalStateException("accepted " + o.label() + ", expected " + label);
                    }
                    String photo = fx(() -> photos.getSelectionModel().getSelectedItem().entry().fileName());
                    say(String.format(Locale.ROOT, "OBJECT %s %d %s %d", photo, o.id(), o.label(), o.mask().area()));
                    return;
                }
                Thread.sleep(100);
            }
            robot.type(KeyCode.ESCAPE); // no mask came, or it was empty: try another spot
        }
        throw new IllegalStateException("no object could be accepted for edit " + i);
    }

    /** A point of the photo (fractions of its size) in screen coordinates. */
    private static Point2D canvasPoint(ImageCanvas canvas, double fx, double fy) throws Exception {
        return fx(() -> {
            Viewport v = canvas.viewport();
            double x = v.toViewX(canvas.imageProperty().get().getWidth() * fx);
            double y = v.toViewY(canvas.imageProperty().get().getHeight() * fy);
            return canvas.localToScreen(x, y);
        });
    }

    private static Stage mainStage() {
        for (Window w : Window.getWindows()) {
            if (w instanceof Stage s && s.isShowing() && s.getTitle() != null && s.getTitle().startsWith("RobustSAM Studio")) {
                return s;
            }
        }
        return null;
    }

    /** Runs on the FX thread and waits; before the toolkit is up it fails, which waitUntil treats as "not yet". */
    private static <T> T fx(Callable<T> call) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                result.complete(call.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result.get(30, TimeUnit.SECONDS);
    }

    private static void waitUntil(long seconds, String what, Callable<Boolean> condition) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            try {
                if (condition.call()) {
                    return;
                }
            } catch (IllegalStateException notYet) {
                // FX toolkit not started yet
            }
            if (System.nanoTime() > end) {
                throw new IllegalStateException("timed out after " + seconds + " s waiting until " + what);
            }
            Thread.sleep(100);
        }
    }
}
