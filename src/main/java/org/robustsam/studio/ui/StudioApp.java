package org.robustsam.studio.ui;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.scene.image.Image;
import javafx.stage.Stage;
import org.robustsam.studio.inference.BuildInfo;
import org.robustsam.studio.settings.AppSettings;

/**
 * The desktop application. Restores the last window geometry and folder; a folder given on the
 * command line wins over the remembered one.
 */
public final class StudioApp extends Application {
    private MainViewModel model;
    private SegmentationViewModel segmentation;
    private AnnotationViewModel annotation;
    private MainWindow window;
    private ModelAutoSwitch autoSwitch;
    private AppSettings settings;
    private Path settingsFile;

    @Override
    public void start(Stage stage) {
        settingsFile = AppSettings.defaultFile();
        settings = AppSettings.load(settingsFile);
        model = new MainViewModel();
        segmentation = new SegmentationViewModel(new org.robustsam.studio.inference.EmbeddingCache(
                512L << 20, org.robustsam.studio.inference.Segmenters.defaultCacheDir(), 20L << 30));
        annotation = new AnnotationViewModel(java.time.Duration.ofMillis(Long.getLong("studio.autosave.ms", 1000)));
        autoSwitch = new ModelAutoSwitch(segmentation, () -> {
            var store = new org.robustsam.studio.model.manager.ModelStore(org.robustsam.studio.model.manager.ModelStore.defaultDir());
            return org.robustsam.studio.eval.ModelPair.defaults(org.robustsam.studio.model.registry.ModelRegistry.bundled(), store);
        });
        autoSwitch.thresholdProperty().set(settings.autoRobustSamThreshold);
        autoSwitch.samCheckpointProperty().set(settings.samModelPath == null ? null : Path.of(settings.samModelPath));
        autoSwitch.robustCheckpointProperty().set(settings.robustSamModelPath == null ? null : Path.of(settings.robustSamModelPath));
        window = new MainWindow(model, segmentation, annotation, autoSwitch);

        Scene scene = new Scene(window.root(), settings.windowWidth, settings.windowHeight);
        URL css = StudioApp.class.getResource("/assets/css/studio.css");
        if (css != null) {
            scene.getStylesheets().add(css.toExternalForm());
        }
        stage.setTitle("RobustSAM Studio " + BuildInfo.version());
        URL icon = StudioApp.class.getResource("/assets/icons/app-256.png");
        if (icon != null) {
            stage.getIcons().add(new Image(icon.toExternalForm()));
        }
        stage.setScene(scene);
        if (!Double.isNaN(settings.windowX) && !Double.isNaN(settings.windowY)) {
            stage.setX(settings.windowX);
            stage.setY(settings.windowY);
        }
        stage.setMaximized(settings.maximized);
        stage.setOnHidden(e -> saveSettings(stage));
        stage.show();

        model.detectDevice();
        Path initial = initialFolder(getParameters() == null ? List.of() : getParameters().getUnnamed());
        if (initial != null) {
            model.openFolder(initial);
        }
        Path modelPath = initialModel();
        if (modelPath != null) {
            segmentation.loadModel(modelPath, null);
        }
        // The Model Manager keeps its folder in these settings; with no model yet, it is offered at once.
        ModelManagerDialog.attach(stage, settings, () -> saveSettings(stage));
        if (modelPath == null && ModelManagerDialog.offerAtStart()) {
            ModelManagerDialog.open(stage, segmentation);
        }
        segmentation.checkpointProperty().addListener((obs, o, file) -> {
            settings.modelPath = file == null ? null : file.toAbsolutePath().toString();
            saveSettings(stage);
        });
        model.folderProperty().addListener((obs, o, folder) -> {
            settings.lastFolder = folder == null ? null : folder.toString();
            saveSettings(stage);
        });
        // Turned on last, so the two models load once, with the remembered files and threshold.
        autoSwitch.enabledProperty().set(settings.autoRobustSam);
        autoSwitch.enabledProperty().addListener((obs, o, on) -> {
            settings.autoRobustSam = on;
            saveSettings(stage);
        });
        autoSwitch.thresholdProperty().addListener((obs, o, t) -> {
            settings.autoRobustSamThreshold = t.doubleValue();
            saveSettings(stage);
        });
        autoSwitch.samCheckpointProperty().addListener((obs, o, p) -> {
            settings.samModelPath = p == null ? null : p.toAbsolutePath().toString();
            saveSettings(stage);
        });
        autoSwitch.robustCheckpointProperty().addListener((obs, o, p) -> {
            settings.robustSamModelPath = p == null ? null : p.toAbsolutePath().toString();
            saveSettings(stage);
        });
    }

    /** {@code -Dstudio.model=FILE} wins over the model used last time. */
    private Path initialModel() {
        String forced = System.getProperty("studio.model");
        if (forced != null && !forced.isBlank()) {
            return Path.of(forced);
        }
        if (settings.modelPath != null && Files.isRegularFile(Path.of(settings.modelPath))) {
            return Path.of(settings.modelPath);
        }
        return null;
    }

    private Path initialFolder(List<String> args) {
        for (String a : args) {
            if (!a.startsWith("-")) {
                return Path.of(a);
            }
        }
        if (settings.lastFolder != null && Files.isDirectory(Path.of(settings.lastFolder))) {
            return Path.of(settings.lastFolder);
        }
        return null;
    }

    private void saveSettings(Stage stage) {
        settings.maximized = stage.isMaximized();
        if (!stage.isMaximized()) {
            settings.windowX = stage.getX();
            settings.windowY = stage.getY();
            settings.windowWidth = stage.getWidth();
            settings.windowHeight = stage.getHeight();
        }
        try {
            settings.save(settingsFile);
        } catch (IOException e) {
            System.err.println("Could not save settings to " + settingsFile + ": " + e.getMessage());
        }
    }

    /** The project view-model (tests drive the window and read the outcome here). */
    AnnotationViewModel annotation() {
        return annotation;
    }

    /** The window's wiring (tests replace its file dialogs). */
    MainWindow window() {
        return window;
    }

    MainViewModel main() {
        return model;
    }

    /** The prompting view-model (tests drive the window and read the outcome here). */
    SegmentationViewModel segmentation() {
        return segmentation;
    }

    ModelAutoSwitch autoSwitch() {
        return autoSwitch;
    }

    @Override
    public void stop() {
        if (model != null) {
            model.close();
        }
        if (segmentation != null) {
            segmentation.close(); // waits for decodes, so the switch's models are free to close next
        }
        if (autoSwitch != null) {
            autoSwitch.close();
        }
        if (annotation != null) {
            annotation.close(); // saves pending edits and releases the folder's session lock
        }
    }
}
