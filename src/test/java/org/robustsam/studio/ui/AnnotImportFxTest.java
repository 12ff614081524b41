package org.robustsam.studio.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javafx.scene.control.ListView;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.controlsfx.control.NotificationPane;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.robustsam.studio.annotate.project.AnnotatedObject;
import org.robustsam.studio.annotate.project.ImageRecord;
import org.robustsam.studio.annotate.project.ProjectFile;
import org.robustsam.studio.annotate.project.ProjectSnapshot;
import org.robustsam.studio.testutil.SharedData;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * File ▸ Import in the real main window: the shared LabelMe photos, imported through menu clicks,
 * show up in the objects list, go away with one undo and come back with one redo; a corrupt file
 * is named in the message and changes nothing.
 */
@ExtendWith(ApplicationExtension.class)
class AnnotImportFxTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    private final AppUnderTest harness = new AppUnderTest();
    private Stage mainStage;
    private StudioApp app;
    private final List<PathChooser.Request> asked = new CopyOnWriteArrayList<>();

    @Start
    void start(Stage stage) throws Exception {
        harness.set("studio.config.dir", tmp.resolve("config").toString());
        harness.set("studio.cache.dir", tmp.resolve("cache").toString());
        harness.set("studio.model", null); // importing needs no model
        mainStage = stage;
        app = harness.start(stage);
    }

    @AfterEach
    void stop() throws Exception {
        harness.stop();
    }

    /** A writable copy of the shared photos and their LabelMe files: the import writes project.json beside them. */
    private static Path copyOfLabelMe(Path dir) throws IOException {
        Files.createDirectories(dir);
        try (Stream<Path> files = Files.list(SharedData.labelmeFolder())) {
            for (Path f : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".jpg") || f.toString().endsWith(".json"))::iterator) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        return dir;
    }

    /**
     * Instances per label for each photo, counted from the JSON itself by LabelMe's own rule:
     * shapes sharing a label and a group_id are one instance, every other shape is one.
     */
    private static Map<String, Map<String, Long>> instancesInJson(Path folder) throws IOException {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".json"))::iterator) {
                JsonNode root = JSON.readTree(f.toFile());
                if (!root.has("shapes")) {
                    continue;
                }
                Set<String> instances = new LinkedHashSet<>();
                List<String> labels = new ArrayList<>();
                int i = 0;
                for (JsonNode s : root.get("shapes")) {
                    String label = s.get("label").asText();
                    JsonNode g = s.get("group_id");
                    if (instances.add(g == null || g.isNull() ? "shape " + i : label + "/" + g.asText())) {
                        labels.add(label);
                    }
                    i++;
                }
                out.put(root.get("imagePath").asText(), labels.stream().collect(Collectors.groupingBy(l -> l, TreeMap::new, Collectors.counting())));
            }
        }
        return out;
    }

    private static Map<String, Long> labelCounts(List<AnnotatedObject> objects) {
        return objects.stream().collect(Collectors.groupingBy(AnnotatedObject::label, TreeMap::new, Collectors.counting()));
    }

    private void openByTyping(FxRobot robot, Path folder) throws Exception {
        robot.clickOn("#folderField");
        robot.interact(() -> robot.lookup("#folderField").queryTextInputControl().clear());
        robot.write(folder.toString()).type(KeyCode.ENTER);
        waitFor(() -> app.annotation().project() != null && folder.toAbsolutePath().normalize().equals(app.annotation().project().folder())
                && app.main().currentImageProperty().get() != null);
    }

    private void answerChoosersWith(FxRobot robot, Path answer) {
        robot.interact(() -> app.window().setPathChooser((request, owner) -> {
            asked.add(request);
            return answer;
        }));
    }

    /** Shows photo {@code index} and waits until the objects list is the one of that photo. */
    private List<AnnotatedObject> objectsOfPhoto(FxRobot robot, int index, Callable<Boolean> until) throws Exception {
        robot.interact(() -> app.main().selectedIndexProperty().set(index));
        waitFor(() -> app.main().selectedEntry() != null && app.main().selectedIndexProperty().get() == index
                && app.main().currentImageProperty().get() != null && until.call());
        ListView<AnnotatedObject> list = robot.lookup("#objectList").queryListView();
        return WaitForAsyncUtils.asyncFx(() -> List.copyOf(list.getItems())).get(10, TimeUnit.SECONDS);
    }

    private String photoName(int index) {
        return app.main().photos().get(index).entry().fileName();
    }

    /** Moves keyboard focus off the folder field (where Ctrl+Z would undo typing) onto the canvas. */
    private static void focusCanvas(FxRobot robot) {
        ImageCanvas canvas = robot.lookup("#imageCanvas").query();
        robot.clickOn(canvas.localToScreen(canvas.getWidth() * 0.95, canvas.getHeight() * 0.05), MouseButton.MIDDLE);
    }

    @Test
    void aLabelMeFolderImportedFromTheMenuIsOneUndoableEditAndIsAutosaved(FxRobot robot, @TempDir Path work) throws Exception {
        Path folder = copyOfLabelMe(work.resolve("photos"));
        Files.writeString(folder.resolve("notes.json"), "{\"comment\": \"not a LabelMe file\"}");
        Map<String, Map<String, Long>> expected = instancesInJson(folder);
        assertEquals(3, expected.size(), expected.toString());
        long totalObjects = expected.values().stream().flatMap(m -> m.values().stream()).mapToLong(Long::longValue).sum();
        Set<String> allLabels = expected.values().stream().flatMap(m -> m.keySet().stream()).collect(Collectors.toSet());

        openByTyping(robot, folder);
        ProjectSnapshot before = app.annotation().project().snapshot();
        answerChoosersWith(robot, folder);

        robot.clickOn("File").clickOn("#menuImport").clickOn("#menuImportLabelMe");
        waitFor(() -> app.window().imports().lastSummaryProperty().get() != null);
        assertEquals(1, asked.size());
        assertEquals(PathChooser.Kind.FOLDER, asked.get(0).kind(), "LabelMe Folder… asks for a folder");

        NotificationPane banner = robot.lookup("#notifications").query();
        waitFor(() -> banner.isShowing() && banner.getText() != null && banner.getText().startsWith("Imported"));
        String summary = banner.getText();
        System.out.println("import summary shown: " + summary);
        assertTrue(summary.contains("3 images (3 new), " + totalObjects + " objects, " + allLabels.size() + " labels added"), summary);
        assertTrue(summary.contains(folder.resolve("notes.json") + ": not a LabelMe file"), "the skipped file is named: " + summary);

        Map<String, List<AnnotatedObject>> imported = new TreeMap<>();
        for (int i = 0; i < 3; i++) {
            String name = photoName(i);
            Map<String, Long> want = expected.get(name);
            List<AnnotatedObject> shown = objectsOfPhoto(robot, i, () -> labelCounts(app.annotation().objects()).equals(want));
            assertEquals(want, labelCounts(shown), "objects listed for " + name);
            shown.forEach(o -> assertTrue(o.mask().area() > 0, "object " + o.id() + " on " + name + " has pixels"));
            imported.put(name, shown);
        }
        Set<String> projectLabels = app.annotation().labels().stream().map(org.robustsam.studio.annotate.project.Label::name)
                .collect(Collectors.toSet());
        assertTrue(projectLabels.containsAll(allLabels), projectLabels.toString());

        // One Ctrl+Z takes the whole import back: objects, images and labels.
        focusCanvas(robot);
        robot.press(KeyCode.CONTROL).type(KeyCode.Z).release(KeyCode.CONTROL);
        waitFor(() -> app.annotation().objects().isEmpty());
        ProjectSnapshot undone = app.annotation().project().snapshot();
        assertEquals(before.labels(), undone.labels());
        assertEquals(before.images(), undone.images());
        for (int i = 0; i < 3; i++) {
            assertTrue(objectsOfPhoto(robot, i, () -> true).isEmpty(), "undo left objects on " + photoName(i));
        }
        assertFalse(app.annotation().canUndoProperty().get(), "the import was a single undo step");

        // Ctrl+Y brings every object back, with the same ids.
        focusCanvas(robot);
        robot.press(KeyCode.CONTROL).type(KeyCode.Y).release(KeyCode.CONTROL);
        for (int i = 0; i < 3; i++) {
            String name = photoName(i);
            List<Long> ids = imported.get(name).stream().map(AnnotatedObject::id).toList();
            List<AnnotatedObject> shown = objectsOfPhoto(robot, i, () -> app.annotation().objects().stream().map(AnnotatedObject::id).toList().equals(ids));
            assertEquals(imported.get(name), shown, "redo restores " + name);
        }

        // Autosave puts it on disk.
        Path projectFile = folder.resolve(ProjectFile.FILE_NAME);
        waitFor(() -> Files.exists(projectFile) && new ProjectFile(folder).load().snapshot().objectCount() == totalObjects);
        Map<String, List<AnnotatedObject>> onDisk = new TreeMap<>();
        for (ImageRecord img : new ProjectFile(folder).load().images()) {
            onDisk.put(img.path(), img.objects());
        }
        assertEquals(imported, onDisk);
    }

    @Test
    void aCorruptFileIsNamedAndTheProjectIsLeftUnchanged(FxRobot robot, @TempDir Path work) throws Exception {
        Path folder = copyOfLabelMe(work.resolve("photos"));
        Path broken = folder.resolve("2011_000006.json");
        String text = Files.readString(broken);
        Files.writeString(broken, text.substring(0, text.length() / 2)); // cut off mid-file, as a crashed writer leaves it

        openByTyping(robot, folder);
        ProjectSnapshot before = app.annotation().project().snapshot();
        answerChoosersWith(robot, folder);
        robot.clickOn("File").clickOn("#menuImport").clickOn("#menuImportLabelMe");
        NotificationPane banner = robot.lookup("#notifications").query();
        waitFor(() -> banner.isShowing() && banner.getText() != null && banner.getText().startsWith("Import failed"));
        assertTrue(banner.getText().contains(broken.toString()), "the message names the file: " + banner.getText());
        assertTrue(banner.getText().contains("nothing was changed"), banner.getText());
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(before, app.annotation().project().snapshot(), "not even the good files were imported");
        assertFalse(app.annotation().canUndoProperty().get(), "nothing to undo");
        assertTrue(app.annotation().objects().isEmpty());
        assertNull(app.window().imports().lastSummaryProperty().get());

        // The COCO entry, by its accelerator: a file that is not JSON at all is named too.
        Path coco = Files.writeString(folder.resolve("instances.json"), "this is not json");
        answerChoosersWith(robot, coco);
        focusCanvas(robot);
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT).type(KeyCode.I).release(KeyCode.SHIFT, KeyCode.CONTROL);
        waitFor(() -> banner.isShowing() && banner.getText() != null && banner.getText().contains(coco.toString()));
        assertTrue(banner.getText().startsWith("Import failed"), banner.getText());
        assertEquals(PathChooser.Kind.FILE_TO_OPEN, asked.get(asked.size() - 1).kind(), "COCO File… asks for a file");
        assertEquals(before, app.annotation().project().snapshot());
        assertFalse(Files.exists(folder.resolve(ProjectFile.FILE_NAME)), "a failed import writes no project file");

        // The shortcuts are on the cheat sheet.
        robot.type(KeyCode.F1);
        waitFor(() -> Window.getWindows().stream().anyMatch(w -> w instanceof Stage s && "Keyboard shortcuts".equals(s.getTitle())));
        javafx.scene.control.DialogPane sheet = robot.lookup(".dialog-pane").query();
        assertNotNull(sheet);
        assertTrue(sheet.getContentText().contains("Ctrl+I / Ctrl+Shift+I / Ctrl+Alt+I: import"), sheet.getContentText());
    }

    private static void assertNull(Object o) {
        assertEquals(null, o);
    }

    private static void waitFor(Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, condition);
    }
}
