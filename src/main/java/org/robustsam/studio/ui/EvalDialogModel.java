package org.robustsam.studio.ui;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.concurrent.Task;
import org.robustsam.studio.degrade.Degradation;
import org.robustsam.studio.degrade.Degradations;
import org.robustsam.studio.eval.BoundaryTolerance;
import org.robustsam.studio.eval.EvalIssue;
import org.robustsam.studio.eval.EvalJob;
import org.robustsam.studio.eval.EvalSettings;
import org.robustsam.studio.eval.PointRule;
import org.robustsam.studio.eval.PromptType;
import org.robustsam.studio.model.manager.ModelStore;
import org.robustsam.studio.model.registry.ModelRegistry;

/**
 * The evaluation dialog's state: the same choices as {@code studio eval}, a run on a background
 * {@link Task} (progress, log lines) and its outcome, for {@link EvalDialog}.
 */
public final class EvalDialogModel {
    /** Lines kept in the log list; a big dataset's warnings should not fill memory. */
    static final int MAX_LOG_LINES = 500;

    private final StringProperty dataset = new SimpleStringProperty(this, "dataset", "");
    private final StringProperty models = new SimpleStringProperty(this, "models", "");
    private final StringProperty out = new SimpleStringProperty(this, "out", "");
    private final ObservableList<String> degradations = FXCollections.observableArrayList(Degradations.ids());
    private final BooleanProperty includeClean = new SimpleBooleanProperty(this, "includeClean", true);
    private final IntegerProperty severity = new SimpleIntegerProperty(this, "severity", Degradation.REFERENCE_SEVERITY);
    private final BooleanProperty boxPrompts = new SimpleBooleanProperty(this, "boxPrompts", true);
    private final BooleanProperty pointPrompts = new SimpleBooleanProperty(this, "pointPrompts", true);
    private final ObjectProperty<PointRule> pointRule = new SimpleObjectProperty<>(this, "pointRule", PointRule.CENTER);
    private final StringProperty seed = new SimpleStringProperty(this, "seed", "0");
    private final BooleanProperty overwrite = new SimpleBooleanProperty(this, "overwrite", false);

    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(this, "running");
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress", 0);
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");
    private final ObservableList<String> log = FXCollections.observableArrayList();
    private final ReadOnlyObjectWrapper<EvalJob.Outcome> outcome = new ReadOnlyObjectWrapper<>(this, "outcome");
    private volatile EvalJob job;

    public StringProperty datasetProperty() {
        return dataset;
    }

    /** Checkpoint paths or registry ids, comma-separated, in column order. */
    public StringProperty modelsProperty() {
        return models;
    }

    /** Report folder; empty = {@code <dataset folder>/eval-report}. */
    public StringProperty outProperty() {
        return out;
    }

    /** Degradation ids to evaluate (all 15 at first). */
    public ObservableList<String> degradations() {
        return degradations;
    }

    public BooleanProperty includeCleanProperty() {
        return includeClean;
    }

    public IntegerProperty severityProperty() {
        return severity;
    }

    public BooleanProperty boxPromptsProperty() {
        return boxPrompts;
    }

    public BooleanProperty pointPromptsProperty() {
        return pointPrompts;
    }

    public ObjectProperty<PointRule> pointRuleProperty() {
        return pointRule;
    }

    public StringProperty seedProperty() {
        return seed;
    }

    public BooleanProperty overwriteProperty() {
        return overwrite;
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    /** 0..1, or -1 while the dataset and models load. */
    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** Messages and skipped items of the current run, newest last. */
    public ObservableList<String> log() {
        return log;
    }

    public ReadOnlyObjectProperty<EvalJob.Outcome> outcomeProperty() {
        return outcome.getReadOnlyProperty();
    }

    /** The report folder this run writes to. */
    public Path outputFolder() {
        if (!out.get().isBlank()) {
            return Path.of(out.get().trim());
        }
        Path d = Path.of(dataset.get().trim()).toAbsolutePath();
        Path base = d.toFile().isDirectory() ? d : d.getParent();
        return base.resolve("eval-report");
    }

    /**
     * Checks the choices and starts the run in the background; returns the problem with the
     * choices instead (nothing starts then).
     */
    public String start() {
        if (running.get()) {
            return "an evaluation is already running";
        }
        EvalJob.Request request;
        try {
            request = request();
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        log.clear();
        outcome.set(null);
        running.set(true);
        progress.set(-1);
        status.set("reading " + request.dataset().getFileName() + " and loading models…");
        EvalJob j = new EvalJob(ModelRegistry.bundled(), new ModelStore(ModelStore.defaultDir()));
        job = j;
        Task<EvalJob.Outcome> task = new Task<>() {
            @Override
            protected EvalJob.Outcome call() throws Exception {
                return j.run(request, new EvalJob.Listener() {
                    @Override
                    public void progressed(int done, int total) {
                        updateProgress(done, total);
                        updateMessage(done + " of " + total + " cases");
                    }

                    @Override
                    public void issue(EvalIssue issue) {
                        addLog(issue.toString());
                    }

                    @Override
                    public void message(String text) {
                        addLog(text);
                    }
                });
            }
        };
        task.progressProperty().addListener((obs, o, v) -> progress.set(v.doubleValue()));
        task.messageProperty().addListener((obs, o, v) -> status.set(v));
        task.setOnSucceeded(e -> {
            EvalJob.Outcome o = task.getValue();
            outcome.set(o);
            running.set(false);
            progress.set(1);
            status.set((o.result().cancelled() ? "cancelled: " : "done: ") + o.result().cases().size() + " cases ("
                    + o.result().computed() + " computed, " + o.result().reused() + " reused); report in " + request.out());
        });
        task.setOnFailed(e -> {
            running.set(false);
            progress.set(0);
            Throwable t = task.getException();
            status.set("failed: " + (t.getMessage() != null ? t.getMessage() : t.toString()));
            addLog(status.get());
        });
        Thread t = new Thread(task, "eval-dialog");
        t.setDaemon(true);
        t.start();
        return null;
    }

    /** Stops after the cases in progress; what was computed stays in cases.csv and the report is still written. */
    public void cancel() {
        EvalJob j = job;
        if (j != null) {
            j.cancel();
            status.set("cancelling…");
        }
    }

    EvalJob.Request request() {
        if (dataset.get().isBlank()) {
            throw new IllegalArgumentException("choose a dataset: a LabelMe folder or a COCO .json file");
        }
        List<String> sources = new ArrayList<>(Arrays.stream(models.get().split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("choose at least one model (checkpoint paths or registry ids, comma-separated)");
        }
        List<PromptType> prompts = new ArrayList<>();
        if (boxPrompts.get()) {
            prompts.add(PromptType.BOX);
        }
        if (pointPrompts.get()) {
            prompts.add(PromptType.POINT);
        }
        long s;
        try {
            s = Long.parseLong(seed.get().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the seed must be a whole number, got '" + seed.get() + "'");
        }
        List<String> chosen = Degradations.ids().stream().filter(degradations::contains).toList();
        EvalSettings settings = new EvalSettings(chosen, includeClean.get(), severity.get(), prompts, pointRule.get(), s,
                BoundaryTolerance.DAVIS, 0);
        return new EvalJob.Request(Path.of(dataset.get().trim()), sources, settings, outputFolder(), overwrite.get());
    }

    private void addLog(String line) {
        Platform.runLater(() -> {
            log.add(line);
            if (log.size() > MAX_LOG_LINES) {
                log.remove(0, log.size() - MAX_LOG_LINES);
            }
        });
    }
}
