package org.robustsam.studio.ui;

import java.nio.file.Path;
import java.util.List;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.chart.BarChart;
import javafx.scene.chart.CategoryAxis;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.MenuButton;
import javafx.scene.control.CustomMenuItem;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Spinner;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.robustsam.studio.degrade.Degradation;
import org.robustsam.studio.degrade.Degradations;
import org.robustsam.studio.eval.EvalJob;
import org.robustsam.studio.eval.EvalMetric;
import org.robustsam.studio.eval.EvalReport;
import org.robustsam.studio.eval.EvalTable;
import org.robustsam.studio.eval.PointRule;

/**
 * The evaluation of {@code studio eval} from the app: choose dataset, models, degradations,
 * severity and prompts, run with a progress bar (cancellable; a later run resumes), then read the
 * paper-layout table and a bar chart per metric in the dialog; the report files are written as by
 * the command line. A node over an {@link EvalDialogModel}; {@link #open} shows it in a window.
 */
public final class EvalDialog extends BorderPane {
    private final EvalDialogModel model;
    private final TabPane results = new TabPane();
    private final Label problem = new Label();

    public EvalDialog(EvalDialogModel model) {
        this.model = model;
        setId("evalDialog");
        setPadding(new Insets(8));
        setTop(buildForm());
        results.setId("evalResults");
        ListView<String> log = new ListView<>(model.log());
        log.setId("evalLog");
        log.setPrefHeight(120);
        SplitPane split = new SplitPane(results, log);
        split.setOrientation(javafx.geometry.Orientation.VERTICAL);
        split.setDividerPositions(0.8);
        setCenter(split);
        BorderPane.setMargin(split, new Insets(8, 0, 0, 0));
        model.outcomeProperty().addListener((obs, o, outcome) -> showOutcome(outcome));
    }

    public EvalDialogModel model() {
        return model;
    }

    /** Opens the dialog in its own window, with the dataset and models filled in when given. */
    public static Stage open(Window owner, Path dataset, List<String> models) {
        EvalDialogModel m = new EvalDialogModel();
        if (dataset != null) {
            m.datasetProperty().set(dataset.toString());
        }
        if (models != null) {
            m.modelsProperty().set(String.join(",", models));
        }
        EvalDialog dialog = new EvalDialog(m);
        Stage stage = new Stage();
        if (owner != null) {
            stage.initOwner(owner);
        }
        stage.setTitle("Evaluate models");
        stage.setScene(new Scene(dialog, 1150, 800));
        stage.setOnHidden(e -> m.cancel());
        stage.show();
        return stage;
    }

    private VBox buildForm() {
        TextField dataset = new TextField();
        dataset.setId("evalDataset");
        dataset.setPromptText("LabelMe folder or COCO .json");
        dataset.textProperty().bindBidirectional(model.datasetProperty());
        Button datasetFolder = new Button("Folder…");
        datasetFolder.setOnAction(e -> {
            var f = new DirectoryChooser().showDialog(getScene().getWindow());
            if (f != null) {
                model.datasetProperty().set(f.getAbsolutePath());
            }
        });
        Button datasetCoco = new Button("COCO file…");
        datasetCoco.setOnAction(e -> {
            FileChooser c = new FileChooser();
            c.getExtensionFilters().add(new FileChooser.ExtensionFilter("COCO json", "*.json"));
            var f = c.showOpenDialog(getScene().getWindow());
            if (f != null) {
                model.datasetProperty().set(f.getAbsolutePath());
            }
        });
        TextField models = new TextField();
        models.setId("evalModels");
        models.setPromptText("sam_vit_b,robustsam_vit_b or checkpoint paths, comma-separated");
        models.textProperty().bindBidirectional(model.modelsProperty());
        Button addModel = new Button("Add checkpoint…");
        addModel.setOnAction(e -> {
            FileChooser c = new FileChooser();
            c.getExtensionFilters().add(new FileChooser.ExtensionFilter("Checkpoints", "*.pth", "*.pt", "*.safetensors"));
            var f = c.showOpenDialog(getScene().getWindow());
            if (f != null) {
                String now = model.modelsProperty().get().trim();
                model.modelsProperty().set(now.isEmpty() ? f.getAbsolutePath() : now + "," + f.getAbsolutePath());
            }
        });
        TextField out = new TextField();
        out.setId("evalOut");
        out.setPromptText("default: <dataset>/eval-report");
        out.textProperty().bindBidirectional(model.outProperty());

        MenuButton degradations = new MenuButton();
        degradations.setId("evalDegradations");
        updateDegradationText(degradations);
        model.degradations().addListener((javafx.collections.ListChangeListener<String>) c -> updateDegradationText(degradations));
        CheckBox all = new CheckBox("all");
        all.setSelected(model.degradations().size() == Degradations.ids().size());
        all.setOnAction(e -> model.degradations().setAll(all.isSelected() ? Degradations.ids() : List.of()));
        degradations.getItems().add(new CustomMenuItem(all, false));
        for (Degradation d : Degradations.all()) {
            CheckBox box = new CheckBox(d.name());
            box.setSelected(model.degradations().contains(d.id()));
            model.degradations().addListener((javafx.collections.ListChangeListener<String>) c -> box.setSelected(model.degradations().contains(d.id())));
            box.setOnAction(e -> {
                if (box.isSelected() && !model.degradations().contains(d.id())) {
                    model.degradations().add(d.id());
                } else if (!box.isSelected()) {
                    model.degradations().remove(d.id());
                }
            });
            degradations.getItems().add(new CustomMenuItem(box, false));
        }
        CheckBox clean = new CheckBox("clean");
        clean.selectedProperty().bindBidirectional(model.includeCleanProperty());
        Spinner<Integer> severity = new Spinner<>(Degradation.MIN_SEVERITY, Degradation.MAX_SEVERITY, model.severityProperty().get());
        severity.setPrefWidth(70);
        severity.valueProperty().addListener((obs, o, v) -> model.severityProperty().set(v));
        CheckBox box = new CheckBox("box");
        box.selectedProperty().bindBidirectional(model.boxPromptsProperty());
        CheckBox point = new CheckBox("point");
        point.selectedProperty().bindBidirectional(model.pointPromptsProperty());
        ComboBox<PointRule> rule = new ComboBox<>();
        rule.getItems().setAll(PointRule.values());
        rule.valueProperty().bindBidirectional(model.pointRuleProperty());
        rule.setConverter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(PointRule r) {
                return r == null ? "" : r == PointRule.CENTER ? "farthest from boundary" : "random (seeded)";
            }

            @Override
            public PointRule fromString(String s) {
                return null;
            }
        });
        TextField seed = new TextField();
        seed.setPrefColumnCount(5);
        seed.textProperty().bindBidirectional(model.seedProperty());
        CheckBox overwrite = new CheckBox("start over");
        overwrite.selectedProperty().bindBidirectional(model.overwriteProperty());

        GridPane grid = new GridPane();
        grid.setHgap(8);
        grid.setVgap(6);
        grid.addRow(0, new Label("Dataset"), dataset, new HBox(4, datasetFolder, datasetCoco));
        grid.addRow(1, new Label("Models"), models, addModel);
        grid.addRow(2, new Label("Report folder"), out, overwrite);
        HBox choices = new HBox(8, new Label("Degradations"), degradations, clean, new Label("Severity"), severity, new Label("Prompts"),
                box, point, new Label("point rule"), rule, new Label("Seed"), seed);
        choices.setAlignment(Pos.CENTER_LEFT);
        grid.add(choices, 0, 3, 3, 1);
        GridPane.setHgrow(dataset, Priority.ALWAYS);
        GridPane.setHgrow(models, Priority.ALWAYS);
        GridPane.setHgrow(out, Priority.ALWAYS);

        Button run = new Button("Run");
        run.setId("evalRun");
        run.setDefaultButton(true);
        run.disableProperty().bind(model.runningProperty());
        run.setOnAction(e -> {
            String why = model.start();
            problem.setText(why == null ? "" : why);
        });
        Button cancel = new Button("Cancel");
        cancel.setId("evalCancel");
        cancel.disableProperty().bind(model.runningProperty().not());
        cancel.setOnAction(e -> model.cancel());
        ProgressBar bar = new ProgressBar(0);
        bar.setId("evalProgress");
        bar.setPrefWidth(300);
        bar.progressProperty().bind(model.progressProperty());
        bar.visibleProperty().bind(model.runningProperty().or(model.outcomeProperty().isNotNull()));
        Label status = new Label();
        status.setId("evalStatus");
        status.textProperty().bind(model.statusProperty());
        problem.setId("evalProblem");
        problem.setStyle("-fx-text-fill: #c0392b;");
        HBox actions = new HBox(8, run, cancel, bar, status, problem);
        actions.setAlignment(Pos.CENTER_LEFT);
        return new VBox(8, grid, actions);
    }

    private void updateDegradationText(MenuButton b) {
        int n = model.degradations().size();
        b.setText(n == Degradations.ids().size() ? "all 15" : n + " of 15");
    }

    private void showOutcome(EvalJob.Outcome outcome) {
        results.getTabs().clear();
        if (outcome == null) {
            return;
        }
        EvalTable table = outcome.report().table();
        for (EvalTable.Section s : table.sections()) {
            Tab tab = new Tab(s.prompt().title() + " prompts");
            tab.setClosable(false);
            tab.setContent(sectionView(table, s));
            results.getTabs().add(tab);
        }
    }

    private VBox sectionView(EvalTable table, EvalTable.Section section) {
        TableView<EvalTable.Row> view = new TableView<>();
        view.setId("evalTable-" + section.prompt().id());
        view.getItems().setAll(section.rows());
        TableColumn<EvalTable.Row, String> name = new TableColumn<>("Degradation");
        name.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().title()));
        name.setPrefWidth(170);
        TableColumn<EvalTable.Row, String> n = new TableColumn<>("n");
        n.setCellValueFactory(c -> new ReadOnlyStringWrapper(String.valueOf(c.getValue().count(table.models().get(0)))));
        view.getColumns().add(name);
        view.getColumns().add(n);
        for (String model : table.models()) {
            TableColumn<EvalTable.Row, String> group = new TableColumn<>(model);
            for (EvalMetric m : EvalMetric.values()) {
                TableColumn<EvalTable.Row, String> col = new TableColumn<>(m.title());
                col.setCellValueFactory(c -> new ReadOnlyStringWrapper(EvalReport.value(c.getValue().cell(model, m))));
                col.setStyle("-fx-alignment: CENTER-RIGHT;");
                group.getColumns().add(col);
            }
            view.getColumns().add(group);
        }
        view.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY);

        CategoryAxis x = new CategoryAxis();
        NumberAxis y = new NumberAxis(0, 1, 0.2);
        BarChart<String, Number> chart = new BarChart<>(x, y);
        chart.setId("evalChart-" + section.prompt().id());
        chart.setAnimated(false);
        chart.setLegendVisible(true);
        ComboBox<EvalMetric> metric = new ComboBox<>();
        metric.getItems().setAll(EvalMetric.values());
        metric.setValue(EvalMetric.IOU);
        metric.setConverter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(EvalMetric m) {
                return m == null ? "" : m.title();
            }

            @Override
            public EvalMetric fromString(String s) {
                return null;
            }
        });
        metric.valueProperty().addListener((obs, o, m) -> fillChart(chart, table, section, m));
        fillChart(chart, table, section, EvalMetric.IOU);
        HBox chartBar = new HBox(8, new Label("Chart"), metric);
        chartBar.setAlignment(Pos.CENTER_LEFT);
        VBox box = new VBox(6, view, chartBar, chart);
        VBox.setVgrow(chart, Priority.ALWAYS);
        // Two header rows (model, metric) and every row visible up to 17 (15 degradations, clean, average).
        double height = 64 + 26 * Math.min(section.rows().size(), 17);
        view.setPrefHeight(height);
        view.setMinHeight(height);
        box.setPadding(new Insets(6));
        return box;
    }

    private static void fillChart(BarChart<String, Number> chart, EvalTable table, EvalTable.Section section, EvalMetric metric) {
        chart.getData().clear();
        chart.setTitle(section.prompt().title() + " prompts: " + metric.title());
        for (String model : table.models()) {
            XYChart.Series<String, Number> series = new XYChart.Series<>();
            series.setName(model);
            for (EvalTable.Row r : section.rows()) {
                EvalTable.Cell c = r.cell(model, metric);
                series.getData().add(new XYChart.Data<>(r.title(), c.isEmpty() ? 0 : c.mean()));
            }
            chart.getData().add(series);
        }
    }
}
