package org.robustsam.studio.ui;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import org.robustsam.studio.model.manager.ModelStore;
import org.robustsam.studio.train.EvaluationSummary;
import org.robustsam.studio.train.TrainingJobLauncher;

/**
 * Fine-tuning jobs: choose a job file, launch it (a separate process), watch the progress bar, the
 * loss curves (the total and each term as weighted into it) and the validation IoU per epoch,
 * cancel, resume from the latest checkpoint; when a job finishes, its before/after evaluation
 * (SAM, RobustSAM before and after; clean and degraded) and its model, listed in the model picker,
 * with "Use this model". A self-contained node over a {@link JobsViewModel};
 * the window hosting it decides where it goes. Call {@link #dispose()} when it is discarded (a
 * running job is stopped).
 */
public final class JobsPanel extends BorderPane {
    private final JobsViewModel model;
    private final TextField configField = new TextField();
    private final ProgressBar progress = new ProgressBar(0);
    private final Label status = new Label();
    private final Label checkpoint = new Label();
    private final Label modelLabel = new Label();
    private final Button useButton = new Button("Use this model");
    private final TableView<EvaluationSummary.Row> evaluationTable = new TableView<>();
    private final Label evaluationTitle = new Label();
    private final LineChart<Number, Number> lossChart;
    private final LineChart<Number, Number> validationChart;
    private final XYChart.Series<Number, Number> total = series("Total");
    private final XYChart.Series<Number, Number> focal = series("Focal");
    private final XYChart.Series<Number, Number> dice = series("Dice");
    private final XYChart.Series<Number, Number> token = series("Token");
    private final XYChart.Series<Number, Number> embedding = series("Mask features");
    private final XYChart.Series<Number, Number> teacherMask = series("Teacher masks");
    private final XYChart.Series<Number, Number> robustDegraded = series("RobustSAM, degraded");
    private final XYChart.Series<Number, Number> robustClean = series("RobustSAM, clean");
    private final XYChart.Series<Number, Number> agreement = series("Agreement with SAM on clean");

    /** The app's panel: finished models are registered in the models folder the Model Manager shows. */
    public JobsPanel() {
        this(new JobsViewModel(new TrainingJobLauncher(), Platform::runLater,
                () -> new ModelStore(ModelStore.defaultDir())));
    }

    public JobsPanel(JobsViewModel model) {
        this.model = model;
        setId("jobsPanel");
        getStyleClass().add("jobs-panel");
        setPadding(new Insets(6));
        setTop(buildControls());

        lossChart = chart("Step", "Loss");
        lossChart.setId("jobs-loss-chart");
        lossChart.getData().addAll(List.of(total, focal, dice, token, embedding, teacherMask));
        validationChart = chart("Step", "Validation IoU");
        validationChart.setId("jobs-validation-chart");
        ((NumberAxis) validationChart.getYAxis()).setAutoRanging(false);
        ((NumberAxis) validationChart.getYAxis()).setLowerBound(0);
        ((NumberAxis) validationChart.getYAxis()).setUpperBound(1);
        ((NumberAxis) validationChart.getYAxis()).setTickUnit(0.2);
        validationChart.getData().addAll(List.of(robustDegraded, robustClean, agreement));
        VBox evaluationBox = buildEvaluation();
        VBox charts = new VBox(4, lossChart, validationChart, evaluationBox);
        VBox.setVgrow(lossChart, Priority.ALWAYS);
        validationChart.setPrefHeight(180);
        setCenter(charts);

        progress.setId("jobs-progress");
        progress.setMaxWidth(Double.MAX_VALUE);
        progress.progressProperty().bind(model.progressProperty());
        status.setId("jobs-status");
        status.textProperty().bind(model.messageProperty());
        checkpoint.setId("jobs-checkpoint");
        checkpoint.textProperty().bind(Bindings.createStringBinding(() -> model.lastCheckpointProperty().get() == null
                ? "" : "checkpoint: " + model.lastCheckpointProperty().get(), model.lastCheckpointProperty()));
        modelLabel.setId("jobs-model");
        modelLabel.textProperty().bind(Bindings.createStringBinding(() -> model.modelNameProperty().get() != null
                ? "Model: \"" + model.modelNameProperty().get() + "\" (in the model picker)"
                : model.modelFileProperty().get() == null ? "" : "Model: " + model.modelFileProperty().get(),
                model.modelNameProperty(), model.modelFileProperty()));
        useButton.setId("jobs-use");
        useButton.setTooltip(new Tooltip("Load the fine-tuned model for annotation"));
        useButton.setOnAction(e -> model.useModel());
        HBox result = new HBox(8, modelLabel, useButton);
        result.setAlignment(Pos.CENTER_LEFT);
        result.visibleProperty().bind(model.modelFileProperty().isNotNull());
        result.managedProperty().bind(result.visibleProperty());
        VBox bottom = new VBox(2, progress, status, checkpoint, result);
        bottom.setPadding(new Insets(4, 0, 0, 0));
        setBottom(bottom);

        model.losses().addListener((ListChangeListener<JobsViewModel.LossPoint>) c -> {
            while (c.next()) {
                if (c.wasRemoved() && model.losses().isEmpty()) {
                    lossChart.getData().forEach(s -> s.getData().clear());
                }
                for (JobsViewModel.LossPoint p : c.getAddedSubList()) {
                    add(total, p.step(), p.total());
                    add(focal, p.step(), p.focal());
                    add(dice, p.step(), p.dice());
                    add(token, p.step(), p.token());
                    add(embedding, p.step(), p.embedding());
                    add(teacherMask, p.step(), p.teacherMask());
                }
            }
        });
        model.validations().addListener((ListChangeListener<JobsViewModel.ValidationPoint>) c -> {
            while (c.next()) {
                if (c.wasRemoved() && model.validations().isEmpty()) {
                    validationChart.getData().forEach(s -> s.getData().clear());
                }
                for (JobsViewModel.ValidationPoint p : c.getAddedSubList()) {
                    add(robustDegraded, p.step(), p.metrics().robustDegraded());
                    add(robustClean, p.step(), p.metrics().robustClean());
                    add(agreement, p.step(), p.metrics().agreement());
                }
            }
        });
    }

    /** The finished job's before/after evaluation: IoU and Dice per model, a row per prompt type and condition. */
    private VBox buildEvaluation() {
        evaluationTable.setId("jobs-evaluation");
        evaluationTable.setPrefHeight(220);
        evaluationTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY);
        evaluationTitle.setId("jobs-evaluation-title");
        VBox box = new VBox(2, evaluationTitle, evaluationTable);
        box.visibleProperty().bind(model.evaluationProperty().isNotNull());
        box.managedProperty().bind(box.visibleProperty());
        model.evaluationProperty().addListener((o, a, summary) -> showEvaluation(summary));
        return box;
    }

    private void showEvaluation(EvaluationSummary summary) {
        evaluationTable.getColumns().clear();
        evaluationTable.getItems().clear();
        if (summary == null) {
            return;
        }
        evaluationTitle.setText("Before/after evaluation on the validation photos (severity " + summary.severity()
                + "; report in " + summary.folder() + ")");
        evaluationTable.getColumns().add(textColumn("Prompt", EvaluationSummary.Row::prompt));
        evaluationTable.getColumns().add(textColumn("Condition", EvaluationSummary.Row::title));
        evaluationTable.getColumns().add(textColumn("n", r -> String.valueOf(r.count())));
        for (String m : summary.models()) {
            TableColumn<EvaluationSummary.Row, String> group = new TableColumn<>(m);
            group.getColumns().add(textColumn("IoU", r -> number(r.iou().get(m))));
            group.getColumns().add(textColumn("Dice", r -> number(r.dice().get(m))));
            evaluationTable.getColumns().add(group);
        }
        evaluationTable.getItems().setAll(summary.rows());
    }

    private static TableColumn<EvaluationSummary.Row, String> textColumn(String title,
            java.util.function.Function<EvaluationSummary.Row, String> value) {
        TableColumn<EvaluationSummary.Row, String> c = new TableColumn<>(title);
        c.setCellValueFactory(d -> new ReadOnlyStringWrapper(value.apply(d.getValue())));
        c.setSortable(false);
        return c;
    }

    private static String number(Double v) {
        return v == null ? "–" : String.format(Locale.ROOT, "%.4f", v);
    }

    public TableView<EvaluationSummary.Row> evaluationTable() {
        return evaluationTable;
    }

    private HBox buildControls() {
        configField.setId("jobs-config");
        configField.setPromptText("job file (.json)");
        configField.setTooltip(new Tooltip("The fine-tuning job: data, degradations, prompts, base model, loss, optimizer"));
        HBox.setHgrow(configField, Priority.ALWAYS);
        configField.textProperty().addListener((o, a, b) -> model.configFileProperty().set(
                b == null || b.isBlank() ? null : Path.of(b.trim())));
        Button browse = new Button("Browse…");
        browse.setId("jobs-browse");
        browse.setOnAction(e -> {
            FileChooser chooser = new FileChooser();
            chooser.setTitle("Fine-tuning job file");
            chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("Job files", "*.json"));
            File f = chooser.showOpenDialog(getScene() == null ? null : getScene().getWindow());
            if (f != null) {
                configField.setText(f.getPath());
            }
        });
        Button launch = new Button("Launch");
        launch.setId("jobs-launch");
        launch.disableProperty().bind(model.runningProperty().or(model.configFileProperty().isNull()));
        launch.setOnAction(e -> model.launch());
        Button cancel = new Button("Cancel");
        cancel.setId("jobs-cancel");
        cancel.disableProperty().bind(model.runningProperty().not());
        cancel.setOnAction(e -> model.cancel());
        Button resume = new Button("Resume");
        resume.setId("jobs-resume");
        resume.disableProperty().bind(model.canResumeProperty().not());
        resume.setTooltip(new Tooltip("Continue from the latest checkpoint: same schedule, same examples"));
        resume.setOnAction(e -> model.resume());
        HBox controls = new HBox(6, new Label("Job"), configField, browse, launch, cancel, resume);
        controls.setAlignment(Pos.CENTER_LEFT);
        controls.setPadding(new Insets(0, 0, 6, 0));
        return controls;
    }

    /** Sets the job file (as if typed). */
    public void setConfigFile(Path file) {
        configField.setText(file == null ? "" : file.toString());
    }

    public JobsViewModel model() {
        return model;
    }

    public LineChart<Number, Number> lossChart() {
        return lossChart;
    }

    /** Stops a running job. */
    public void dispose() {
        model.dispose();
    }

    private static LineChart<Number, Number> chart(String x, String y) {
        NumberAxis xAxis = new NumberAxis();
        xAxis.setLabel(x);
        xAxis.setForceZeroInRange(false);
        NumberAxis yAxis = new NumberAxis();
        yAxis.setLabel(y);
        LineChart<Number, Number> c = new LineChart<>(xAxis, yAxis);
        c.setAnimated(false);
        c.setCreateSymbols(false);
        return c;
    }

    private static XYChart.Series<Number, Number> series(String name) {
        XYChart.Series<Number, Number> s = new XYChart.Series<>();
        s.setName(name);
        return s;
    }

    private static void add(XYChart.Series<Number, Number> s, int step, double value) {
        if (Double.isNaN(value)) {
            return;
        }
        s.getData().add(new XYChart.Data<>(step, value));
    }
}
