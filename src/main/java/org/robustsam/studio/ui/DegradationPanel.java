package org.robustsam.studio.ui;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Slider;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.image.ImageView;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.TilePane;
import javafx.scene.layout.VBox;
import org.robustsam.studio.degrade.Degradation;
import org.robustsam.studio.image.RgbImage;

/**
 * The degradation preview: a grid of the current image under each of the 15 degradations at the
 * chosen severity, a severity slider, a seed field, and "Apply as working view". Clicking a preview
 * computes that degradation on the full image in the background and hands it to
 * {@link #setOnFullSizeImage}; the button hands the choice (id, severity, seed) to
 * {@link #setOnApplyAsWorkingView}. A self-contained node: the window that hosts it decides what
 * those callbacks do. Call {@link #dispose()} when it is discarded.
 */
public final class DegradationPanel extends BorderPane {
    private static final double THUMB_WIDTH = 168;
    private static final String SELECTED_STYLE = "-fx-border-color: #4a9eff; -fx-border-width: 2; -fx-padding: 2;";
    private static final String UNSELECTED_STYLE = "-fx-border-color: transparent; -fx-border-width: 2; -fx-padding: 2;";

    private final DegradationPreviewModel model;
    private final Slider severitySlider = new Slider(Degradation.MIN_SEVERITY, Degradation.MAX_SEVERITY, Degradation.REFERENCE_SEVERITY);
    private final TextField seedField = new TextField("0");
    private final Button applyButton = new Button("Apply as working view");
    private final TilePane grid = new TilePane();
    private final Label status = new Label();
    private Consumer<DegradedPreview> onFullSizeImage = p -> {};
    private Consumer<DegradationChoice> onApplyAsWorkingView = c -> {};

    public DegradationPanel() {
        this(new DegradationPreviewModel());
    }

    public DegradationPanel(DegradationPreviewModel model) {
        this.model = model;
        getStyleClass().add("degradation-panel");
        setId("degradationPanel");
        setPadding(new Insets(6));
        setTop(buildControls());
        buildGrid();
        ScrollPane scroll = new ScrollPane(grid);
        scroll.setFitToWidth(true);
        setCenter(scroll);
        status.setId("degradationStatus");
        status.textProperty().bind(model.statusProperty());
        setBottom(status);
        BorderPane.setMargin(status, new Insets(4, 0, 0, 0));
    }

    /** Shows the previews of {@code image} (null clears them). Call on the FX thread. */
    public void setSourceImage(RgbImage image) {
        model.sourceProperty().set(image);
    }

    /** Receives the full-size degraded image of a clicked preview, on the FX thread. */
    public void setOnFullSizeImage(Consumer<DegradedPreview> listener) {
        onFullSizeImage = listener == null ? p -> {} : listener;
    }

    /** Receives (degradation, severity, seed) when "Apply as working view" is pressed, on the FX thread. */
    public void setOnApplyAsWorkingView(Consumer<DegradationChoice> listener) {
        onApplyAsWorkingView = listener == null ? c -> {} : listener;
    }

    public DegradationPreviewModel model() {
        return model;
    }

    /** Stops the background threads. */
    public void dispose() {
        model.close();
    }

    private Pane buildControls() {
        severitySlider.setId("severitySlider");
        severitySlider.setMajorTickUnit(1);
        severitySlider.setMinorTickCount(0);
        severitySlider.setBlockIncrement(1);
        severitySlider.setSnapToTicks(true);
        severitySlider.setShowTickMarks(true);
        severitySlider.setShowTickLabels(true);
        severitySlider.setPrefWidth(180);
        severitySlider.setTooltip(new Tooltip("Severity 1 (mild) to 5 (strong); 3 = the RobustSAM reference parameters"));
        severitySlider.valueProperty().addListener((obs, o, v) -> {
            int level = (int) Math.round(v.doubleValue());
            if (level != model.severityProperty().get()) {
                model.severityProperty().set(level);
            }
        });
        model.severityProperty().addListener((obs, o, n) -> {
            if (Math.round(severitySlider.getValue()) != n.intValue()) {
                severitySlider.setValue(n.intValue());
            }
        });
        Label severityLabel = new Label();
        severityLabel.setId("severityValue");
        severityLabel.textProperty().bind(Bindings.format("Severity %d", model.severityProperty()));
        severityLabel.setMinWidth(Region.USE_PREF_SIZE);

        seedField.setId("seedField");
        seedField.setPrefColumnCount(10);
        seedField.setTooltip(new Tooltip("Seed: the same seed always gives the same degraded image"));
        seedField.setOnAction(e -> commitSeed());
        seedField.focusedProperty().addListener((obs, was, is) -> {
            if (!is) {
                commitSeed();
            }
        });
        model.seedProperty().addListener((obs, o, n) -> seedField.setText(Long.toString(n.longValue())));
        Button newSeed = new Button("New seed");
        newSeed.setId("newSeedButton");
        newSeed.setOnAction(e -> model.seedProperty().set(ThreadLocalRandom.current().nextLong(1_000_000)));

        applyButton.setId("applyWorkingViewButton");
        applyButton.setTooltip(new Tooltip("Prompts and masks run on the degraded image; annotations stay on the original"));
        applyButton.disableProperty().bind(model.selectedProperty().isNull().or(model.sourceProperty().isNull()));
        applyButton.setOnAction(e -> {
            DegradationChoice choice = model.currentChoice();
            if (choice != null) {
                onApplyAsWorkingView.accept(choice);
            }
        });

        Label seedLabel = new Label("Seed");
        seedLabel.setMinWidth(Region.USE_PREF_SIZE);
        // Groups wrap onto further rows: the panel often sits in the narrow side pane of the main
        // window, where one long row would push the apply button out of sight.
        HBox severityRow = new HBox(8, severityLabel, severitySlider);
        severityRow.setAlignment(Pos.CENTER_LEFT);
        HBox seedRow = new HBox(8, seedLabel, seedField, newSeed);
        seedRow.setAlignment(Pos.CENTER_LEFT);
        FlowPane controls = new FlowPane(12, 6, severityRow, seedRow, applyButton);
        controls.setAlignment(Pos.CENTER_LEFT);
        controls.setPadding(new Insets(0, 0, 6, 0));
        controls.prefWrapLengthProperty().bind(widthProperty().subtract(16));
        return controls;
    }

    private void commitSeed() {
        String text = seedField.getText().trim();
        try {
            long value = Long.parseLong(text);
            seedField.setStyle(null);
            seedField.setTooltip(new Tooltip("Seed: the same seed always gives the same degraded image"));
            if (value != model.seedProperty().get()) {
                model.seedProperty().set(value);
            }
        } catch (NumberFormatException e) {
            seedField.setStyle("-fx-border-color: #ffb300;");
            seedField.setTooltip(new Tooltip("'" + text + "' is not a whole number; the seed stays " + model.seedProperty().get()));
        }
    }

    private void buildGrid() {
        grid.setId("degradationGrid");
        grid.setPrefColumns(5);
        grid.setHgap(6);
        grid.setVgap(6);
        grid.setPadding(new Insets(4));
        for (DegradationPreviewModel.Thumbnail t : model.thumbnails()) {
            ImageView view = new ImageView();
            view.setFitWidth(THUMB_WIDTH);
            view.setFitHeight(THUMB_WIDTH * 0.75);
            view.setPreserveRatio(true);
            view.setSmooth(true);
            view.imageProperty().bind(t.imageProperty());
            Label pending = new Label("computing…");
            pending.visibleProperty().bind(t.stateProperty().isEqualTo(DegradationPreviewModel.State.COMPUTING));
            Label failed = new Label("failed");
            failed.visibleProperty().bind(t.stateProperty().isEqualTo(DegradationPreviewModel.State.FAILED));
            StackPane picture = new StackPane(view, pending, failed);
            picture.setMinSize(THUMB_WIDTH, THUMB_WIDTH * 0.75);
            picture.setPrefSize(THUMB_WIDTH, THUMB_WIDTH * 0.75);
            Label name = new Label(t.label());
            name.getStyleClass().add("degradation-name");
            VBox tile = new VBox(2, picture, name);
            tile.setAlignment(Pos.TOP_CENTER);
            tile.getStyleClass().add("degradation-thumb");
            tile.setId("thumb-" + t.id());
            tile.setUserData(t.id());
            tile.setStyle(UNSELECTED_STYLE);
            Tooltip.install(tile, new Tooltip(t.label() + " (" + t.id() + "): click to view full size"));
            tile.setOnMouseClicked(e -> {
                if (e.getButton() == MouseButton.PRIMARY) {
                    model.requestFullSize(t, p -> onFullSizeImage.accept(p));
                }
            });
            model.selectedProperty().addListener((obs, o, sel) -> tile.setStyle(sel == t ? SELECTED_STYLE : UNSELECTED_STYLE));
            grid.getChildren().add(tile);
        }
    }
}
