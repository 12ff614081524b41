package org.robustsam.studio.ui;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import javafx.beans.Observable;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.robustsam.studio.model.manager.ModelStore;
import org.robustsam.studio.settings.AppSettings;

/**
 * The Model Manager window: the registry's models with family, size, state, disk use and download
 * progress (bytes, rate, time left), then the models registered under names of their own (fine-tuning
 * results), and Download, Cancel, Resume, Delete, Use, "Add local
 * checkpoint…" and the models folder. Behaviour lives in {@link ModelManagerViewModel}; this class
 * only lays out nodes and forwards clicks. One window per main window: closing it hides it and
 * downloads go on; opening it again shows them.
 */
public final class ModelManagerDialog {
    /** {@code -Dstudio.offerModelManager=false} stops the offer at first start (tests, kiosks). */
    public static final String OFFER_PROPERTY = "studio.offerModelManager";

    private final ModelManagerViewModel model;
    private final BorderPane root = new BorderPane();
    private final TableView<ModelManagerViewModel.Row> table = new TableView<>();
    private final Button downloadButton = new Button("Download");
    private final Button cancelButton = new Button("Cancel");
    private final Button resumeButton = new Button("Resume");
    private final Button deleteButton = new Button("Delete");
    private final Button useButton = new Button("Use");
    private final Button addLocalButton = new Button("Add local checkpoint…");
    private final TextField dirField = new TextField();
    private final Button dirButton = new Button("Change…");
    private final Button dirDefaultButton = new Button("Default");
    private final Label message = new Label();
    private Stage stage;

    public ModelManagerDialog(ModelManagerViewModel model) {
        this.model = model;
        root.setId("modelManager");
        root.getStyleClass().addAll("studio-root", "model-manager");
        root.setPadding(new Insets(10));
        root.setTop(buildFolderBar());
        root.setCenter(buildTable());
        root.setBottom(buildButtons());
        bind();
    }

    public Parent root() {
        return root;
    }

    public ModelManagerViewModel model() {
        return model;
    }

    /** Shows the window (created on first use), owned by the main window. */
    public void show(Window owner) {
        if (stage == null) {
            stage = new Stage();
            stage.setTitle("Model Manager — RobustSAM Studio");
            if (owner != null) {
                stage.initOwner(owner);
            }
            Scene scene = new Scene(root, 1000, 420);
            if (owner != null && owner.getScene() != null) {
                scene.getStylesheets().addAll(owner.getScene().getStylesheets());
            }
            stage.setScene(scene);
        }
        model.refresh();
        stage.show();
        stage.toFront();
        table.requestFocus(); // not the folder field: a stray key press should not edit the path
    }

    public Stage stage() {
        return stage;
    }

    private HBox buildFolderBar() {
        Label label = new Label("Models folder:");
        dirField.setId("modelsDirField");
        dirField.setPromptText("folder for downloaded models — type a path and press Enter");
        dirField.setOnAction(e -> {
            String text = dirField.getText().trim();
            if (!text.isEmpty() && !model.setModelsDir(Path.of(text))) {
                dirField.setText(model.modelsDir().toString());
            }
        });
        dirButton.setId("modelsDirButton");
        dirButton.setOnAction(e -> chooseFolder());
        dirDefaultButton.setId("modelsDirDefaultButton");
        dirDefaultButton.setTooltip(new Tooltip("Back to " + ModelStore.perUserDir()));
        dirDefaultButton.setOnAction(e -> model.setModelsDir(ModelStore.perUserDir()));
        HBox.setHgrow(dirField, Priority.ALWAYS);
        HBox bar = new HBox(6, label, dirField, dirButton, dirDefaultButton);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(0, 0, 8, 0));
        return bar;
    }

    private TableView<ModelManagerViewModel.Row> buildTable() {
        table.setId("modelTable");
        table.setItems(model.rows());
        table.setPlaceholder(new Label("No models in the registry"));

        TableColumn<ModelManagerViewModel.Row, String> id = new TableColumn<>("Model");
        id.setCellValueFactory(c -> new javafx.beans.property.ReadOnlyStringWrapper(c.getValue().id()));
        TableColumn<ModelManagerViewModel.Row, String> family = new TableColumn<>("Family");
        family.setCellValueFactory(c -> new javafx.beans.property.ReadOnlyStringWrapper(c.getValue().family()));
        TableColumn<ModelManagerViewModel.Row, String> size = new TableColumn<>("Size");
        size.setCellValueFactory(c -> new javafx.beans.property.ReadOnlyStringWrapper(c.getValue().size()));
        TableColumn<ModelManagerViewModel.Row, ModelManagerViewModel.Status> state = new TableColumn<>("State");
        state.setCellValueFactory(c -> c.getValue().statusProperty());
        state.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(ModelManagerViewModel.Status s, boolean empty) {
                super.updateItem(s, empty);
                setText(empty || s == null ? null : s.label());
            }
        });
        TableColumn<ModelManagerViewModel.Row, Number> disk = new TableColumn<>("On disk");
        disk.setCellValueFactory(c -> c.getValue().diskUseProperty());
        disk.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(Number n, boolean empty) {
                super.updateItem(n, empty);
                setText(empty || n == null ? null : n.longValue() == 0 ? "—" : ModelManagerViewModel.bytes(n.longValue()));
            }
        });
        TableColumn<ModelManagerViewModel.Row, String> download = new TableColumn<>("Download");
        download.setCellValueFactory(c -> {
            var e = c.getValue().entry();
            // Registry sizes are exact where a checksum is published, else the publisher's approximate size.
            String text = e.approxBytes() <= 0 ? "—" : (e.sha256() == null ? "≈" : "") + ModelManagerViewModel.bytes(e.approxBytes());
            return new javafx.beans.property.ReadOnlyStringWrapper(text);
        });
        TableColumn<ModelManagerViewModel.Row, ModelManagerViewModel.Row> progress = new TableColumn<>("Progress");
        progress.setCellValueFactory(c -> new javafx.beans.property.ReadOnlyObjectWrapper<>(c.getValue()));
        progress.setCellFactory(c -> new ProgressCell());
        id.setPrefWidth(130);
        family.setPrefWidth(80);
        size.setPrefWidth(80);
        state.setPrefWidth(150);
        disk.setPrefWidth(80);
        download.setPrefWidth(90);
        // The progress text is the longest: that column takes whatever width the others leave.
        progress.prefWidthProperty().bind(javafx.beans.binding.Bindings.max(220, table.widthProperty()
                .subtract(id.widthProperty()).subtract(family.widthProperty()).subtract(size.widthProperty())
                .subtract(state.widthProperty()).subtract(disk.widthProperty()).subtract(download.widthProperty()).subtract(18)));
        table.getColumns().setAll(java.util.List.of(id, family, size, state, download, disk, progress));
        return table;
    }

    /** A progress bar with "bytes of total · rate · time left" (or the reason it failed) on top. */
    private static final class ProgressCell extends TableCell<ModelManagerViewModel.Row, ModelManagerViewModel.Row> {
        private final ProgressBar bar = new ProgressBar(0);
        private final Label text = new Label();
        private final StackPane pane = new StackPane(bar, text);

        ProgressCell() {
            bar.setMaxWidth(Double.MAX_VALUE);
            bar.setOpacity(0.6);
            text.setMaxWidth(Double.MAX_VALUE);
            text.setPadding(new Insets(0, 4, 0, 4));
            StackPane.setAlignment(text, Pos.CENTER_LEFT);
        }

        @Override
        protected void updateItem(ModelManagerViewModel.Row row, boolean empty) {
            super.updateItem(row, empty);
            bar.progressProperty().unbind();
            text.textProperty().unbind();
            bar.visibleProperty().unbind();
            if (empty || row == null) {
                setGraphic(null);
                setTooltip(null);
                return;
            }
            bar.setId("progress-" + row.id());
            text.setId("progressText-" + row.id());
            bar.progressProperty().bind(row.progressProperty());
            text.textProperty().bind(row.progressTextProperty());
            bar.visibleProperty().bind(row.statusProperty().isEqualTo(ModelManagerViewModel.Status.DOWNLOADING)
                    .or(row.statusProperty().isEqualTo(ModelManagerViewModel.Status.PARTIAL)));
            Tooltip tip = new Tooltip();
            tip.textProperty().bind(row.progressTextProperty());
            setTooltip(tip);
            setGraphic(pane);
        }
    }

    private VBox buildButtons() {
        downloadButton.setId("downloadButton");
        cancelButton.setId("cancelButton");
        resumeButton.setId("resumeButton");
        deleteButton.setId("deleteButton");
        useButton.setId("useButton");
        addLocalButton.setId("addLocalButton");
        downloadButton.setOnAction(e -> withSelected(model::download));
        cancelButton.setOnAction(e -> withSelected(model::cancel));
        resumeButton.setOnAction(e -> withSelected(model::resume));
        deleteButton.setOnAction(e -> withSelected(this::confirmDelete));
        useButton.setOnAction(e -> withSelected(model::use));
        addLocalButton.setOnAction(e -> chooseLocal());
        useButton.setDefaultButton(true);
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox buttons = new HBox(6, downloadButton, cancelButton, resumeButton, deleteButton, gap, addLocalButton, useButton);
        buttons.setAlignment(Pos.CENTER_LEFT);
        message.setId("modelManagerMessage");
        message.setWrapText(true);
        message.setMinHeight(36);
        message.setMaxWidth(Double.MAX_VALUE);
        VBox box = new VBox(6, buttons, message);
        box.setPadding(new Insets(8, 0, 0, 0));
        return box;
    }

    private void bind() {
        dirField.setText(String.valueOf(model.modelsDir()));
        model.modelsDirProperty().addListener((o, a, dir) -> dirField.setText(String.valueOf(dir)));
        dirButton.disableProperty().bind(model.busyProperty());
        dirDefaultButton.disableProperty().bind(model.busyProperty());
        dirField.disableProperty().bind(model.busyProperty());
        showMessage(model.messageProperty().get());
        model.messageProperty().addListener((o, a, m) -> showMessage(m));
        table.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> updateButtons());
        model.rows().forEach(this::watch);
        model.rows().addListener((javafx.collections.ListChangeListener<ModelManagerViewModel.Row>) c -> {
            while (c.next()) {
                c.getAddedSubList().forEach(this::watch); // named models registered while the window is open
            }
            updateButtons();
        });
        if (!model.rows().isEmpty()) {
            table.getSelectionModel().select(0);
        }
        updateButtons();
    }

    private void watch(ModelManagerViewModel.Row row) {
        row.statusProperty().addListener((Observable o) -> updateButtons());
        row.localProperty().addListener((Observable o) -> updateButtons());
        row.progressTextProperty().addListener((Observable o) -> updateButtons()); // "cancelling…"
    }

    private void showMessage(UserMessage m) {
        message.setText(m == null ? "" : m.text());
        message.setStyle(m != null && m.isProblem() ? "-fx-text-fill: #ff6f61;" : "");
    }

    private void updateButtons() {
        ModelManagerViewModel.Row row = table.getSelectionModel().getSelectedItem();
        downloadButton.setDisable(row == null || !row.canDownload());
        cancelButton.setDisable(row == null || !row.canCancel());
        resumeButton.setDisable(row == null || !row.canResume());
        deleteButton.setDisable(row == null || !row.canDelete());
        useButton.setDisable(row == null || !row.canUse());
    }

    private void withSelected(java.util.function.Consumer<ModelManagerViewModel.Row> action) {
        ModelManagerViewModel.Row row = table.getSelectionModel().getSelectedItem();
        if (row != null) {
            action.accept(row);
            updateButtons();
        }
    }

    private void confirmDelete(ModelManagerViewModel.Row row) {
        Alert confirm = new Alert(Alert.AlertType.CONFIRMATION);
        confirm.setTitle("Delete model");
        confirm.setHeaderText(row.localProperty().get() ? "Forget " + row.id() + "?" : "Delete " + row.id() + "?");
        confirm.setContentText(row.localProperty().get()
                ? "The file " + row.fileProperty().get() + " stays where it is; the list forgets it."
                : "This deletes " + ModelManagerViewModel.bytes(row.diskUseProperty().get()) + " from " + model.modelsDir()
                        + ". It can be downloaded again.");
        confirm.initOwner(root.getScene() == null ? null : root.getScene().getWindow());
        confirm.showAndWait().filter(b -> b == ButtonType.OK).ifPresent(b -> model.delete(row));
    }

    private void chooseLocal() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Add a SAM, RobustSAM or MobileSAM checkpoint");
        chooser.getExtensionFilters().addAll(
                new FileChooser.ExtensionFilter("Checkpoints", "*.pth", "*.pt", "*.safetensors", "*.bin"),
                new FileChooser.ExtensionFilter("All files", "*"));
        File chosen = chooser.showOpenDialog(root.getScene() == null ? null : root.getScene().getWindow());
        if (chosen != null) {
            model.addLocal(chosen.toPath());
        }
    }

    private void chooseFolder() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("Folder for downloaded models");
        File current = model.modelsDir() == null ? null : model.modelsDir().toFile();
        if (current != null && current.isDirectory()) {
            chooser.setInitialDirectory(current);
        }
        File chosen = chooser.showDialog(root.getScene() == null ? null : root.getScene().getWindow());
        if (chosen != null) {
            model.setModelsDir(chosen.toPath());
        }
    }

    // ---- the app's single Model Manager ---------------------------------------------------------

    /** What the app gives the dialog: its live settings (the models folder is saved there) and how to save them. */
    private record AppContext(AppSettings settings, Runnable save) {}

    /**
     * Lets the Model Manager of this main window remember the models folder in the app's own
     * settings object, which the app saves (so a later save of the app does not undo the choice).
     */
    public static void attach(Window mainWindow, AppSettings settings, Runnable saveSettings) {
        mainWindow.getProperties().put(AppContext.class, new AppContext(settings, saveSettings));
        // A dialog left on this window by an earlier app session would load models into that
        // session's view models and show its folder: a new session starts with a new dialog.
        if (mainWindow.getProperties().remove(ModelManagerDialog.class) instanceof ModelManagerDialog old) {
            if (old.stage != null) {
                old.stage.hide();
            }
            old.model.close();
        }
    }

    /** Whether to offer the Model Manager at a start without any model ({@value #OFFER_PROPERTY}, default true). */
    public static boolean offerAtStart() {
        return !"false".equalsIgnoreCase(System.getProperty(OFFER_PROPERTY, "true"));
    }

    /**
     * Opens the Model Manager of this main window (one per window: downloads go on while it is
     * closed, and it shows them when opened again). Use loads the model into {@code segmentation}.
     */
    public static ModelManagerDialog open(Window mainWindow, SegmentationViewModel segmentation) {
        Object existing = mainWindow == null ? null : mainWindow.getProperties().get(ModelManagerDialog.class);
        if (existing instanceof ModelManagerDialog dialog) {
            dialog.show(mainWindow);
            return dialog;
        }
        ModelManagerViewModel vm = new ModelManagerViewModel(ModelStore.defaultDir());
        vm.setOnUse(file -> segmentation.loadModel(file, null));
        Object ctx = mainWindow == null ? null : mainWindow.getProperties().get(AppContext.class);
        vm.setOnModelsDirChanged(dir -> rememberModelsDir(dir, ctx instanceof AppContext c ? c : null));
        ModelManagerDialog dialog = new ModelManagerDialog(vm);
        if (mainWindow != null) {
            mainWindow.getProperties().put(ModelManagerDialog.class, dialog);
            mainWindow.addEventHandler(javafx.stage.WindowEvent.WINDOW_HIDDEN, e -> vm.close());
        }
        dialog.show(mainWindow);
        return dialog;
    }

    /**
     * Saves the chosen folder: in the app's settings when attached (else straight into the settings
     * file), and for this run as {@code studio.models.dir} when that property set the folder at start.
     */
    static void rememberModelsDir(Path dir, AppContext ctx) {
        String value = dir.equals(ModelStore.perUserDir().toAbsolutePath().normalize()) ? null : dir.toString();
        if (System.getProperty("studio.models.dir") != null) {
            System.setProperty("studio.models.dir", dir.toString());
        }
        if (ctx != null) {
            ctx.settings().modelsDir = value;
            ctx.save().run();
            return;
        }
        Path file = AppSettings.defaultFile();
        AppSettings settings = AppSettings.load(file);
        settings.modelsDir = value;
        try {
            settings.save(file);
        } catch (IOException e) {
            System.err.println("Could not save the models folder to " + file + ": " + e.getMessage());
        }
    }
}
