package org.robustsam.studio.ui;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.robustsam.studio.model.manager.ModelStore;
import org.robustsam.studio.train.CheckpointStore;
import org.robustsam.studio.train.EvaluationSummary;
import org.robustsam.studio.train.LossValues;
import org.robustsam.studio.train.TrainingConfig;
import org.robustsam.studio.train.TrainingConfigException;
import org.robustsam.studio.train.TrainingEvent;
import org.robustsam.studio.train.TrainedModels;
import org.robustsam.studio.train.TrainingJobLauncher;
import org.robustsam.studio.train.ValidationMetrics;

/**
 * The jobs panel's state, plain Java with observable properties: the job file, whether a job runs,
 * its progress and the loss and validation curves as they arrive, and at the end the before/after
 * evaluation and the model, registered in the model picker and ready to use. Jobs run as separate processes
 * through {@link TrainingJobLauncher}; their events come in on a reader thread and are applied on
 * {@code uiThread} (the FX thread in the app: {@code Platform::runLater}).
 */
public final class JobsViewModel {
    /** Job lifecycle as the panel shows it. */
    public enum Status { IDLE, STARTING, RUNNING, CANCELLING, DONE, CANCELLED, FAILED }

    /**
     * One step's losses: the total and each term weighted as it enters the total ({@code teacherMask}
     * is NaN when the job does not use it).
     */
    public record LossPoint(int step, double total, double focal, double dice, double token, double embedding,
            double teacherMask) {}

    /** One validation. */
    public record ValidationPoint(int step, int epoch, ValidationMetrics metrics) {}

    private final TrainingJobLauncher launcher;
    private final Executor uiThread;
    private final Supplier<ModelStore> modelStore;
    private Consumer<Path> onUse = p -> { };
    private final ObjectProperty<Path> configFile = new SimpleObjectProperty<>();
    private final ObjectProperty<Status> status = new SimpleObjectProperty<>(Status.IDLE);
    private final BooleanProperty running = new SimpleBooleanProperty();
    private final BooleanProperty canResume = new SimpleBooleanProperty();
    private final DoubleProperty progress = new SimpleDoubleProperty();
    private final IntegerProperty step = new SimpleIntegerProperty();
    private final IntegerProperty totalSteps = new SimpleIntegerProperty();
    private final StringProperty message = new SimpleStringProperty("");
    private final StringProperty lastCheckpoint = new SimpleStringProperty();
    private final StringProperty modelFile = new SimpleStringProperty();
    private final StringProperty modelName = new SimpleStringProperty();
    private final ObjectProperty<EvaluationSummary> evaluation = new SimpleObjectProperty<>();
    private final ObservableList<LossPoint> losses = FXCollections.observableArrayList();
    private final ObservableList<ValidationPoint> validations = FXCollections.observableArrayList();
    private TrainingConfig.LossWeights weights = new TrainingConfig.LossWeights();
    private volatile TrainingJobLauncher.Job job;
    private volatile long cancelRequestedNanos;
    private volatile long exitedNanos;

    /** Jobs whose models are not registered anywhere (tests of the job lifecycle alone). */
    public JobsViewModel(TrainingJobLauncher launcher, Executor uiThread) {
        this(launcher, uiThread, null);
    }

    /**
     * @param modelStore where a finished job's model is registered (under the job's name and date), so
     *     the model picker lists it; null registers nothing. Asked at each job's end, so a models
     *     folder changed meanwhile in the Model Manager is the one used.
     */
    public JobsViewModel(TrainingJobLauncher launcher, Executor uiThread, Supplier<ModelStore> modelStore) {
        this.launcher = launcher;
        this.uiThread = uiThread;
        this.modelStore = modelStore;
        configFile.addListener((o, a, b) -> refreshCanResume());
    }

    /** Called with the finished job's model file when the user asks to use it (the app loads it for annotation). */
    public void setOnUse(Consumer<Path> onUse) {
        this.onUse = onUse == null ? p -> { } : onUse;
    }

    public ObjectProperty<Path> configFileProperty() {
        return configFile;
    }

    public ReadOnlyObjectProperty<Status> statusProperty() {
        return status;
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running;
    }

    public ReadOnlyBooleanProperty canResumeProperty() {
        return canResume;
    }

    /** 0..1 of the job's steps. */
    public ReadOnlyDoubleProperty progressProperty() {
        return progress;
    }

    public ReadOnlyIntegerProperty stepProperty() {
        return step;
    }

    public ReadOnlyIntegerProperty totalStepsProperty() {
        return totalSteps;
    }

    /** One line for the status bar: step, loss, learning rate, speed, time left; or what went wrong. */
    public ReadOnlyStringProperty messageProperty() {
        return message;
    }

    public ReadOnlyStringProperty lastCheckpointProperty() {
        return lastCheckpoint;
    }

    /** The finished job's model file (official RobustSAM layout), for the model picker. */
    public ReadOnlyStringProperty modelFileProperty() {
        return modelFile;
    }

    /** The name the finished job's model is listed under in the model picker; null when not registered. */
    public ReadOnlyStringProperty modelNameProperty() {
        return modelName;
    }

    /** The finished job's before/after evaluation; null while running or when the job had none. */
    public ReadOnlyObjectProperty<EvaluationSummary> evaluationProperty() {
        return evaluation;
    }

    /** Loads the finished job's model for annotation (through {@link #setOnUse}). */
    public void useModel() {
        String file = modelFile.get();
        if (file != null) {
            onUse.accept(Path.of(file));
        }
    }

    public ObservableList<LossPoint> losses() {
        return losses;
    }

    public ObservableList<ValidationPoint> validations() {
        return validations;
    }

    /** The running (or last) job process, if any. */
    public Optional<TrainingJobLauncher.Job> job() {
        return Optional.ofNullable(job);
    }

    /** Milliseconds from the last cancel request to the job process's end; -1 while unknown. */
    public long cancelToExitMillis() {
        long c = cancelRequestedNanos;
        long e = exitedNanos;
        return c > 0 && e > c ? (e - c) / 1_000_000 : -1;
    }

    /** Starts the job file's job from scratch (its output folder's checkpoints are replaced as it goes). */
    public void launch() {
        start(false);
    }

    /** Continues the job from its latest checkpoint. */
    public void resume() {
        start(true);
    }

    private void start(boolean resume) {
        Path config = configFile.get();
        if (running.get()) {
            return;
        }
        if (config == null) {
            fail("choose a job file first");
            return;
        }
        TrainingConfig c;
        try {
            c = TrainingConfig.read(config);
        } catch (TrainingConfigException e) {
            fail(e.getMessage());
            return;
        }
        weights = c.loss;
        if (!resume) {
            losses.clear();
            validations.clear();
        }
        lastCheckpoint.set(null);
        modelFile.set(null);
        modelName.set(null);
        evaluation.set(null);
        progress.set(0);
        step.set(0);
        cancelRequestedNanos = 0;
        exitedNanos = 0;
        status.set(Status.STARTING);
        running.set(true);
        canResume.set(false);
        message.set((resume ? "resuming " : "starting ") + c.name + "…");
        try {
            job = launcher.start(config, resume, new TrainingJobLauncher.Listener() {
                @Override
                public void onEvent(TrainingEvent event) {
                    Registration registered = event.is(TrainingEvent.DONE) ? register(c.name, event.path()) : null;
                    uiThread.execute(() -> {
                        apply(event);
                        if (registered != null) {
                            modelName.set(registered.name());
                            message.set(registered.name() != null ? "done: \"" + registered.name()
                                    + "\" is in the model picker" : "done: " + event.path() + ", but it could not be "
                                    + "added to the model picker: " + registered.problem());
                        }
                    });
                }

                @Override
                public void onExit(int exitCode) {
                    exitedNanos = System.nanoTime();
                    uiThread.execute(() -> exited(exitCode));
                }
            });
        } catch (IOException | TrainingConfigException e) {
            running.set(false);
            fail("cannot start the job: " + e.getMessage());
        }
    }

    /** The name a finished job's model got in the model picker, or why it got none. */
    private record Registration(String name, String problem) {}

    /**
     * Registers a finished job's model (on the job's reader thread: it reads the file's header);
     * null when there is no store to register in.
     */
    private Registration register(String job, String model) {
        if (modelStore == null || model == null) {
            return null;
        }
        try {
            return new Registration(TrainedModels.register(modelStore.get(), job, Path.of(model)).name(), null);
        } catch (IOException | RuntimeException e) {
            return new Registration(null, e.getMessage());
        }
    }

    /** Stops the running job: SIGTERM, then SIGKILL after 2 s; the latest checkpoint stays. */
    public void cancel() {
        TrainingJobLauncher.Job j = job;
        if (j != null && j.isAlive()) {
            cancelRequestedNanos = System.nanoTime();
            status.set(Status.CANCELLING);
            message.set("stopping…");
            j.cancel();
        }
    }

    /** Stops a running job (the panel is closing). */
    public void dispose() {
        cancel();
    }

    void apply(TrainingEvent e) {
        switch (e.event()) {
            case TrainingEvent.START -> {
                status.set(Status.RUNNING);
                totalSteps.set(e.totalSteps());
                step.set(e.step());
                progress.set(e.totalSteps() == 0 ? 0 : (double) e.step() / e.totalSteps());
                message.set(String.format(Locale.ROOT, "%d training / %d validation samples, %d steps",
                        e.trainSamples(), e.validationSamples(), e.totalSteps()));
            }
            case TrainingEvent.STEP -> {
                step.set(e.step());
                totalSteps.set(e.totalSteps());
                progress.set((double) e.step() / e.totalSteps());
                LossValues l = e.loss();
                losses.add(new LossPoint(e.step(), l.total(), weights.groundTruthMask * weights.focal * l.focal(),
                        weights.groundTruthMask * weights.dice * l.dice(), weights.token * l.token(),
                        weights.embedding * l.embedding(),
                        weights.teacherMask == 0 ? Double.NaN
                                : weights.teacherMask * (weights.focal * l.teacherFocal() + weights.dice * l.teacherDice())));
                message.set(String.format(Locale.ROOT, "step %d/%d  loss %.4f  lr %.2e  %.2f steps/s  ETA %s", e.step(),
                        e.totalSteps(), l.total(), e.lr(), e.stepsPerSecond(), clock(e.etaSeconds())));
            }
            case TrainingEvent.VALIDATION -> validations.add(new ValidationPoint(e.step(), e.epoch(), e.validation()));
            case TrainingEvent.CHECKPOINT -> lastCheckpoint.set(e.path());
            case TrainingEvent.EVALUATING -> message.set(String.format(Locale.ROOT,
                    "before/after evaluation: %d of %d cases", e.casesDone(), e.casesTotal()));
            case TrainingEvent.DONE -> {
                modelFile.set(e.path());
                evaluation.set(e.evaluation());
                progress.set(1);
                message.set("done: " + e.path());
            }
            case TrainingEvent.CANCELLED -> {
                if (e.path() != null) {
                    lastCheckpoint.set(e.path());
                }
            }
            case TrainingEvent.ERROR -> message.set("failed: " + e.message());
            default -> { }
        }
    }

    private void exited(int exitCode) {
        running.set(false);
        TrainingEvent last = job == null ? null : job.lastEvent();
        if (exitCode == 0 && last != null && last.is(TrainingEvent.DONE)) {
            status.set(Status.DONE);
        } else if (status.get() == Status.CANCELLING || exitCode == 3) {
            status.set(Status.CANCELLED);
            message.set("stopped at step " + step.get() + (lastCheckpoint.get() != null
                    ? "; resume continues from " + Path.of(lastCheckpoint.get()).getFileName() : ""));
        } else {
            status.set(Status.FAILED);
            if (last == null || !last.is(TrainingEvent.ERROR)) {
                String tail = job == null ? "" : job.logTail(3);
                message.set("the job process ended (exit " + exitCode + ")" + (tail.isBlank() ? "" : ": " + tail));
            }
        }
        refreshCanResume();
    }

    private void fail(String text) {
        status.set(Status.FAILED);
        message.set(text);
    }

    private void refreshCanResume() {
        Path config = configFile.get();
        boolean can = false;
        if (config != null && !running.get()) {
            try {
                TrainingConfig c = TrainingConfig.read(config);
                can = new CheckpointStore(c.outputFolder(config), c.keepCheckpoints).latest().isPresent();
            } catch (TrainingConfigException | IOException e) {
                can = false;
            }
        }
        canResume.set(can);
    }

    private static String clock(Double seconds) {
        if (seconds == null || !Double.isFinite(seconds)) {
            return "?";
        }
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
