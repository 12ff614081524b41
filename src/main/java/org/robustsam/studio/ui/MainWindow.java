package org.robustsam.studio.ui;

import java.io.File;
import java.nio.file.Path;
import javafx.beans.binding.Bindings;
import javafx.geometry.Orientation;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.Separator;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextField;
import javafx.scene.control.TextInputControl;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import org.controlsfx.control.NotificationPane;
import org.controlsfx.control.StatusBar;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignC;
import org.kordamp.ikonli.materialdesign2.MaterialDesignF;
import org.kordamp.ikonli.materialdesign2.MaterialDesignI;
import org.kordamp.ikonli.materialdesign2.MaterialDesignM;
import org.robustsam.studio.annotate.format.ImportFormat;
import org.robustsam.studio.image.RgbImage;

/**
 * The main window's layout: menu and toolbar on top, the photo list on the left, the canvas in the
 * middle, a status bar below. Behaviour lives in {@link MainViewModel}; this class only wires nodes.
 */
public final class MainWindow {
    private final MainViewModel model;
    private final SegmentationViewModel segmentation;
    private final AnnotationViewModel annotation;
    private final ImportViewModel imports;
    /** Asks for files and folders; tests put their own answers here instead of a native dialog. */
    private PathChooser chooser = PathChooser.platform();
    private final ModelAutoSwitch autoSwitch;
    private final PromptInteraction prompts;
    private MaskEditInteraction maskEdit;
    private javafx.scene.control.Tab degradeTab;
    private ObjectsPainter objectsPainter;
    /** True while the prompt refines the selected object (R) instead of making a new one. */
    private boolean refining;
    private final DegradationPanel degradationPanel = new DegradationPanel();
    /** A clicked degradation thumbnail shown full size, until the photo or working view changes. */
    private final javafx.beans.property.ObjectProperty<javafx.scene.image.Image> preview =
            new javafx.beans.property.SimpleObjectProperty<>(this, "preview");
    private final BorderPane root = new BorderPane();
    private final ImageCanvas canvas = new ImageCanvas();
    private final ListView<PhotoItem> photoList = new ListView<>();
    private final TextField folderField = new TextField();
    private final NotificationPane notifications;
    private final StatusBar statusBar = new StatusBar();

    public MainWindow(MainViewModel model, SegmentationViewModel segmentation, AnnotationViewModel annotation,
                      ModelAutoSwitch autoSwitch) {
        this.model = model;
        this.segmentation = segmentation;
        this.annotation = annotation;
        this.imports = new ImportViewModel(annotation);
        this.autoSwitch = autoSwitch;
        canvas.setId("imageCanvas");
        photoList.setId("photoList");
        folderField.setId("folderField");
        statusBar.setId("statusBar");

        notifications = new NotificationPane(canvas);
        notifications.setId("notifications");
        notifications.setShowFromTop(true);

        javafx.scene.control.ChoiceBox<MainViewModel.PhotoOrder> order = new javafx.scene.control.ChoiceBox<>(
                javafx.collections.FXCollections.observableArrayList(MainViewModel.PhotoOrder.values()));
        order.setId("photoOrder");
        order.setMaxWidth(Double.MAX_VALUE);
        order.setTooltip(new Tooltip("Order of the photo list; the badge is the advisor's quality in percent (100 = clean)"));
        order.valueProperty().bindBidirectional(model.orderProperty());
        VBox left = new VBox(4, folderField, order, photoList);
        left.getStyleClass().add("photo-panel");
        VBox.setVgrow(photoList, Priority.ALWAYS);
        javafx.scene.control.Tab objectsTab = new javafx.scene.control.Tab("Objects", new ObjectsPanel(annotation));
        javafx.scene.control.Tab degradeTab = new javafx.scene.control.Tab("Degradations", degradationPanel);
        javafx.scene.control.Tab qualityTab = new javafx.scene.control.Tab("Quality",
                new QualityPanel(model.displayedQualityProperty(), autoSwitch));
        objectsTab.setClosable(false);
        degradeTab.setClosable(false);
        qualityTab.setClosable(false);
        degradeTab.setId("degradationsTab");
        qualityTab.setId("qualityTab");
        this.degradeTab = degradeTab;
        javafx.scene.control.TabPane right = new javafx.scene.control.TabPane(objectsTab, degradeTab, qualityTab);
        right.setId("rightTabs");
        right.setMinWidth(220);
        SplitPane split = new SplitPane(left, notifications, right);
        split.setOrientation(Orientation.HORIZONTAL);
        split.setDividerPositions(0.18, 0.74);
        SplitPane.setResizableWithParent(left, false);
        SplitPane.setResizableWithParent(right, false);

        root.setTop(new VBox(buildMenu(), buildToolbar()));
        root.setCenter(split);
        root.setBottom(statusBar);
        root.getStyleClass().add("studio-root");

        prompts = new PromptInteraction(canvas, segmentation::addPoint, segmentation::setBox);
        bindPhotoList();
        bindFolderField();
        bindCanvas();
        bindSegmentation();
        bindAnnotation();
        bindDegradations();
        bindStatusBar();
        installKeys();
        installDragAndDrop();
    }

    public BorderPane root() {
        return root;
    }

    public ImageCanvas canvas() {
        return canvas;
    }

    /** Replaces the file and folder dialogs (tests answer with a path instead of a native dialog). */
    void setPathChooser(PathChooser chooser) {
        this.chooser = chooser;
    }

    ImportViewModel imports() {
        return imports;
    }

    private MenuBar buildMenu() {
        MenuItem open = item("Open Folder…", "Shortcut+O", this::chooseFolder);
        open.setId("menuOpenFolder");
        MenuItem quit = item("Quit", "Shortcut+Q", () -> {
            Window w = root.getScene() == null ? null : root.getScene().getWindow();
            if (w != null) {
                w.hide();
            }
        });
        Menu export = new Menu("_Export", null,
                item("COCO Instances…", null, () -> exportTo("coco")),
                item("YOLO-seg…", null, () -> exportTo("yolo")),
                item("Pascal VOC Masks…", null, () -> exportTo("voc")),
                item("LabelMe JSON…", null, () -> exportTo("labelme")));
        MenuItem importLabelMe = item("_LabelMe Folder…", "Shortcut+I", () -> importFrom(ImportFormat.LABELME));
        importLabelMe.setId("menuImportLabelMe");
        MenuItem importCoco = item("_COCO File…", "Shortcut+Shift+I", () -> importFrom(ImportFormat.COCO));
        importCoco.setId("menuImportCoco");
        MenuItem importVoc = item("_VOC Folder…", "Shortcut+Alt+I", () -> importFrom(ImportFormat.VOC));
        importVoc.setId("menuImportVoc");
        for (MenuItem i : new MenuItem[] {importLabelMe, importCoco, importVoc}) {
            i.disableProperty().bind(imports.runningProperty());
        }
        Menu importMenu = new Menu("_Import", null, importLabelMe, importCoco, importVoc);
        importMenu.setId("menuImport");
        Menu file = new Menu("_File", null, open, importMenu, export, new SeparatorMenuItem(), quit);
        MenuItem undoItem = item("Undo", "Shortcut+Z", annotation::undo);
        undoItem.disableProperty().bind(annotation.canUndoProperty().not());
        MenuItem redoItem = item("Redo", "Shortcut+Y", annotation::redo);
        redoItem.disableProperty().bind(annotation.canRedoProperty().not());
        Menu edit = new Menu("_Edit", null, undoItem, redoItem, new SeparatorMenuItem(),
                // Plain keys are handled by the window's key filter (so typing in fields is safe); shown here for discovery.
                item("Accept Mask  (Enter)", null, this::acceptMask),
                item("Clear Prompt  (Esc)", null, segmentation::clearPrompt),
                item("Next Candidate Mask  (Tab)", null, segmentation::nextCandidate),
                item("Delete Selected Object  (Delete)", null, annotation::deleteSelected),
                new SeparatorMenuItem(),
                item("Mark Photo Done", "Shortcut+D", () -> annotation.setStatus(org.robustsam.studio.annotate.project.ImageStatus.DONE)),
                item("Skip Photo", "Shortcut+K", () -> annotation.setStatus(org.robustsam.studio.annotate.project.ImageStatus.SKIPPED)));
        Menu view = new Menu("_View", null,
                item("Fit to Window", "Shortcut+0", canvas::fitToWindow),
                item("Actual Size (100%)", "Shortcut+1", canvas::actualSize),
                item("Zoom In", "Shortcut+EQUALS", () -> canvas.zoomBy(1.25)),
                item("Zoom Out", "Shortcut+MINUS", () -> canvas.zoomBy(0.8)),
                new SeparatorMenuItem(),
                item("Working View: Original Photo", "Shortcut+Shift+O", () -> model.workingViewProperty().set(null)),
                polygonToggle());
        MenuItem openModel = item("Open Checkpoint…", "Shortcut+M", this::chooseCheckpoint);
        openModel.setId("menuOpenCheckpoint");
        MenuItem modelManager = item("Model Manager…", null,
                () -> ModelManagerDialog.open(root.getScene() == null ? null : root.getScene().getWindow(), segmentation));
        modelManager.setId("menuModelManager");
        Menu modelMenu = new Menu("_Model", null, openModel, modelManager);
        modelMenu.setId("menuModel");
        // Rebuilt each time it opens, so models downloaded or added meanwhile appear.
        modelMenu.setOnShowing(e -> {
            modelMenu.getItems().setAll(openModel, modelManager, new SeparatorMenuItem());
            var store = new org.robustsam.studio.model.manager.ModelStore(org.robustsam.studio.model.manager.ModelStore.defaultDir());
            javafx.scene.control.ToggleGroup group = new javafx.scene.control.ToggleGroup();
            for (var entry : org.robustsam.studio.model.registry.ModelRegistry.bundled().models()) {
                var state = store.stateOf(entry);
                javafx.scene.control.RadioMenuItem mi = new javafx.scene.control.RadioMenuItem(
                        entry.family() + " " + entry.size() + (state == org.robustsam.studio.model.manager.ModelState.READY ? "" : "  (" + state.name().toLowerCase().replace('_', ' ') + ")"));
                mi.setToggleGroup(group);
                Path modelFile = store.fileOf(entry);
                mi.setSelected(modelFile.equals(segmentation.checkpointProperty().get()));
                mi.setDisable(state != org.robustsam.studio.model.manager.ModelState.READY);
                mi.setOnAction(a -> segmentation.loadModel(modelFile, null));
                modelMenu.getItems().add(mi);
            }
            // Fine-tuned models (and any checkpoint registered under a name of its own) follow the registry's.
            var named = store.namedModels();
            if (!named.isEmpty()) {
                modelMenu.getItems().add(new SeparatorMenuItem());
            }
            for (var m : named) {
                boolean ready = store.stateOf(m.entry()) == org.robustsam.studio.model.manager.ModelState.READY;
                javafx.scene.control.RadioMenuItem mi = new javafx.scene.control.RadioMenuItem(
                        m.name() + "  (" + m.family() + " " + m.size() + (ready ? "" : ", file missing") + ")");
                mi.setId("menuNamedModel");
                mi.setUserData(m);
                mi.setToggleGroup(group);
                mi.setSelected(m.path().equals(segmentation.checkpointProperty().get()));
                mi.setDisable(!ready);
                mi.setOnAction(a -> segmentation.loadModel(m.path(), null));
                modelMenu.getItems().add(mi);
            }
        });
        MenuItem compare = item("Compare Two Models on This Photo…", "Shortcut+Shift+C", this::openCompare);
        compare.setId("menuCompare");
        MenuItem evaluate = item("Evaluate This Folder…", "Shortcut+Shift+E", this::openEvaluation);
        evaluate.setId("menuEvaluate");
        MenuItem jobs = item("Fine-tuning Jobs…", "Shortcut+Shift+J", this::openJobs);
        jobs.setId("menuJobs");
        Menu tools = new Menu("_Tools", null, compare, evaluate, jobs);
        Menu go = new Menu("_Go", null,
                item("Next Photo", "PAGE_DOWN", model::next),
                item("Previous Photo", "PAGE_UP", model::previous));
        Menu help = new Menu("_Help", null, item("Keyboard Shortcuts", "F1", this::showShortcuts),
                item("About RobustSAM Studio", null, this::showAbout));
        MenuBar bar = new MenuBar(file, edit, view, modelMenu, tools, go, help);
        bar.setId("menuBar");
        return bar;
    }

    private MenuItem polygonToggle() {
        javafx.scene.control.CheckMenuItem show = new javafx.scene.control.CheckMenuItem("Show Object Polygons");
        show.setId("menuShowPolygons");
        show.setAccelerator(KeyCombination.keyCombination("Shortcut+G"));
        show.selectedProperty().addListener((o, a, on) -> {
            objectsPainter.setShowPolygons(on);
            canvas.repaintOverlay();
        });
        return show;
    }

    private static MenuItem item(String text, String accelerator, Runnable action) {
        MenuItem item = new MenuItem(text);
        if (accelerator != null) {
            item.setAccelerator(KeyCombination.keyCombination(accelerator));
        }
        item.setOnAction(e -> action.run());
        return item;
    }

    private ToolBar buildToolbar() {
        ToolBar bar = new ToolBar(
                button("openFolderButton", MaterialDesignF.FOLDER_OPEN, "Open folder (Ctrl+O)", this::chooseFolder),
                new Separator(),
                button("previousButton", MaterialDesignC.CHEVRON_LEFT, "Previous photo (PgUp, ←)", model::previous),
                button("nextButton", MaterialDesignC.CHEVRON_RIGHT, "Next photo (PgDn, →)", model::next),
                new Separator(),
                button("zoomInButton", MaterialDesignM.MAGNIFY_PLUS_OUTLINE, "Zoom in (Ctrl+=)", () -> canvas.zoomBy(1.25)),
                button("zoomOutButton", MaterialDesignM.MAGNIFY_MINUS_OUTLINE, "Zoom out (Ctrl+-)", () -> canvas.zoomBy(0.8)),
                button("fitButton", MaterialDesignF.FIT_TO_PAGE_OUTLINE, "Fit to window (Ctrl+0)", canvas::fitToWindow),
                button("actualSizeButton", MaterialDesignI.IMAGE_SIZE_SELECT_ACTUAL, "Actual size (Ctrl+1)", canvas::actualSize),
                new Separator(),
                promptTool = toolToggle("promptTool", MaterialDesignC.CURSOR_DEFAULT_CLICK, "Prompt: click, right-click, drag a box (P)",
                        MaskEditInteraction.Mode.OFF),
                brushTool = toolToggle("brushTool", org.kordamp.ikonli.materialdesign2.MaterialDesignB.BRUSH,
                        "Brush: paint onto the selected object (B; [ and ] change the size)", MaskEditInteraction.Mode.BRUSH),
                eraserTool = toolToggle("eraserTool", org.kordamp.ikonli.materialdesign2.MaterialDesignE.ERASER,
                        "Eraser: remove from the selected object (E)", MaskEditInteraction.Mode.ERASER));
        promptTool.setSelected(true);
        bar.setId("toolbar");
        return bar;
    }

    private javafx.scene.control.ToggleButton promptTool;
    private javafx.scene.control.ToggleButton brushTool;
    private javafx.scene.control.ToggleButton eraserTool;

    private javafx.scene.control.ToggleButton toolToggle(String id, Ikon ikon, String tip, MaskEditInteraction.Mode mode) {
        javafx.scene.control.ToggleButton b = new javafx.scene.control.ToggleButton(null, Icons.toolbar(ikon));
        b.setId(id);
        b.setTooltip(new Tooltip(tip));
        b.setFocusTraversable(false);
        b.setOnAction(e -> setTool(mode));
        return b;
    }

    private static Button button(String id, Ikon ikon, String tip, Runnable action) {
        Button b = new Button(null, Icons.toolbar(ikon));
        b.setId(id);
        b.setTooltip(new Tooltip(tip));
        b.setOnAction(e -> action.run());
        b.setFocusTraversable(false);
        return b;
    }

    private void bindPhotoList() {
        photoList.setItems(model.photos());
        photoList.setCellFactory(list -> new PhotoListCell());
        photoList.getSelectionModel().selectedIndexProperty().addListener((obs, old, idx) -> {
            if (idx.intValue() >= 0) {
                model.selectedIndexProperty().set(idx.intValue());
            }
        });
        model.selectedIndexProperty().addListener((obs, old, idx) -> {
            int i = idx.intValue();
            if (i >= 0 && photoList.getSelectionModel().getSelectedIndex() != i) {
                photoList.getSelectionModel().select(i);
                photoList.scrollTo(Math.max(0, i - 3));
            }
        });
    }

    private void bindFolderField() {
        folderField.setPromptText("Folder path — type or paste, then Enter");
        folderField.setOnAction(e -> {
            String text = folderField.getText().trim();
            if (!text.isEmpty()) {
                model.openFolder(Path.of(text));
            }
        });
        model.folderProperty().addListener((obs, o, folder) -> folderField.setText(folder == null ? "" : folder.toString()));
    }

    private void bindCanvas() {
        canvas.imageProperty().bind(Bindings.createObjectBinding(
                () -> preview.get() != null ? preview.get() : model.displayedFxImageProperty().get(),
                preview, model.displayedFxImageProperty()));
        canvas.placeholderProperty().bind(Bindings.createStringBinding(() -> {
            String problem = model.currentProblemProperty().get();
            if (problem != null) {
                return problem;
            }
            return model.photos().isEmpty() ? "Open a folder of photos (Ctrl+O)" : "Loading…";
        }, model.currentProblemProperty(), model.photos()));
        model.messageProperty().addListener((obs, o, msg) -> {
            if (msg != null && msg.isProblem()) {
                notifications.show(msg.text());
            } else {
                notifications.hide();
            }
        });
    }

    private void bindSegmentation() {
        maskEdit = new MaskEditInteraction(canvas, () -> {
            var sel = annotation.selectedObjectProperty().get();
            return sel == null ? null : sel.mask().decode();
        }, annotation::editSelectedMask);
        objectsPainter = new ObjectsPainter(annotation, maskEdit::workingMask);
        canvas.addOverlayPainter(objectsPainter);
        canvas.addOverlayPainter(new MaskOverlayPainter(() -> {
            byte[] mask = segmentation.selectedMask();
            var p = segmentation.predictionProperty().get();
            return mask == null ? null : shownMask(p.width(), p.height(), mask);
        }));
        canvas.addOverlayPainter(new PromptPainter(segmentation.promptProperty()::get));
        segmentation.promptProperty().addListener((o, a, b) -> canvas.repaintOverlay());
        segmentation.predictionProperty().addListener((o, a, b) -> canvas.repaintOverlay());
        segmentation.candidateProperty().addListener((o, a, b) -> canvas.repaintOverlay());
        segmentation.problemProperty().addListener((o, a, text) -> {
            if (text != null) {
                notifications.show(text);
            }
        });
        model.displayedImageProperty().addListener((obs, old, rgb) -> {
            var entry = model.selectedEntry();
            if (rgb == null || entry == null) {
                segmentation.showImage(null, java.util.List.of());
                return;
            }
            // The advisor's verdict on what prompts will run on picks the model first (when switching is on).
            autoSwitch.apply(model.displayedQualityProperty().get(), false);
            segmentation.showImage(org.robustsam.studio.inference.ImageSource.ofImage(model.displayedId(), rgb),
                    model.upcoming(2).stream()
                            .map(e -> org.robustsam.studio.inference.ImageSource.ofFile(e.path(), model.imageLoader()))
                            .toList());
        });
    }

    private void bindAnnotation() {
        model.folderProperty().addListener((obs, o, folder) -> {
            if (folder != null) {
                annotation.openFolder(folder);
            }
        });
        model.currentImageProperty().addListener((obs, o, rgb) -> {
            var entry = model.selectedEntry();
            annotation.showImage(rgb == null || entry == null ? null : entry.fileName());
            refining = false;
            setTool(MaskEditInteraction.Mode.OFF);
        });
        annotation.objects().addListener((javafx.collections.ListChangeListener<Object>) c -> canvas.repaintOverlay());
        annotation.hiddenIds().addListener((javafx.collections.ListChangeListener<Object>) c -> canvas.repaintOverlay());
        annotation.selectedObjectProperty().addListener((o, a, b) -> canvas.repaintOverlay());
        annotation.messageProperty().addListener((o, a, msg) -> {
            if (msg != null && msg.isProblem()) {
                notifications.show(msg.text());
            }
        });
        imports.messageProperty().addListener((o, a, msg) -> {
            if (msg != null) {
                notifications.show(msg.text()); // the summary too: the user needs to see what came in and what was skipped
            }
        });
        annotation.recoveryProperty().addListener((o, a, report) -> {
            if (report != null) {
                offerRecovery(report);
            }
        });
    }

    private void bindDegradations() {
        // Previews are computed only while the tab is shown: 15 degradations per photo would
        // otherwise compete with the encoder for the CPU on every photo change.
        model.currentImageProperty().addListener((o, a, img) -> {
            preview.set(null);
            if (degradeTab.isSelected()) {
                degradationPanel.setSourceImage(img);
            }
        });
        degradeTab.selectedProperty().addListener((o, a, shown) -> degradationPanel.setSourceImage(
                shown ? model.currentImageProperty().get() : null));
        model.workingViewProperty().addListener((o, a, v) -> preview.set(null));
        degradationPanel.setOnFullSizeImage(p -> preview.set(FxImages.toFx(p.image())));
        degradationPanel.setOnApplyAsWorkingView(choice -> {
            preview.set(null);
            model.workingViewProperty().set(choice);
        });
    }

    private Window window() {
        return root.getScene() == null ? null : root.getScene().getWindow();
    }

    /** SAM vs RobustSAM (or any two models) side by side on the photo on screen. */
    private void openCompare() {
        var img = model.displayedImageProperty().get();
        var entry = model.selectedEntry();
        if (img == null || entry == null) {
            notifications.show("Open a photo first: the comparison runs on the photo on screen");
            return;
        }
        CompareView.open(window(), img, entry.path(), java.util.List.copyOf(annotation.objects()), segmentation.cache());
    }

    private javafx.stage.Stage jobsStage;

    /** The fine-tuning jobs window: one per app, kept while jobs run in their own processes. */
    private void openJobs() {
        if (jobsStage == null) {
            jobsStage = new javafx.stage.Stage();
            jobsStage.setTitle("Fine-tuning jobs");
            jobsStage.initOwner(window());
            JobsPanel panel = new JobsPanel();
            panel.model().setOnUse(file -> segmentation.loadModel(file, null)); // "Use this model" after a job
            javafx.scene.Scene scene = new javafx.scene.Scene(panel, 900, 600);
            scene.getStylesheets().addAll(root.getScene() == null ? java.util.List.of() : root.getScene().getStylesheets());
            jobsStage.setScene(scene);
        }
        jobsStage.show();
        jobsStage.toFront();
    }

    /** The paper's evaluation on the open folder's annotated photos. */
    private void openEvaluation() {
        Path folder = model.folderProperty().get();
        if (folder == null) {
            notifications.show("Open a folder with annotations (LabelMe json beside the photos) first");
            return;
        }
        java.util.List<String> models = new java.util.ArrayList<>();
        var store = new org.robustsam.studio.model.manager.ModelStore(org.robustsam.studio.model.manager.ModelStore.defaultDir());
        for (var entry : org.robustsam.studio.model.registry.ModelRegistry.bundled().models()) {
            if (store.stateOf(entry) == org.robustsam.studio.model.manager.ModelState.READY) {
                models.add(store.fileOf(entry).toString());
            }
        }
        for (var m : store.namedModels()) { // fine-tuned models, to see what the tuning did on this folder
            if (store.stateOf(m.entry()) == org.robustsam.studio.model.manager.ModelState.READY) {
                models.add(m.file());
            }
        }
        Path loaded = segmentation.checkpointProperty().get();
        if (loaded != null && !models.contains(loaded.toString())) {
            models.add(0, loaded.toString());
        }
        EvalDialog.open(window(), folder, models);
    }

    /** P: prompts; B: brush; E: eraser (both edit the selected object). */
    void setTool(MaskEditInteraction.Mode mode) {
        if (mode != MaskEditInteraction.Mode.OFF && annotation.selectedObjectProperty().get() == null) {
            notifications.show("Select an object in the list first: the brush and eraser edit the selected object");
            return;
        }
        maskEdit.setMode(mode);
        prompts.setEnabled(mode == MaskEditInteraction.Mode.OFF);
        canvas.setPanToolActive(false);
        if (promptTool != null) {
            promptTool.setSelected(mode == MaskEditInteraction.Mode.OFF);
            brushTool.setSelected(mode == MaskEditInteraction.Mode.BRUSH);
            eraserTool.setSelected(mode == MaskEditInteraction.Mode.ERASER);
        }
    }

    /** R: the selected object's own prompts become the current prompt; more clicks refine it, Enter updates it. */
    private void refineSelected() {
        var sel = annotation.selectedObjectProperty().get();
        if (sel == null) {
            notifications.show("Select an object in the list first to refine it with more clicks");
            return;
        }
        setTool(MaskEditInteraction.Mode.OFF);
        java.util.List<org.robustsam.studio.inference.Prompt.Point> points = new java.util.ArrayList<>();
        org.robustsam.studio.inference.Prompt.Box box = null;
        if (sel.prompts() != null) {
            sel.prompts().points().forEach(p -> points.add(new org.robustsam.studio.inference.Prompt.Point(p.x(), p.y(), p.positive())));
            var b = sel.prompts().box();
            box = b == null ? null : new org.robustsam.studio.inference.Prompt.Box(b.x0(), b.y0(), b.x1(), b.y1());
        }
        segmentation.promptProperty().set(new org.robustsam.studio.inference.Prompt(points, box, null));
        refining = true;
    }

    /** Enter: the chosen candidate becomes an object with the active label (or updates the refined one). */
    private void acceptMask() {
        var p = segmentation.predictionProperty().get();
        byte[] mask = segmentation.selectedMask();
        if (p == null || mask == null) {
            return;
        }
        int c = Math.min(segmentation.candidateProperty().get(), p.count() - 1);
        String modelId = segmentation.segmenter() == null ? null : segmentation.segmenter().modelId();
        var accepted = refining && annotation.selectedObjectProperty().get() != null
                ? annotation.refineSelected(p.width(), p.height(), mask, segmentation.promptProperty().get(), modelId, p.iouScores()[c])
                : annotation.accept(p.width(), p.height(), mask, segmentation.promptProperty().get(), modelId, p.iouScores()[c]);
        if (accepted != null) {
            refining = false;
            segmentation.clearPrompt();
        }
    }

    /**
     * Offers to restore after a crash. Not modal-blocking (show, not showAndWait): it is raised while
     * a folder opens, and the answer goes back to the view-model, which clears the dead session's
     * lock so the offer is made once.
     */
    private void offerRecovery(org.robustsam.studio.annotate.project.Recovery.Report report) {
        var best = report.best();
        javafx.scene.control.Alert alert = new javafx.scene.control.Alert(javafx.scene.control.Alert.AlertType.CONFIRMATION);
        alert.setTitle("Recover annotations?");
        alert.setHeaderText(report.crashed() ? "The last session in this folder did not close normally."
                : "The project file in this folder cannot be read.");
        alert.setContentText(report.describe());
        alert.getDialogPane().setId("recoveryDialog");
        javafx.scene.control.ButtonType restore = new javafx.scene.control.ButtonType("Restore newest copy");
        javafx.scene.control.ButtonType keep = new javafx.scene.control.ButtonType("Keep current",
                javafx.scene.control.ButtonBar.ButtonData.CANCEL_CLOSE);
        alert.getButtonTypes().setAll(best.isPresent() ? new javafx.scene.control.ButtonType[] {restore, keep}
                : new javafx.scene.control.ButtonType[] {keep});
        alert.initOwner(window());
        alert.setOnHidden(e -> {
            if (annotation.recoveryProperty().get() != report) {
                return; // another folder was opened meanwhile
            }
            if (alert.getResult() == restore && best.isPresent()) {
                annotation.restoreFromRecovery(best.get());
            } else {
                annotation.dismissRecovery();
            }
        });
        alert.show();
    }

    private void exportTo(String format) {
        if (annotation.project() == null) {
            notifications.show("Open a folder first: exports are made from its annotations");
            return;
        }
        Path out = chooser.choose(PathChooser.Request.folder("Export " + format + " to folder", null), window());
        if (out == null) {
            return;
        }
        annotation.flush();
        var project = annotation.project();
        var snapshot = project.snapshot();
        Thread t = new Thread(() -> {
            try {
                Path dir = out;
                var summary = switch (format) {
                    case "coco" -> org.robustsam.studio.annotate.format.CocoExporter.export(snapshot, dir.resolve("instances.json"),
                            org.robustsam.studio.annotate.format.CocoExporter.Segmentation.POLYGON, 0.5);
                    case "yolo" -> org.robustsam.studio.annotate.format.YoloSegExporter.export(snapshot, dir, 0.5);
                    case "voc" -> org.robustsam.studio.annotate.format.VocExporter.export(snapshot, dir);
                    default -> org.robustsam.studio.annotate.format.LabelMeExporter.export(snapshot, project.folder(), dir, 0.5);
                };
                javafx.application.Platform.runLater(() -> notifications.show("Exported " + format + " to " + dir + ": " + summary));
            } catch (java.io.IOException | RuntimeException e) {
                javafx.application.Platform.runLater(() -> notifications.show("Export failed: " + e.getMessage()));
            }
        }, "export");
        t.setDaemon(true);
        t.start();
    }

    private void showShortcuts() {
        javafx.scene.control.Alert sheet = new javafx.scene.control.Alert(javafx.scene.control.Alert.AlertType.INFORMATION);
        sheet.setTitle("Keyboard shortcuts");
        sheet.setHeaderText("Keyboard shortcuts");
        sheet.setContentText(String.join("\n",
                "Left click: point inside the object      Right click / Shift+click: point outside",
                "Drag: box      Middle drag or Space+drag: pan      Wheel: zoom",
                "Enter: accept mask      Esc: clear prompt      Tab: next candidate mask",
                "1–9: choose label (relabels the selected object)      Delete: delete selected object",
                "R: refine the selected object with more clicks      B / E: brush / eraser on it ([ ] size)      P: prompt tool",
                "Ctrl+G: show object polygons",
                "Ctrl+Z / Ctrl+Y: undo / redo      Ctrl+D: photo done      Ctrl+K: skip photo",
                "→ / PgDn: next photo      ← / PgUp: previous photo",
                "Ctrl+0 or F: fit      Ctrl+1: 100%      Ctrl+Shift+O: back to the original photo",
                "Ctrl+O: open folder      Ctrl+M: open checkpoint      F1: this sheet",
                "Ctrl+I / Ctrl+Shift+I / Ctrl+Alt+I: import a LabelMe folder / a COCO file / a VOC folder (one undo step)"));
        sheet.initOwner(root.getScene() == null ? null : root.getScene().getWindow());
        sheet.show();
    }

    private MaskOverlayPainter.Shown lastShown;

    /** Reuses the shown-mask record while the mask is the same array, so the overlay image is not rebuilt. */
    private MaskOverlayPainter.Shown shownMask(int w, int h, byte[] mask) {
        if (lastShown == null || lastShown.mask() != mask) {
            lastShown = new MaskOverlayPainter.Shown(w, h, mask, javafx.scene.paint.Color.web("#1e90ff"));
        }
        return lastShown;
    }

    private void chooseCheckpoint() {
        Path chosen = chooser.choose(PathChooser.Request.file("Open a SAM, RobustSAM or MobileSAM checkpoint", null,
                new javafx.stage.FileChooser.ExtensionFilter("Checkpoints", "*.pth", "*.pt", "*.safetensors", "*.bin"),
                new javafx.stage.FileChooser.ExtensionFilter("All files", "*")), window());
        if (chosen != null) {
            segmentation.loadModel(chosen, null);
        }
    }

    private void bindStatusBar() {
        statusBar.textProperty().bind(Bindings.createStringBinding(
                () -> model.messageProperty().get() == null ? "" : model.messageProperty().get().text(), model.messageProperty()));
        Label size = statusLabel("statusImageSize");
        size.textProperty().bind(Bindings.createStringBinding(() -> {
            RgbImage img = model.currentImageProperty().get();
            return img == null ? "—" : img.width() + " × " + img.height() + " px";
        }, model.currentImageProperty()));
        Label zoom = statusLabel("statusZoom");
        zoom.textProperty().bind(Bindings.createStringBinding(
                () -> String.format("%.0f%%", canvas.scaleProperty().get() * 100), canvas.scaleProperty()));
        Label cursor = statusLabel("statusCursor");
        cursor.textProperty().bind(Bindings.createStringBinding(() -> {
            Point2D p = canvas.cursorImagePointProperty().get();
            return p == null ? "x —, y —" : String.format("x %d, y %d", (int) p.getX(), (int) p.getY());
        }, canvas.cursorImagePointProperty()));
        Label segStatus = statusLabel("statusSegmentation");
        segStatus.textProperty().bind(segmentation.statusProperty());
        Label device = statusLabel("statusDevice");
        device.textProperty().bind(model.deviceProperty());
        Label modelChoice = statusLabel("statusModelChoice");
        modelChoice.textProperty().bind(autoSwitch.statusProperty());
        modelChoice.visibleProperty().bind(autoSwitch.statusProperty().isNotEmpty());
        modelChoice.managedProperty().bind(modelChoice.visibleProperty());
        statusBar.getRightItems().addAll(modelChoice, segStatus, separator(), size, separator(), zoom, separator(), cursor, separator(),
                device);
    }

    private static Label statusLabel(String id) {
        Label l = new Label();
        l.setId(id);
        l.getStyleClass().add("status-item");
        return l;
    }

    private static Node separator() {
        return new Separator(Orientation.VERTICAL);
    }

    /** Arrow keys and PgUp/PgDn move between photos, except while typing in a text field. */
    private void installKeys() {
        root.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getTarget() instanceof TextInputControl || e.isAltDown()) {
                return;
            }
            if (e.isShortcutDown()) {
                if (e.getCode() == KeyCode.Z && e.isShiftDown()) {
                    annotation.redo(); // Ctrl+Shift+Z, the other common redo key
                    e.consume();
                }
                return;
            }
            if (e.getCode() == KeyCode.RIGHT || e.getCode() == KeyCode.PAGE_DOWN) {
                model.next();
                e.consume();
            } else if (e.getCode() == KeyCode.LEFT || e.getCode() == KeyCode.PAGE_UP) {
                model.previous();
                e.consume();
            } else if (e.getCode() == KeyCode.F && !e.isShiftDown()) {
                canvas.fitToWindow();
                e.consume();
            } else if (e.getCode() == KeyCode.ESCAPE) {
                segmentation.clearPrompt();
                refining = false;
                setTool(MaskEditInteraction.Mode.OFF);
                e.consume();
            } else if (e.getCode() == KeyCode.B) {
                setTool(MaskEditInteraction.Mode.BRUSH);
                e.consume();
            } else if (e.getCode() == KeyCode.E) {
                setTool(MaskEditInteraction.Mode.ERASER);
                e.consume();
            } else if (e.getCode() == KeyCode.P) {
                setTool(MaskEditInteraction.Mode.OFF);
                e.consume();
            } else if (e.getCode() == KeyCode.R) {
                refineSelected();
                e.consume();
            } else if (e.getCode() == KeyCode.CLOSE_BRACKET || e.getCode() == KeyCode.OPEN_BRACKET) {
                maskEdit.setRadius(maskEdit.radius() * (e.getCode() == KeyCode.CLOSE_BRACKET ? 1.25 : 0.8));
                e.consume();
            } else if (e.getCode() == KeyCode.TAB && segmentation.predictionProperty().get() != null) {
                segmentation.nextCandidate();
                e.consume();
            } else if (e.getCode() == KeyCode.ENTER) {
                acceptMask();
                e.consume();
            } else if (e.getCode() == KeyCode.DELETE || e.getCode() == KeyCode.BACK_SPACE) {
                annotation.deleteSelected();
                e.consume();
            } else if (e.getCode().isDigitKey() && !e.isShiftDown()) {
                int digit = e.getText().isEmpty() ? -1 : Character.digit(e.getText().charAt(0), 10);
                if (digit >= 1) {
                    annotation.chooseLabel(digit - 1);
                    e.consume();
                }
            }
        });
    }

    private void installDragAndDrop() {
        root.setOnDragOver(e -> {
            if (e.getDragboard().hasFiles()) {
                e.acceptTransferModes(TransferMode.COPY);
            }
            e.consume();
        });
        root.setOnDragDropped(e -> {
            boolean done = false;
            if (e.getDragboard().hasFiles() && !e.getDragboard().getFiles().isEmpty()) {
                File f = e.getDragboard().getFiles().get(0);
                done = model.openFolder(f.isDirectory() ? f.toPath() : f.toPath().getParent());
            }
            e.setDropCompleted(done);
            e.consume();
        });
    }

    private void showAbout() {
        javafx.scene.control.Alert about = new javafx.scene.control.Alert(javafx.scene.control.Alert.AlertType.INFORMATION);
        about.setTitle("About RobustSAM Studio");
        about.setHeaderText("RobustSAM Studio " + org.robustsam.studio.inference.BuildInfo.version());
        about.setContentText("Segment degraded photos with SAM, MobileSAM and RobustSAM.\nCompute device: "
                + model.deviceProperty().get());
        about.initOwner(root.getScene() == null ? null : root.getScene().getWindow());
        about.show();
    }

    private void chooseFolder() {
        Path chosen = chooser.choose(PathChooser.Request.folder("Open a folder of photos", model.folderProperty().get()), window());
        if (chosen != null) {
            model.openFolder(chosen);
        }
    }

    /** File ▸ Import: asks for the folder or file, then the view-model reads it in the background. */
    private void importFrom(ImportFormat format) {
        if (annotation.project() == null) {
            notifications.show("Open a folder of photos first: annotations are imported into its project");
            return;
        }
        Path folder = model.folderProperty().get();
        PathChooser.Request request = format.readsFolder()
                ? PathChooser.Request.folder("Import " + format.displayName() + " annotations from a folder", folder)
                : PathChooser.Request.file("Import a " + format.displayName() + " instances file", folder,
                        new javafx.stage.FileChooser.ExtensionFilter(format.displayName() + " JSON", "*.json"),
                        new javafx.stage.FileChooser.ExtensionFilter("All files", "*"));
        Path chosen = chooser.choose(request, window());
        if (chosen != null) {
            imports.importFrom(format, chosen);
        }
    }
}
