package org.robustsam.studio.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.robustsam.studio.model.manager.ModelStore;
import org.robustsam.studio.model.manager.NamedModel;
import org.robustsam.studio.train.TrainedModels;
import org.robustsam.studio.train.Trainer;
import org.robustsam.studio.train.TrainingConfig;
import org.robustsam.studio.train.TrainingConfigException;
import org.robustsam.studio.train.TrainingEvent;
import org.robustsam.studio.train.TrainingException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code studio train --config job.json [--resume]}: a fine-tuning job, headless. Progress events go
 * to the standard output as JSON lines (what the app's job launcher reads) and to
 * {@code events.jsonl} in the output folder; a progress bar goes to the error stream. On SIGTERM
 * the job stops at the next step boundary and checkpoints if that comes within the grace period;
 * whatever happens, the latest periodic checkpoint stays whole. A finished job prints its
 * before/after evaluation and is added to the model picker as "job name (date time)" in the models
 * folder, unless {@code --no-register} (the app's jobs panel passes it and registers the model itself).
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Fine-tune RobustSAM's modules (AMFG, AOTG, ROT) on labelled images, on top of a frozen SAM.",
            "Writes checkpoints in the official RobustSAM layout, events.jsonl, results.json and the job file to the "
                + "job's output folder; ends with the before/after evaluation (SAM, RobustSAM before and after, clean and "
                + "degraded) in eval/ and adds the model to the model picker."})
final class TrainCommand implements Callable<Integer> {
    /** How long a SIGTERM waits for the job to checkpoint at a step boundary before the JVM exits. */
    static final long STOP_GRACE_MILLIS = 1200;

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "JOB.json", description = "The job file.")
    Path config;

    @Option(names = "--resume", description = "Continue from the latest checkpoint in the job's output folder.")
    boolean resume;

    @Option(names = "--quiet", description = "No JSON events on the standard output (events.jsonl is still written).")
    boolean quiet;

    @Option(names = "--no-register", description = "Do not list the finished model in the model picker (by default it "
            + "is registered in the models folder as \"<job name> (<date> <time>)\").")
    boolean noRegister;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        TrainingConfig job;
        try {
            job = TrainingConfig.read(config);
        } catch (TrainingConfigException e) {
            err.println("studio train: " + e.getMessage());
            err.flush();
            return 2;
        }
        Path folder = job.outputFolder(config);
        ProgressBar bar = new ProgressBar(err, "train " + job.name);
        CountDownLatch finished = new CountDownLatch(1);
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            err.println("studio train: cannot create " + folder + ": " + e.getMessage());
            return 1;
        }
        try (Writer log = Files.newBufferedWriter(folder.resolve("events.jsonl"), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                resume ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
            Trainer trainer = new Trainer(job, config, event -> {
                String line = event.toJson();
                synchronized (this) {
                    if (!quiet) {
                        out.println(line);
                        out.flush();
                    }
                    try {
                        log.write(line);
                        log.write('\n');
                        log.flush();
                    } catch (IOException e) {
                        // the stdout copy is what the app reads; the file is a record
                    }
                }
                report(bar, event);
            });
            Thread hook = new Thread(() -> {
                trainer.requestStop();
                try {
                    finished.await(STOP_GRACE_MILLIS, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "train-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                Trainer.Result r = trainer.run(resume);
                bar.finish();
                if (r.completed()) {
                    err.println("model: " + r.model());
                    if (r.evaluation() != null) {
                        err.println("before/after evaluation (report in " + r.evaluation().folder() + "):");
                        err.print(r.evaluation().table());
                    }
                    register(err, job.name, r.model());
                }
                return r.completed() ? 0 : 3;
            } catch (TrainingException e) {
                error(out, log, e.getMessage());
                err.println("studio train: " + e.getMessage());
                return 1;
            } finally {
                finished.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // shutting down already
                }
            }
        } catch (IOException | RuntimeException e) {
            String message = e.getClass().getSimpleName() + ": " + e.getMessage();
            out.println(TrainingEvent.message(TrainingEvent.ERROR, message).toJson());
            out.flush();
            err.println("studio train: " + message);
            e.printStackTrace(err);
            return 1;
        } finally {
            err.flush();
        }
    }

    /** Lists the model in the model picker under the job's name and date, or says how to. */
    private void register(PrintWriter err, String name, Path model) {
        String byHand = "studio models add --name \"" + TrainedModels.nameFor(name, LocalDateTime.now()) + "\" " + model;
        if (noRegister) {
            err.println("not added to the model picker (--no-register); to add it: " + byHand);
            return;
        }
        ModelStore store = new ModelStore(ModelStore.defaultDir());
        try {
            NamedModel m = TrainedModels.register(store, name, model);
            err.println("in the model picker as \"" + m.name() + "\" (models folder " + store.dir() + ")");
        } catch (IOException | RuntimeException e) {
            err.println("could not add the model to the model picker (" + e.getMessage() + "); to add it: " + byHand);
        }
    }

    private void error(PrintWriter out, Writer log, String message) {
        String line = TrainingEvent.message(TrainingEvent.ERROR, message).toJson();
        if (!quiet) {
            out.println(line);
            out.flush();
        }
        try {
            log.write(line + "\n");
            log.flush();
        } catch (IOException e) {
            // best effort
        }
    }

    private static void report(ProgressBar bar, TrainingEvent e) {
        switch (e.event()) {
            case TrainingEvent.START -> bar.message(String.format(Locale.ROOT,
                    "%d training and %d validation samples, %d steps (%d per epoch) from step %d, output %s",
                    e.trainSamples(), e.validationSamples(), e.totalSteps(), e.stepsPerEpoch(), e.step(), e.path()));
            case TrainingEvent.STEP -> bar.update(e.step(), e.totalSteps());
            case TrainingEvent.VALIDATION -> bar.message(String.format(Locale.ROOT,
                    "step %d: validation IoU RobustSAM degraded %.4f clean %.4f | SAM degraded %.4f clean %.4f | "
                            + "agreement %.4f", e.step(), e.validation().robustDegraded(), e.validation().robustClean(),
                    e.validation().samDegraded(), e.validation().samClean(), e.validation().agreement()));
            case TrainingEvent.CHECKPOINT -> bar.message("checkpoint " + e.path());
            case TrainingEvent.EVALUATING -> {
                if (e.casesDone() == 0) {
                    bar.message("before/after evaluation of SAM, RobustSAM before and after: " + e.casesTotal() + " cases");
                }
                bar.update(e.casesDone(), e.casesTotal());
            }
            case TrainingEvent.WARNING -> bar.message("warning: " + e.message());
            case TrainingEvent.CANCELLED -> bar.message("stopped at step " + e.step()
                    + (e.path() != null ? "; checkpoint " + e.path() : ""));
            default -> { }
        }
    }
}
