package org.robustsam.studio.ui;

import java.io.File;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import javafx.beans.value.ObservableValue;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Separator;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.TitledPane;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import org.robustsam.studio.assess.DegradationFamily;
import org.robustsam.studio.assess.Measurement;
import org.robustsam.studio.assess.QualityReport;

/**
 * The Quality tab: the advisor's scores for the photo prompts run on (one bar per family, the
 * overall quality, the raw measurements), and the setting "use RobustSAM automatically when quality
 * is below X" with the SAM and RobustSAM checkpoints it switches between.
 */
final class QualityPanel extends ScrollPane {
    private final Label summary = new Label("No photo");
    private final Map<DegradationFamily, ProgressBar> bars = new EnumMap<>(DegradationFamily.class);
    private final Map<DegradationFamily, Label> values = new EnumMap<>(DegradationFamily.class);
    private final GridPane details = new GridPane();

    QualityPanel(ObservableValue<QualityReport> quality, ModelAutoSwitch autoSwitch) {
        getStyleClass().add("quality-panel");
        setId("qualityPanel");
        setFitToWidth(true);
        summary.setId("qualitySummary");
        summary.setWrapText(true);
        summary.setStyle("-fx-font-weight: bold;");

        GridPane scores = new GridPane();
        scores.setHgap(6);
        scores.setVgap(4);
        int row = 0;
        for (DegradationFamily f : DegradationFamily.values()) {
            Label name = new Label(f.label());
            name.getStyleClass().add("family-label");
            name.setTooltip(new Tooltip(f.description()));
            ProgressBar bar = new ProgressBar(0);
            bar.setId("qualityBar-" + f.id());
            bar.setMaxWidth(Double.MAX_VALUE);
            GridPane.setHgrow(bar, Priority.ALWAYS);
            Label value = new Label("–");
            value.setId("qualityValue-" + f.id());
            bars.put(f, bar);
            values.put(f, value);
            scores.addRow(row++, name, bar, value);
        }
        details.setHgap(8);
        details.setVgap(2);
        TitledPane measurements = new TitledPane("Measurements", details);
        measurements.setExpanded(false);

        VBox box = new VBox(8, summary, scores, measurements, new Separator(), autoSwitchControls(autoSwitch));
        box.setPadding(new Insets(8));
        setContent(box);
        quality.addListener((o, a, r) -> show(r));
        show(quality.getValue());
    }

    private VBox autoSwitchControls(ModelAutoSwitch autoSwitch) {
        CheckBox enabled = new CheckBox("Use RobustSAM automatically when quality is below");
        enabled.setId("autoRobustSam");
        enabled.setWrapText(true);
        enabled.selectedProperty().bindBidirectional(autoSwitch.enabledProperty());
        Spinner<Double> threshold = new Spinner<>(new SpinnerValueFactory.DoubleSpinnerValueFactory(0.05, 0.95,
                autoSwitch.thresholdProperty().get(), 0.05));
        threshold.setId("autoThreshold");
        threshold.setEditable(true);
        threshold.setPrefWidth(80);
        threshold.valueProperty().addListener((o, a, v) -> autoSwitch.thresholdProperty().set(v));
        autoSwitch.thresholdProperty().addListener((o, a, v) -> threshold.getValueFactory().setValue(v.doubleValue()));
        Label hint = new Label("Photos below this quality get RobustSAM, the others SAM; the status bar shows which.");
        hint.setWrapText(true);
        Label status = new Label();
        status.setId("autoStatus");
        status.setWrapText(true);
        status.textProperty().bind(autoSwitch.statusProperty());
        return new VBox(6, new HBox(6, enabled, threshold), hint,
                modelRow("SAM", "chooseSam", autoSwitch.samCheckpointProperty()),
                modelRow("RobustSAM", "chooseRobustSam", autoSwitch.robustCheckpointProperty()), status);
    }

    private HBox modelRow(String family, String id, javafx.beans.property.ObjectProperty<Path> file) {
        Label name = new Label();
        name.setId(id + "File");
        name.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(
                () -> family + ": " + (file.get() == null ? "from the models folder" : file.get().getFileName()), file));
        name.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(name, Priority.ALWAYS);
        Button choose = new Button("Choose…");
        choose.setId(id);
        choose.setOnAction(e -> {
            FileChooser chooser = new FileChooser();
            chooser.setTitle("Choose the " + family + " checkpoint for the automatic switch");
            chooser.getExtensionFilters().addAll(new FileChooser.ExtensionFilter("Checkpoints", "*.pth", "*.pt", "*.safetensors"),
                    new FileChooser.ExtensionFilter("All files", "*"));
            File chosen = chooser.showOpenDialog(getScene() == null ? null : getScene().getWindow());
            if (chosen != null) {
                file.set(chosen.toPath());
            }
        });
        return new HBox(6, name, choose);
    }

    private void show(QualityReport r) {
        details.getChildren().clear();
        if (r == null) {
            summary.setText("No photo (or not assessed yet)");
            bars.values().forEach(b -> b.setProgress(0));
            values.values().forEach(v -> v.setText("–"));
            return;
        }
        summary.setText(String.format(Locale.ROOT, "Quality %.2f — %s", r.quality(),
                r.isClean() ? "looks clean" : String.join(", ", r.present().stream()
                        .map(f -> f.label().toLowerCase(Locale.ROOT)).toList())));
        for (DegradationFamily f : DegradationFamily.values()) {
            bars.get(f).setProgress(r.score(f));
            values.get(f).setText(String.format(Locale.ROOT, "%.2f", r.score(f)));
        }
        int row = 0;
        for (Measurement m : r.measurements()) {
            String value = m.unit().equals("%") ? String.format(Locale.ROOT, "%.1f%%", m.value())
                    : String.format(Locale.ROOT, "%.2f %s", m.value(), m.unit()).trim();
            details.addRow(row++, new Label(m.label()), new Label(value));
        }
    }
}
