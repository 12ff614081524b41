package org.robustsam.studio.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.robustsam.studio.settings.AppSettings;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The app offers the Model Manager when it starts without a model; the Model menu opens the same window. */
@ExtendWith(ApplicationExtension.class)
class ModelManagerStartFxTest {
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
        harness.set("studio.model", null); // no model given and none remembered: a first start
        harness.set(ModelManagerDialog.OFFER_PROPERTY, "true");
        mainStage = stage;
        app = harness.start(stage);
    }

    @AfterEach
    void stop() throws Exception {
        harness.stop();
    }

    private static Stage managerWindow() {
        return Window.getWindows().stream().filter(w -> w instanceof Stage s && s.getTitle() != null
                && s.getTitle().startsWith("Model Manager")).map(w -> (Stage) w).findFirst().orElse(null);
    }

    @Test
    void aFirstStartWithoutAModelOffersTheModelManagerAndTheMenuReopensIt(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        Stage manager = managerWindow();
        assertTrue(manager != null && manager.isShowing(), "the Model Manager is offered");
        assertSame(mainStage, manager.getOwner());
        ModelManagerDialog dialog = (ModelManagerDialog) mainStage.getProperties().get(ModelManagerDialog.class);
        assertEquals(tmp.resolve("models"), dialog.model().modelsDir());
        assertEquals(7, dialog.model().rows().size(), "the bundled registry's models");

        robot.interact(manager::hide);
        assertFalse(manager.isShowing());
        robot.clickOn("Model").clickOn("#menuModelManager");
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(manager.isShowing(), "Model ▸ Model Manager… shows it again");
        assertSame(manager, managerWindow(), "one Model Manager per main window");

        // A folder chosen there is kept in the app's settings.
        Path other = tmp.resolve("other-models");
        robot.interact(() -> dialog.model().setModelsDir(other));
        assertEquals(other.toString(), AppSettings.load(AppSettings.defaultFile()).modelsDir);
    }

    /** TestFX reuses one window for every app started in this JVM, as a relaunch in one process would. */
    @Test
    void aNewSessionOnTheSameWindowGetsItsOwnModelManager(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        ModelManagerDialog first = (ModelManagerDialog) mainStage.getProperties().get(ModelManagerDialog.class);
        assertTrue(first != null && first.stage().isShowing(), "offered at the first start");
        Path elsewhere = tmp.resolve("models-2");
        harness.set("studio.models.dir", elsewhere.toString());
        robot.interact(() -> ModelManagerDialog.attach(mainStage, new AppSettings(), () -> { }));
        assertFalse(first.stage().isShowing(), "the old session's dialog is closed");
        robot.interact(() -> ModelManagerDialog.open(mainStage, app.segmentation()));
        ModelManagerDialog second = (ModelManagerDialog) mainStage.getProperties().get(ModelManagerDialog.class);
        assertTrue(second != first, "a new dialog for the new session");
        assertEquals(elsewhere, second.model().modelsDir());
    }
}
