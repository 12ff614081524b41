package org.robustsam.studio.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.RadioMenuItem;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.robustsam.studio.model.manager.ModelStore;
import org.robustsam.studio.model.manager.NamedModel;
import org.robustsam.studio.model.sam.RandomSam;
import org.robustsam.studio.model.sam.SamConfig;
import org.robustsam.studio.testutil.SharedData;
import org.robustsam.studio.train.EvaluationSummary;
import org.robustsam.studio.train.TrainingConfig;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The whole app (TestFX, headless Monocle): a tiny job launched from Tools ▸ Fine-tuning Jobs runs
 * to the end in its own process; the jobs panel then shows the before/after evaluation table and
 * the model under "job name (date)"; "Use this model" loads it into the segmentation view-model;
 * the Model menu and the Model Manager list it (from the models folder's named-models.json).
 */
@ExtendWith(ApplicationExtension.class)
class TrainJobsModelPickerFxTest {
    @TempDir
    static Path tmp;

    private final AppUnderTest harness = new AppUnderTest();
    private StudioApp app;
    private Stage mainStage;

    @Start
    void start(Stage stage) throws Exception {
        harness.set("studio.config.dir", tmp.resolve("config").toString());
        harness.set("studio.models.dir", tmp.resolve("models").toString());
        harness.set("studio.cache.dir", tmp.resolve("cache").toString());
        harness.set("studio.model", null);
        harness.set(ModelManagerDialog.OFFER_PROPERTY, "false");
        mainStage = stage;
        app = harness.start(stage);
    }

    @AfterEach
    void stop() throws Exception {
        harness.stop();
    }

    private static JobsPanel jobsPanel() {
        for (Window w : List.copyOf(Window.getWindows())) {
            if (w.getScene() != null && w.getScene().getRoot() instanceof JobsPanel p) {
                return p;
            }
        }
        return null;
    }

    @Test
    void aFinishedJobIsInTheModelPickerAndUseLoadsIt(FxRobot robot) throws Exception {
        Path dir = tmp.resolve("job");
        Files.createDirectories(dir);
        Path sam = dir.resolve("sam_tiny_random.safetensors");
        RandomSam.write(SamConfig.TINY, 17, sam);
        TrainingConfig c = new TrainingConfig();
        c.name = "picker-tiny";
        c.data.source = SharedData.labelmeFolder().toString();
        c.data.maxSide = 96;
        c.data.validationFraction = 0.34;
        c.data.labels = List.of("person", "bottle", "chair", "sofa", "bus", "car");
        c.degradation.types = List.of("fog");
        c.evaluation.prompts = List.of("box");
        c.model.base = sam.toString();
        c.steps = 2;
        c.threads = 1;
        Path config = dir.resolve("job.json");
        c.write(config);

        robot.clickOn("Tools").clickOn("#menuJobs");
        WaitForAsyncUtils.waitForFxEvents();
        JobsPanel panel = jobsPanel();
        assertNotNull(panel, "Tools ▸ Fine-tuning Jobs… opens the jobs window");
        JobsViewModel vm = panel.model();
        robot.interact(() -> panel.setConfigFile(config));
        robot.clickOn("#jobs-launch");
        waitFor(600, () -> fx(() -> vm.statusProperty().get() != JobsViewModel.Status.STARTING
                && vm.statusProperty().get() != JobsViewModel.Status.RUNNING));
        assertEquals(JobsViewModel.Status.DONE, fx(() -> vm.statusProperty().get()), fx(() -> vm.messageProperty().get()));

        // The jobs panel: the model's name in the picker, and the before/after table.
        String name = fx(() -> vm.modelNameProperty().get());
        assertNotNull(name, fx(() -> vm.messageProperty().get()));
        assertTrue(name.matches("picker-tiny \\(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}\\)"), name);
        Path modelFile = Path.of(fx(() -> vm.modelFileProperty().get()));
        assertTrue(robot.lookup("#jobs-model").queryLabeled().getText().contains(name));
        TableView<EvaluationSummary.Row> table = panel.evaluationTable();
        assertTrue(fx(table::isVisible), "the evaluation table is shown");
        assertEquals(List.of("Fog", "Clean", "Average (degraded)"),
                fx(() -> table.getItems().stream().map(EvaluationSummary.Row::title).toList()));
        assertEquals(List.of("Prompt", "Condition", "n", "SAM", "RobustSAM before", "RobustSAM after"),
                fx(() -> table.getColumns().stream().map(col -> col.getText()).toList()));

        // The models folder lists it under that name.
        NamedModel named = new ModelStore(tmp.resolve("models")).named(name).orElseThrow();
        assertEquals(modelFile.toAbsolutePath().normalize().toString(), named.file());
        assertEquals("RobustSAM", named.family());
        assertEquals("tiny", named.size());

        // "Use this model" loads it for annotation.
        robot.interact(() -> ((Stage) panel.getScene().getWindow()).toFront());
        robot.clickOn("#jobs-use");
        waitFor(120, () -> fx(() -> modelFile.equals(app.segmentation().checkpointProperty().get())));
        waitFor(60, () -> fx(() -> app.segmentation().segmenter() != null));
        assertEquals("robustsam_tiny", fx(() -> app.segmentation().segmenter().modelId()));

        // The Model menu lists it, selected as the loaded model.
        robot.interact(mainStage::toFront);
        robot.clickOn("Model");
        WaitForAsyncUtils.waitForFxEvents();
        Menu modelMenu = fx(() -> ((MenuBar) robot.lookup("#menuBar").query()).getMenus().stream()
                .filter(m -> "menuModel".equals(m.getId())).findFirst().orElseThrow());
        List<MenuItem> items = fx(() -> List.copyOf(modelMenu.getItems()));
        RadioMenuItem item = items.stream().filter(i -> "menuNamedModel".equals(i.getId()) && i.getText().startsWith(name))
                .map(i -> (RadioMenuItem) i).findFirst().orElseThrow(() -> new AssertionError("not in the Model menu: "
                        + items.stream().map(MenuItem::getText).toList()));
        assertTrue(fx(item::isSelected), "the loaded model is the checked one");
        robot.type(KeyCode.ESCAPE);

        // And the Model Manager lists it, ready.
        robot.clickOn("Model").clickOn("#menuModelManager");
        WaitForAsyncUtils.waitForFxEvents();
        ModelManagerDialog dialog = (ModelManagerDialog) mainStage.getProperties().get(ModelManagerDialog.class);
        ModelManagerViewModel.Row row = fx(() -> dialog.model().row(name));
        assertEquals(ModelManagerViewModel.Status.READY, fx(row::status));
        assertTrue(fx(row::isNamed) && fx(row::canUse) && !fx(row::canDownload));
    }

    private static <T> T fx(Callable<T> c) {
        try {
            return WaitForAsyncUtils.asyncFx(c).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void waitFor(int seconds, BooleanSupplier condition) throws Exception {
        WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, condition::getAsBoolean);
    }
}
