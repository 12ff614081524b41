package org.robustsam.studio.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    private static final List<String> PROPERTIES = List.of("studio.config.dir", "studio.models.dir", "studio.cache.dir",
            "studio.model", ModelManagerDialog.OFFER_PROPERTY);

    @TempDir
    static Path tmp;

    private final Map<String, String> saved = new HashMap<>();
    private StudioApp app;
    private Stage mainStage;

    @Start
    void start(Stage stage) throws Exception {
        for (String p : PROPERTIES) {
            saved.put(p, System.getProperty(p));
        }
        System.setProperty("studio.config.dir", tmp.resolve("config").toString());
        System.setProperty("studio.models.dir", tmp.resolve("models").toString());
        System.setProperty("studio.cache.dir", tmp.resolve("cache").toString());
        System.clearProperty("studio.model"); // no model given and none remembered: a first start
        System.setProperty(ModelManagerDialog.OFFER_PROPERTY, "true");
        Files.deleteIfExists(AppSettings.defaultFile());
        mainStage = stage;
        app = new StudioApp();
        app.start(stage);
    }

    @AfterEach
    void stop() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> {
            for (Window w : List.copyOf(Window.getWindows())) {
                if (w != mainStage && w instanceof Stage s) {
                    s.close();
                }
            }
            app.stop();
        }).get();
        saved.forEach((k, v) -> {
            if (v == null) {
                System.clearProperty(k);
            } else {
                System.setProperty(k, v);
            }
        });
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
}
