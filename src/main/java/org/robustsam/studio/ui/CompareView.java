package org.robustsam.studio.ui;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.application.Platform;
import javafx.embed.swing.SwingFXUtils;
import javafx.geometry.Insets;
import javafx.geometry.Point2D;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Separator;
import javafx.scene.control.Spinner;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.image.WritableImage;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.stage.FileChooser;
import javafx.stage.Stage;
import javafx.stage.Window;
import javax.imageio.ImageIO;
import org.robustsam.studio.annotate.mask.BinaryMask;
import org.robustsam.studio.annotate.project.AnnotatedObject;
import org.robustsam.studio.degrade.Degradation;
import org.robustsam.studio.degrade.Degradations;
import org.robustsam.studio.eval.GroundTruthObject;
import org.robustsam.studio.eval.GroundTruthSources;
import org.robustsam.studio.eval.ModelPair;
import org.robustsam.studio.eval.SegmentationScores;
import org.robustsam.studio.image.RgbImage;
import org.robustsam.studio.inference.EmbeddingCache;
import org.robustsam.studio.inference.Segmenters;
import org.robustsam.studio.model.manager.ModelState;
import org.robustsam.studio.model.manager.ModelStore;
import org.robustsam.studio.model.registry.ModelEntry;
import org.robustsam.studio.model.registry.ModelRegistry;

/**
 * Two models side by side on one photo (default SAM vs RobustSAM): two linked canvases (zoom, pan
 * and a crosshair follow each other), every click or box on either applied to both, each mask with
 * its predicted IoU, the IoU between them, and each model's IoU/Dice against the ground-truth
 * object under the prompt. A degradation and severity apply the same degraded copy to both; the
 * difference overlay shows pixels only one model includes; the comparison exports as PNG.
 *
 * <p>A self-contained node over a {@link CompareViewModel}; {@link #open} puts it in its own window.
 * Keys: Escape clears the prompt, F fits both views, D toggles the difference.
 */
public final class CompareView extends BorderPane {
    static final Color LEFT_COLOR = Color.web("#0072B2");
    static final Color RIGHT_COLOR = Color.web("#E69F00");
    private static final String CLEAN = "Clean";

    private final CompareViewModel model;
    private final ImageCanvas leftCanvas = new ImageCanvas();
    private final ImageCanvas rightCanvas = new ImageCanvas();
    private final Label leftHeader = new Label();
    private final Label rightHeader = new Label();
    private final Label leftScores = new Label();
    private final Label rightScores = new Label();
    private final Label iouLabel = new Label("IoU between the masks: –");
    private final Label truthLabel = new Label();
    private final Label problemLabel = new Label();
    private final ComboBox<String> leftModel = new ComboBox<>();
    private final ComboBox<String> rightModel = new ComboBox<>();
    private final ComboBox<String> degradation = new ComboBox<>();
    private final Spinner<Integer> severity = new Spinner<>(Degradation.MIN_SEVERITY, Degradation.MAX_SEVERITY, Degradation.REFERENCE_SEVERITY);
    private final VBox exportArea;
    private MaskOverlayPainter.Shown leftShown;
    private MaskOverlayPainter.Shown rightShown;
    private Point2D crosshair;
    private boolean syncing;

    public CompareView(CompareViewModel model) {
        this.model = model;
        setId("compareView");
        leftCanvas.setId("compareLeftCanvas");
        rightCanvas.setId("compareRightCanvas");
        leftCanvas.placeholderProperty().set("");
        rightCanvas.placeholderProperty().set("");

        setTop(buildToolbar());
        HBox panes = new HBox(6, pane(model.left(), leftCanvas, leftHeader, leftScores, LEFT_COLOR),
                pane(model.right(), rightCanvas, rightHeader, rightScores, RIGHT_COLOR));
        panes.setPadding(new Insets(6));
        iouLabel.setId("compareIouLabel");
        truthLabel.setId("compareTruthLabel");
        problemLabel.setId("compareProblemLabel");
        problemLabel.setTextFill(Color.web("#c0392b"));
        HBox status = new HBox(18, iouLabel, truthLabel, problemLabel);
        status.setPadding(new Insets(4, 8, 6, 8));
        status.setAlignment(Pos.CENTER_LEFT);
        exportArea = new VBox(panes, status);
        VBox.setVgrow(panes, Priority.ALWAYS);
        setCenter(exportArea);

        wireCanvases();
        wireModel();
        addEventFilter(KeyEvent.KEY_PRESSED, this::onKey);
    }

    public CompareViewModel model() {
        return model;
    }

    public ImageCanvas leftCanvas() {
        return leftCanvas;
    }

    public ImageCanvas rightCanvas() {
        return rightCanvas;
    }

    /**
     * Opens a comparison window for a photo.
     *
     * @param truth ground truth (may be empty); see {@link GroundTruthSources}
     * @param cache the app's embedding cache (null: the per-user cache)
     * @param leftCheckpoint model of the left view (null: none until picked)
     * @param rightCheckpoint model of the right view (null: none until picked)
     */
    public static Stage open(Window owner, RgbImage image, String imageName, List<GroundTruthObject> truth, EmbeddingCache cache,
                             Path leftCheckpoint, Path rightCheckpoint) {
        EmbeddingCache c = cache != null ? cache : new EmbeddingCache(512L << 20, Segmenters.defaultCacheDir(), 20L << 30);
        CompareViewModel vm = new CompareViewModel(image, imageName, truth, c, Platform::runLater);
        CompareView view = new CompareView(vm);
        view.offerModels(leftCheckpoint, rightCheckpoint);
        if (leftCheckpoint != null) {
            view.leftModel.setValue(leftCheckpoint.toString());
        }
        if (rightCheckpoint != null) {
            view.rightModel.setValue(rightCheckpoint.toString());
        }
        Stage stage = new Stage();
        if (owner != null) {
            stage.initOwner(owner);
        }
        stage.setTitle("Compare models — " + imageName);
        Scene scene = new Scene(view, 1400, 820);
        var css = CompareView.class.getResource("/assets/css/studio.css");
        if (css != null) {
            scene.getStylesheets().add(css.toExternalForm());
        }
        stage.setScene(scene);
        stage.setOnHidden(e -> view.dispose());
        stage.show();
        return stage;
    }

    /**
     * Opens a comparison of the photo on screen with the default pair (SAM vs RobustSAM of the same
     * size, when on disk) and ground truth from the project's objects or the LabelMe json beside the photo.
     */
    public static Stage open(Window owner, RgbImage image, Path photoFile, List<AnnotatedObject> projectObjects, EmbeddingCache cache) {
        ModelPair pair = ModelPair.defaults(ModelRegistry.bundled(), new ModelStore(ModelStore.defaultDir()));
        String name = photoFile != null ? photoFile.getFileName().toString() : "photo";
        return open(owner, image, name, GroundTruthSources.forPhoto(projectObjects, photoFile), cache, pair.left(), pair.right());
    }

    /** Stops the background work and closes both models. */
    public void dispose() {
        model.close();
    }

    /** Writes what the comparison shows (both views, their scores and the status line) as a PNG. */
    public void exportPng(Path file) throws IOException {
        WritableImage shot = exportArea.snapshot(null, null);
        BufferedImage img = SwingFXUtils.fromFXImage(shot, null);
        BufferedImage rgb = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
        var g = rgb.createGraphics();
        try {
            g.drawImage(img, 0, 0, null);
        } finally {
            g.dispose();
        }
        if (!ImageIO.write(rgb, "png", file.toFile())) {
            throw new IOException(file + ": no PNG writer");
        }
    }

    private VBox buildToolbar() {
        leftModel.setId("compareLeftModel");
        rightModel.setId("compareRightModel");
        for (ComboBox<String> box : List.of(leftModel, rightModel)) {
            box.setEditable(true);
            box.setPrefWidth(420);
            box.setPromptText("checkpoint file");
        }
        leftModel.valueProperty().addListener((obs, o, v) -> pickModel(CompareViewModel.SideId.LEFT, v));
        rightModel.valueProperty().addListener((obs, o, v) -> pickModel(CompareViewModel.SideId.RIGHT, v));

        degradation.setId("compareDegradation");
        degradation.getItems().add(CLEAN);
        for (Degradation d : Degradations.all()) {
            degradation.getItems().add(d.name());
        }
        degradation.setValue(CLEAN);
        severity.setId("compareSeverity");
        severity.setPrefWidth(70);
        degradation.valueProperty().addListener((obs, o, v) -> applyDegradation());
        severity.valueProperty().addListener((obs, o, v) -> applyDegradation());

        ToggleButton diff = new ToggleButton("Difference");
        diff.setId("compareDifference");
        diff.setTooltip(new Tooltip("Show only the pixels one model includes and the other does not (D)"));
        diff.selectedProperty().bindBidirectional(model.showDifferenceProperty());
        ToggleButton link = new ToggleButton("Link views");
        link.setId("compareLink");
        link.setTooltip(new Tooltip("Zoom and pan both views together"));
        link.selectedProperty().bindBidirectional(model.linkViewsProperty());
        Button fit = new Button("Fit");
        fit.setOnAction(e -> fitBoth());
        Button clear = new Button("Clear prompt");
        clear.setId("compareClear");
        clear.setOnAction(e -> model.clearPrompt());
        Button export = new Button("Export PNG…");
        export.setId("compareExport");
        export.setOnAction(e -> chooseExport());
        ToolBar models = new ToolBar(new Label("Left model"), leftModel, browse(leftModel), new Separator(),
                new Label("Right model"), rightModel, browse(rightModel));
        ToolBar view = new ToolBar(new Label("Degradation"), degradation, new Label("Severity"), severity, new Separator(), diff, link,
                fit, clear, new Separator(), export);
        return new VBox(models, view);
    }

    private Button browse(ComboBox<String> target) {
        Button b = new Button("…");
        b.setTooltip(new Tooltip("Choose a checkpoint file (.pth, .pt, .safetensors)"));
        b.setOnAction(e -> {
            FileChooser chooser = new FileChooser();
            chooser.setTitle("Checkpoint");
            chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("Checkpoints", "*.pth", "*.pt", "*.safetensors"));
            var f = chooser.showOpenDialog(getScene() == null ? null : getScene().getWindow());
            if (f != null) {
                target.setValue(f.getAbsolutePath());
            }
        });
        return b;
    }

    /** Fills both model lists with the registry models on disk and the given files. */
    private void offerModels(Path... extra) {
        List<String> items = new ArrayList<>();
        for (Path p : extra) {
            if (p != null && !items.contains(p.toString())) {
                items.add(p.toString());
            }
        }
        ModelStore store = new ModelStore(ModelStore.defaultDir());
        for (ModelEntry e : ModelRegistry.bundled().models()) {
            if (store.stateOf(e) == ModelState.READY && !items.contains(store.fileOf(e).toString())) {
                items.add(store.fileOf(e).toString());
            }
        }
        leftModel.getItems().setAll(items);
        rightModel.getItems().setAll(items);
    }

    private void pickModel(CompareViewModel.SideId side, String value) {
        if (value == null || value.isBlank()) {
            return;
        }
        Path p = Path.of(value.trim());
        if (!p.equals(model.side(side).checkpointProperty().get())) {
            model.loadModel(side, p);
        }
    }

    private void applyDegradation() {
        String name = degradation.getValue();
        String id = null;
        for (Degradation d : Degradations.all()) {
            if (d.name().equals(name)) {
                id = d.id();
            }
        }
        severity.setDisable(id == null);
        model.setDegradation(id, severity.getValue());
    }

    private VBox pane(CompareViewModel.Side side, ImageCanvas canvas, Label header, Label scores, Color color) {
        header.textProperty().bind(side.modelNameProperty().concat("  —  ").concat(side.statusProperty()));
        header.setTextFill(color);
        header.setStyle("-fx-font-weight: bold;");
        scores.setId(canvas == leftCanvas ? "compareLeftScores" : "compareRightScores");
        scores.setText("no mask yet");
        VBox box = new VBox(4, header, canvas, scores);
        VBox.setVgrow(canvas, Priority.ALWAYS);
        HBox.setHgrow(box, Priority.ALWAYS);
        canvas.setMinSize(100, 100);
        canvas.setPrefSize(600, 600);
        box.setPrefWidth(600);
        return box;
    }

    private void wireCanvases() {
        leftCanvas.addOverlayPainter(new MaskOverlayPainter(() -> model.showDifferenceProperty().get() ? null : leftShown));
        rightCanvas.addOverlayPainter(new MaskOverlayPainter(() -> model.showDifferenceProperty().get() ? null : rightShown));
        for (ImageCanvas c : List.of(leftCanvas, rightCanvas)) {
            c.addOverlayPainter(new CompareOverlays.DifferencePainter(
                    () -> model.showDifferenceProperty().get() ? model.differenceProperty().get() : null, this::bothMask));
            c.addOverlayPainter(new CompareOverlays.OutlinePainter(this::truthMask));
            c.addOverlayPainter(new CompareOverlays.CrosshairPainter(c, () -> crosshair));
            c.addOverlayPainter(new PromptPainter(model.promptProperty()::get)); // clicks stay visible above the crosshair
            new PromptInteraction(c, model::addPoint, model::setBox);
            c.cursorImagePointProperty().addListener((obs, o, p) -> {
                if (p != null || crosshairOwner(c)) {
                    crosshair = p;
                    repaintBoth();
                }
            });
        }
        leftCanvas.addViewportListener(() -> follow(leftCanvas, rightCanvas));
        rightCanvas.addViewportListener(() -> follow(rightCanvas, leftCanvas));
        model.linkViewsProperty().addListener((obs, o, on) -> {
            if (on) {
                follow(leftCanvas, rightCanvas);
            }
        });
    }

    /** The mouse left {@code c}: clear the crosshair unless it is over the other view. */
    private boolean crosshairOwner(ImageCanvas c) {
        ImageCanvas other = c == leftCanvas ? rightCanvas : leftCanvas;
        return other.cursorImagePointProperty().get() == null;
    }

    private void wireModel() {
        model.displayedImageProperty().addListener((obs, o, img) -> showImage(img));
        showImage(model.displayedImageProperty().get());
        model.left().predictionProperty().addListener((obs, o, p) -> {
            leftShown = p == null ? null : new MaskOverlayPainter.Shown(p.width(), p.height(), p.masks()[0], LEFT_COLOR);
            updateLabels();
        });
        model.right().predictionProperty().addListener((obs, o, p) -> {
            rightShown = p == null ? null : new MaskOverlayPainter.Shown(p.width(), p.height(), p.masks()[0], RIGHT_COLOR);
            updateLabels();
        });
        model.left().truthScoresProperty().addListener((obs, o, s) -> updateLabels());
        model.right().truthScoresProperty().addListener((obs, o, s) -> updateLabels());
        model.iouBetweenProperty().addListener((obs, o, v) -> updateLabels());
        model.matchedTruthProperty().addListener((obs, o, v) -> updateLabels());
        model.differenceProperty().addListener((obs, o, v) -> updateLabels());
        model.showDifferenceProperty().addListener((obs, o, v) -> repaintBoth());
        model.promptProperty().addListener((obs, o, v) -> repaintBoth());
        model.problemProperty().addListener((obs, o, v) -> problemLabel.setText(v == null ? "" : v));
        problemLabel.setText(model.problemProperty().get() == null ? "" : model.problemProperty().get());
        updateLabels();
    }

    private void showImage(RgbImage img) {
        var fxImage = img == null ? null : FxImages.toFx(img);
        // Keep the user's zoom when only the degradation changed (same size): re-show at the same place.
        double scale = leftCanvas.viewport().scale();
        double cx = leftCanvas.viewport().toImageX(leftCanvas.getWidth() / 2);
        double cy = leftCanvas.viewport().toImageY(leftCanvas.getHeight() / 2);
        var previous = leftCanvas.imageProperty().get();
        boolean keepView = previous != null && img != null && previous.getWidth() == img.width() && previous.getHeight() == img.height();
        leftCanvas.imageProperty().set(fxImage);
        rightCanvas.imageProperty().set(fxImage);
        if (keepView) {
            leftCanvas.showAt(scale, cx, cy);
            rightCanvas.showAt(scale, cx, cy);
        }
    }

    private void fitBoth() {
        leftCanvas.fitToWindow();
        rightCanvas.fitToWindow();
    }

    /** Makes {@code to} show what {@code from} shows: same scale, same image point at the centre. */
    private void follow(ImageCanvas from, ImageCanvas to) {
        if (syncing || !model.linkViewsProperty().get() || from.imageProperty().get() == null || from.getWidth() <= 0) {
            return;
        }
        syncing = true;
        try {
            Viewport v = from.viewport();
            to.showAt(v.scale(), v.toImageX(from.getWidth() / 2), v.toImageY(from.getHeight() / 2));
        } finally {
            syncing = false;
        }
    }

    private byte[] bothMask() {
        byte[] a = model.left().mask();
        byte[] b = model.right().mask();
        if (a == null || b == null) {
            return null;
        }
        byte[] out = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (byte) (a[i] & b[i]);
        }
        return out;
    }

    private BinaryMask matchedMask;
    private GroundTruthObject matchedFor;

    private BinaryMask truthMask() {
        GroundTruthObject o = model.matchedTruthProperty().get();
        if (o != matchedFor) {
            matchedFor = o;
            matchedMask = o == null ? null : o.mask().decode();
        }
        return matchedMask;
    }

    private void updateLabels() {
        leftScores.setText(scoreText(model.left()));
        rightScores.setText(scoreText(model.right()));
        Double between = model.iouBetweenProperty().get();
        var d = model.differenceProperty().get();
        iouLabel.setText(between == null ? "IoU between the masks: –"
                : String.format(Locale.ROOT, "IoU between the masks: %.4f", between)
                        + (d == null ? "" : String.format(Locale.ROOT, "  (only left %,d px, only right %,d px)", d.onlyLeft(), d.onlyRight())));
        GroundTruthObject gt = model.matchedTruthProperty().get();
        truthLabel.setText(model.truth().isEmpty() ? "no ground truth for this photo"
                : gt == null ? "no ground-truth object under the prompt"
                : "ground truth: " + gt.label() + " (object " + gt.index() + ")");
        repaintBoth();
    }

    private static String scoreText(CompareViewModel.Side side) {
        var p = side.predictionProperty().get();
        if (p == null) {
            return "no mask yet";
        }
        String text = String.format(Locale.ROOT, "predicted IoU %.3f · %,d px", p.iouScores()[0], p.area(0));
        SegmentationScores s = side.truthScoresProperty().get();
        if (s != null) {
            text += String.format(Locale.ROOT, " · vs ground truth: IoU %.4f, Dice %.4f", s.iou(), s.dice());
        }
        return text;
    }

    private void repaintBoth() {
        leftCanvas.repaintOverlay();
        rightCanvas.repaintOverlay();
    }

    private void onKey(KeyEvent e) {
        if (e.getTarget() instanceof javafx.scene.control.TextInputControl) {
            return;
        }
        if (e.getCode() == KeyCode.ESCAPE) {
            model.clearPrompt();
            e.consume();
        } else if (e.getCode() == KeyCode.F) {
            fitBoth();
            e.consume();
        } else if (e.getCode() == KeyCode.D) {
            model.showDifferenceProperty().set(!model.showDifferenceProperty().get());
            e.consume();
        }
    }

    private void chooseExport() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Export comparison");
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("PNG image", "*.png"));
        String stem = model.imageName().replaceAll("\\.[^.]+$", "");
        chooser.setInitialFileName(stem + "-compare.png");
        var f = chooser.showSaveDialog(getScene() == null ? null : getScene().getWindow());
        if (f == null) {
            return;
        }
        try {
            exportPng(f.toPath());
        } catch (IOException ex) {
            problemLabel.setText("could not export: " + ex.getMessage());
        }
    }
}
