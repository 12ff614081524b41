package org.robustsam.studio.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
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
import org.robustsam.studio.annotate.project.ProjectFile;
import org.robustsam.studio.annotate.project.ProjectSnapshot;
import org.robustsam.studio.annotate.project.Recovery;
import org.robustsam.studio.annotate.project.SessionLock;
import org.robustsam.studio.model.sam.RandomSam;
import org.robustsam.studio.model.sam.SamConfig;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Autosave survives kill -9 of the real app. The desktop app is started as its own process through
 * its normal launcher ({@link AppCrashDriver} calls {@code Launcher.main}) on a photo folder, with a
 * short autosave interval, its own settings and cache folders and a tiny random-weight SAM; a
 * driver thread inside it adds labels and accepts masks through the window. The test kills that
 * process with SIGKILL in the middle of the stream of edits, checks it is gone, then starts the app
 * again in this JVM on the same folder: the recovery offer must appear, and accepting it must bring
 * back every edit made more than the autosave interval (plus a write allowance) before the kill,
 * with its label and its mask's pixel count; the dead session's lock is treated as stale.
 */
@ExtendWith(ApplicationExtension.class)
class AnnotAppKillTest {
    private static final long AUTOSAVE_MS = 500;
    /** Time to write one save after it starts (JSON and fsync), generous for a loaded 2-core machine. */
    private static final long WRITE_ALLOWANCE_MS = 500;
    private static final int MIN_OBJECTS = 2 * AppCrashDriver.OBJECTS_PER_PHOTO; // objects on both photos
    /** Edits that must be old enough to be checked before the kill is sent. */
    private static final int MIN_OLD_EDITS = 10;
    private static final long CHILD_START_TIMEOUT_S = 240;
    private static final long EDITS_TIMEOUT_S = 240;

    @TempDir
    Path dir;

    private final AppUnderTest harness = new AppUnderTest();
    private Stage stage;
    private StudioApp app;

    /** One line from the app process, stamped when this JVM read it (after the edit was made there). */
    private record Line(String text, long nanos) {}

    /** An edit the driver reported: a label, or an accepted object with its photo, id, label and pixel count. */
    private record Edit(String kind, String photo, long id, String label, long pixels, long nanos) {}

    @Start
    void start(Stage stage) {
        this.stage = stage; // the restarted app goes here after the kill
    }

    @AfterEach
    void stop() throws Exception {
        harness.stop();
    }

    @Test
    void everyEditOlderThanTheAutosaveIntervalIsRecoveredAfterKill9OfTheApp(FxRobot robot) throws Exception {
        Path photos = Files.createDirectories(dir.resolve("photos"));
        photo(photos.resolve("a-street.png"), 0);
        photo(photos.resolve("b-field.png"), 1);
        Path model = dir.resolve("tiny.safetensors");
        RandomSam.write(SamConfig.TINY, 11, model);

        // ---- the app process: start, let it annotate, kill -9 mid-stream ----
        Path stderr = dir.resolve("app-stderr.txt");
        Process child = startApp(photos, model, stderr);
        List<Edit> edits = new ArrayList<>();
        long killNanos;
        long pid = child.pid();
        try {
            BlockingQueue<Line> lines = readLines(child);
            Line ready = next(lines, CHILD_START_TIMEOUT_S, child, stderr, "the app to start and show the photo");
            assertEquals("DRIVER READY " + pid, ready.text(), () -> "unexpected first line; app stderr:\n" + tail(stderr));
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(EDITS_TIMEOUT_S);
            while (true) {
                long objects = edits.stream().filter(e -> e.kind().equals("OBJECT")).count();
                long old = edits.stream().filter(e -> System.nanoTime() - e.nanos() > mustSurviveNanos()).count();
                if (objects >= MIN_OBJECTS && old >= MIN_OLD_EDITS) {
                    break;
                }
                assertTrue(System.nanoTime() < end, () -> "the app made only " + edits.size() + " edits in " + EDITS_TIMEOUT_S
                        + " s; stderr:\n" + tail(stderr));
                Line l = lines.poll(100, TimeUnit.MILLISECONDS);
                if (l != null) {
                    edits.add(parse(l, stderr));
                }
                assertTrue(child.isAlive() || !lines.isEmpty(), () -> "the app exited by itself; stderr:\n" + tail(stderr));
            }
            killNanos = System.nanoTime();
            child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no autosave flush, no lock removal
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the app process did not die");
        } finally {
            child.destroyForcibly();
        }
        assertEquals(128 + 9, child.exitValue(), "the app died of SIGKILL");
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "process " + pid + " is gone");

        // The dead session's lock is still there and reads as stale: a crash, with an autosave to offer.
        Optional<SessionLock.Owner> lock = SessionLock.read(photos);
        assertTrue(lock.isPresent(), "the killed app left its session lock");
        assertEquals(pid, lock.get().pid());
        assertFalse(lock.get().isAlive(), "a lock whose process is gone is stale");
        Recovery.Report report = Recovery.check(photos);
        assertTrue(report.crashed(), report.describe());

        long cutoff = killNanos - mustSurviveNanos();
        List<Edit> mustSurvive = edits.stream().filter(e -> e.nanos() < cutoff).toList();
        assertTrue(mustSurvive.size() >= MIN_OLD_EDITS, "too few edits old enough to check: " + mustSurvive.size());

        // ---- restart the app in this JVM on the same folder ----
        harness.set("studio.config.dir", dir.resolve("config-restart").toString())
                .set("studio.cache.dir", dir.resolve("cache-restart").toString())
                .set("studio.models.dir", dir.resolve("models").toString())
                .set("studio.model", null);
        app = WaitForAsyncUtils.asyncFx(() -> harness.start(stage)).get(30, TimeUnit.SECONDS);
        robot.clickOn("#folderField").write(photos.toString()).type(KeyCode.ENTER);
        waitFor(() -> recoveryDialog() != null);
        DialogPane offer = robot.lookup("#recoveryDialog").query();
        assertTrue(offer.getContentText().contains("did not close normally") && offer.getContentText().contains("process " + pid),
                offer.getContentText());
        assertTrue(offer.getButtonTypes().stream().anyMatch(b -> b.getText().equals("Restore newest copy")),
                "nothing to restore: no autosave reached the disk before the kill\n" + offer.getContentText());
        robot.clickOn("Restore newest copy");
        waitFor(() -> recoveryDialog() == null && app.annotation().recoveryProperty().get() == null);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(recoveryDialog() == null, "the offer is made once");
        assertFalse(Files.exists(SessionLock.fileIn(photos)), "the stale lock is cleared once the user answered");

        // Every edit older than the cutoff is back, on its photo, with its label and pixel count.
        ProjectSnapshot restored = app.annotation().project().snapshot();
        List<String> labels = restored.labels().stream().map(org.robustsam.studio.annotate.project.Label::name).toList();
        Map<Long, AnnotatedObject> objects = new LinkedHashMap<>();
        Map<Long, String> photoOf = new HashMap<>();
        restored.images().forEach(img -> img.objects().forEach(o -> {
            objects.put(o.id(), o);
            photoOf.put(o.id(), img.path());
        }));
        for (Edit e : mustSurvive) {
            long age = TimeUnit.NANOSECONDS.toMillis(killNanos - e.nanos());
            if (e.kind().equals("LABEL")) {
                assertTrue(labels.contains(e.label()), "label " + e.label() + " added " + age + " ms before the kill is lost");
                continue;
            }
            AnnotatedObject o = objects.get(e.id());
            assertNotNull(o, "object " + e.id() + " accepted " + age + " ms before the kill is lost");
            assertEquals(e.photo(), photoOf.get(e.id()), "photo of object " + e.id());
            assertEquals(e.label(), o.label(), "label of object " + e.id());
            assertEquals(e.pixels(), o.mask().area(), "pixel count of object " + e.id());
        }
        // Saves are snapshots: the reported objects that came back are exactly the first k, in order. At most one
        // more can be there: accepted and saved, but killed before the driver's line about it was read.
        List<Edit> objectEdits = edits.stream().filter(e -> e.kind().equals("OBJECT")).toList();
        List<Long> recovered = objectEdits.stream().map(Edit::id).filter(objects::containsKey).toList();
        assertEquals(objectEdits.subList(0, recovered.size()).stream().map(Edit::id).toList(), recovered);
        long lastReported = objectEdits.get(objectEdits.size() - 1).id();
        List<Long> unreported = objects.keySet().stream().filter(id -> !recovered.contains(id)).toList();
        assertTrue(unreported.size() <= 1 && unreported.stream().allMatch(id -> id > lastReported),
                "objects the app never made: " + unreported);

        // The window shows them: the objects list of the first photo holds its recovered objects.
        List<Long> firstPhoto = restored.images().stream().filter(i -> i.path().equals("a-street.png"))
                .flatMap(i -> i.objects().stream()).map(AnnotatedObject::id).toList();
        waitFor(() -> app.annotation().objects().stream().map(AnnotatedObject::id).toList().equals(firstPhoto));

        // Work goes on: the next edit takes the lock for this process, and a clean close leaves no crash marker.
        robot.clickOn("#newLabelField").write("after-restart").type(KeyCode.ENTER);
        waitFor(() -> SessionLock.read(photos).map(o -> o.pid() == ProcessHandle.current().pid()).orElse(false));
        harness.stopApp();
        assertFalse(Files.exists(SessionLock.fileIn(photos)), "a clean close removes the lock");
        assertFalse(Recovery.check(photos).needsAttention(), Recovery.check(photos).describe());
        ProjectSnapshot onDisk = new ProjectFile(photos).load().snapshot();
        assertTrue(onDisk.labelIndex("after-restart") >= 0);
        assertEquals(objects.size(), onDisk.objectCount(), "the recovered objects are saved again");

        long newestSavedAge = objectEdits.stream().filter(e -> objects.containsKey(e.id()))
                .mapToLong(e -> TimeUnit.NANOSECONDS.toMillis(killNanos - e.nanos())).min().orElse(-1);
        System.out.printf("app kill -9 test: %d edits (%d objects on %d photos), %d older than %d ms all recovered,"
                        + " %d objects recovered, newest recovered object made %d ms before the kill%n",
                edits.size(), objectEdits.size(), objectEdits.stream().map(Edit::photo).distinct().count(), mustSurvive.size(),
                AUTOSAVE_MS + WRITE_ALLOWANCE_MS, objects.size(), newestSavedAge);
    }

    private static long mustSurviveNanos() {
        return TimeUnit.MILLISECONDS.toNanos(AUTOSAVE_MS + WRITE_ALLOWANCE_MS);
    }

    /** The app as its own process, with this JVM's -D flags (surefire's headless Monocle settings among them). */
    private Process startApp(Path photos, Path model, Path stderr) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx1g");
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("-D") && !arg.startsWith("-Dstudio.")) {
                cmd.add(arg);
            }
        }
        cmd.add("-Dstudio.offerModelManager=false");
        cmd.add("-Dstudio.autosave.ms=" + AUTOSAVE_MS);
        cmd.add("-Dstudio.model=" + model);
        cmd.add("-Dstudio.config.dir=" + dir.resolve("config"));
        cmd.add("-Dstudio.cache.dir=" + dir.resolve("cache"));
        cmd.add("-Dstudio.models.dir=" + dir.resolve("models"));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(AppCrashDriver.class.getName());
        cmd.add(photos.toString());
        return new ProcessBuilder(cmd).redirectError(stderr.toFile()).start();
    }

    /** Driver lines from the app's output, read on their own thread so waiting can time out. */
    private static BlockingQueue<Line> readLines(Process child) {
        BlockingQueue<Line> lines = new LinkedBlockingQueue<>();
        Thread t = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String s;
                while ((s = in.readLine()) != null) {
                    if (s.startsWith("DRIVER ")) {
                        lines.add(new Line(s, System.nanoTime()));
                    }
                }
            } catch (IOException ignored) {
                // the process was killed
            }
        }, "app-output");
        t.setDaemon(true);
        t.start();
        return lines;
    }

    private static Line next(BlockingQueue<Line> lines, long seconds, Process child, Path stderr, String what) throws Exception {
        Line l = lines.poll(seconds, TimeUnit.SECONDS);
        assertNotNull(l, () -> "no line from the app within " + seconds + " s waiting for " + what + " (alive: " + child.isAlive()
                + "); stderr:\n" + tail(stderr));
        return l;
    }

    private static Edit parse(Line l, Path stderr) {
        String[] f = l.text().split(" ");
        return switch (f[1]) {
            case "LABEL" -> new Edit("LABEL", null, 0, f[2], 0, l.nanos());
            case "OBJECT" -> new Edit("OBJECT", f[2], Long.parseLong(f[3]), f[4], Long.parseLong(f[5]), l.nanos());
            default -> throw new AssertionError("the app's driver said: " + l.text() + "\nstderr:\n" + tail(stderr));
        };
    }

    private static DialogPane recoveryDialog() throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> Window.getWindows().stream()
                .filter(w -> w.isShowing() && w.getScene() != null && w.getScene().getRoot() instanceof DialogPane p
                        && "recoveryDialog".equals(p.getId()))
                .map(w -> (DialogPane) w.getScene().getRoot()).findFirst().orElse(null)).get(10, TimeUnit.SECONDS);
    }

    /** A 320x240 photo with a few shapes, so masks have something to follow. */
    private static void photo(Path file, int variant) throws IOException {
        BufferedImage img = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(90 + 40 * variant, 120, 160));
        g.fillRect(0, 0, 320, 240);
        g.setColor(new Color(200, 60, 40));
        g.fillOval(40 + 30 * variant, 50, 110, 90);
        g.setColor(new Color(30, 150, 60));
        g.fillRect(180, 110 - 20 * variant, 100, 100);
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
    }

    private static String tail(Path f) {
        try {
            List<String> all = Files.readAllLines(f);
            return all.subList(Math.max(0, all.size() - 40), all.size()).stream().collect(Collectors.joining("\n"));
        } catch (IOException e) {
            return "(no stderr: " + e + ")";
        }
    }

    private static void waitFor(Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, condition);
    }
}
