package org.robustsam.studio.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.robustsam.studio.annotate.mask.BinaryMask;
import org.robustsam.studio.eval.MaskMetrics;
import org.robustsam.studio.inference.Engines;
import org.robustsam.studio.inference.SamTransforms;
import org.robustsam.studio.model.checkpoint.CheckpointException;
import org.robustsam.studio.model.checkpoint.StateDict;
import org.robustsam.studio.model.registry.ModelIdentifier;
import org.robustsam.studio.model.registry.ModelIdentity;
import org.robustsam.studio.model.robustsam.RobustMaskDecoder;
import org.robustsam.studio.model.robustsam.RobustSam;
import org.robustsam.studio.model.sam.SamConfig;

/**
 * Runs a fine-tuning job in this process: loads the data and the model, evaluates once before
 * training, then steps ({@link TrainingStep}, {@link AdamW}, {@link LearningRateSchedule}),
 * validating after every epoch and checkpointing every {@code checkpointEvery} steps and at the
 * end, reporting everything as {@link TrainingEvent}s. With {@code resume}, continues from the
 * latest checkpoint of the output folder: the same weights, optimizer moments, step and
 * therefore the same examples and learning rates as an uninterrupted run.
 *
 * <p>The app never runs this in its own process: {@link TrainingJobLauncher} starts
 * {@code studio train} in a separate JVM.
 */
public final class Trainer {
    /** Receives every event, on the training thread. */
    public interface Listener {
        void onEvent(TrainingEvent event);
    }

    /** The job's outcome in the output folder: model file, validation photos, validations, closing evaluation. */
    public static final String RESULTS_FILE = "results.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final TrainingConfig config;
    private final Path configFile;
    private final Listener listener;
    private volatile boolean stopRequested;

    public Trainer(TrainingConfig config, Path configFile, Listener listener) {
        this.config = config;
        this.configFile = configFile.toAbsolutePath();
        this.listener = listener;
    }

    /** Asks the job to stop at the next step boundary, saving a checkpoint there. */
    public void requestStop() {
        stopRequested = true;
    }

    public Path outputFolder() {
        return config.outputFolder(configFile);
    }

    /**
     * What a finished (or stopped) run left.
     *
     * @param before the first validation (at the starting weights), null without validation photos
     * @param after the last validation, null without validation photos or when stopped
     * @param evaluation the closing before/after evaluation ({@link FinalEvaluation}), null when there
     *     was none (no validation photos, turned off, failed, or the run was stopped)
     */
    public record Result(int step, boolean completed, Path model, Path checkpoint, ValidationMetrics before,
            ValidationMetrics after, EvaluationSummary evaluation) {}

    /** The outcome of the training loop, before the closing evaluation. */
    private record Trained(int step, boolean completed, Path model, Path checkpoint, ValidationMetrics before,
            ValidationMetrics after) {}

    public Result run(boolean resume) throws TrainingException, IOException {
        Path out = outputFolder();
        Files.createDirectories(out);
        CheckpointStore store = new CheckpointStore(out, config.keepCheckpoints);
        Optional<Path> latest = resume ? store.latest() : Optional.empty();
        if (resume && latest.isEmpty()) {
            throw new TrainingException("nothing to resume: no checkpoint in " + store.folder());
        }
        if (!resume) {
            store.clear(); // a fresh run: an older run's checkpoints must not be resumed into this one
            CheckpointStore.deleteTree(out.resolve(FinalEvaluation.FOLDER)); // nor its evaluation rows reused
        }
        Path savedConfig = out.resolve("job.json");
        if (resume && Files.isRegularFile(savedConfig)) {
            try {
                TrainingConfig before = TrainingConfig.read(savedConfig);
                before.threads = config.threads;
                if (!JSON.writeValueAsString(before).equals(JSON.writeValueAsString(config))) {
                    emit(TrainingEvent.message(TrainingEvent.WARNING, "the job file differs from the one the run started "
                            + "with (" + savedConfig + "); going on with the new one, so the result may differ from an "
                            + "uninterrupted run"));
                }
            } catch (TrainingConfigException e) {
                emit(TrainingEvent.message(TrainingEvent.WARNING, "cannot read the saved job file: " + e.getMessage()));
            }
        }
        config.write(savedConfig);
        if (config.threads > 0) {
            Engines.pytorch(); // loads the native library JniUtils calls into
            JniUtils.setNumThreads(config.threads);
        }

        TrainingData data = TrainingData.load(config.data, configFile);
        for (String w : data.warnings()) {
            emit(TrainingEvent.message(TrainingEvent.WARNING, w));
        }
        if (data.train().isEmpty()) {
            throw new TrainingException("data: all " + data.images().size() + " image(s) went to validation; "
                    + "lower data.validationFraction");
        }
        ExampleMaker examples = new ExampleMaker(data, config);
        int stepsPerEpoch = examples.stepsPerEpoch();
        int totalSteps = config.steps > 0 ? config.steps : config.epochs * stepsPerEpoch;
        int epochs = (totalSteps + stepsPerEpoch - 1) / stepsPerEpoch;

        Path base = TrainingConfig.resolve(configFile, config.model.base);
        SamConfig samConfig = samConfig(base);
        Trained trained;
        try (NDManager root = Engines.pytorch().newBaseManager()) {
            CheckpointStore.State state = latest.isPresent() ? CheckpointStore.readState(latest.get()) : null;
            RobustSam model = loadModel(samConfig, latest.map(p -> p.resolve(CheckpointStore.MODEL_FILE)).orElse(base),
                    root);
            try (model;
                 AdamW optimizer = new AdamW(model.robustParameters(), config.optimizer, root);
                 EncodingCache cache = new EncodingCache(root, (long) config.encoderCacheMb << 20)) {
                int step = 0;
                ValidationMetrics before = null;
                if (state != null) {
                    optimizer.restore(CheckpointStore.readMoments(latest.get(), root), state.optimizerSteps());
                    step = state.step();
                    before = state.before();
                }
                emit(TrainingEvent.start(step, totalSteps, stepsPerEpoch, epochs, data.train().size(),
                        data.validation().size(), out.toString()));
                Job job = new Job(model, optimizer, cache, data, examples, store, totalSteps);
                trained = job.run(step, before);
            }
        } catch (CheckpointException e) {
            throw new TrainingException(e.getMessage(), e);
        }
        if (!trained.completed()) {
            return new Result(trained.step(), false, null, trained.checkpoint(), trained.before(), null, null);
        }
        // The training model and its caches are closed by now: the evaluation holds three models of its own.
        EvaluationSummary evaluation = evaluate(data, samConfig, base, trained.model());
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("job", config.name);
        results.put("steps", trained.step());
        results.put("model", trained.model().toString());
        results.put("validationImages", data.validationImageNames());
        results.put("before", trained.before());
        results.put("after", trained.after());
        results.put("evaluation", evaluation);
        Files.write(out.resolve(RESULTS_FILE), JSON.writeValueAsBytes(results));
        emit(TrainingEvent.done(trained.step(), trained.model().toString(), trained.after(), trained.before(), evaluation));
        return new Result(trained.step(), true, trained.model(), trained.checkpoint(), trained.before(), trained.after(),
                evaluation);
    }

    /**
     * The closing before/after evaluation; null when it is off, there are no validation photos, or it
     * failed (said in a warning: the trained model is saved either way).
     */
    private EvaluationSummary evaluate(TrainingData data, SamConfig samConfig, Path base, Path model) {
        if (!config.evaluation.enabled) {
            return null;
        }
        if (data.validation().isEmpty()) {
            emit(TrainingEvent.message(TrainingEvent.WARNING, "no validation photos, so no before/after evaluation "
                    + "(raise data.validationFraction, or label more than one photo)"));
            return null;
        }
        FinalEvaluation evaluation = new FinalEvaluation(config, samConfig, base, outputFolder());
        Object lock = new Object();
        int[] shown = {-1};
        try {
            return evaluation.run(data.validationSet(), model, (done, total) -> {
                synchronized (lock) { // called from the evaluation's worker threads
                    int percent = total == 0 ? 100 : (int) (100L * done / total);
                    if (percent != shown[0]) {
                        shown[0] = percent;
                        emit(TrainingEvent.evaluating(done, total));
                    }
                }
            });
        } catch (IOException | RuntimeException e) { // EvalException and CheckpointException are IOExceptions
            emit(TrainingEvent.message(TrainingEvent.WARNING, "the before/after evaluation failed (" + e.getMessage()
                    + "); the trained model is saved"));
            return null;
        }
    }

    private SamConfig samConfig(Path base) throws TrainingException {
        if (config.model.config != null) {
            return SamConfig.named(config.model.config);
        }
        try {
            ModelIdentity id = ModelIdentifier.identify(base);
            if (id.family().equals("MobileSAM")) {
                throw new TrainingException("model.base: " + base + " is MobileSAM; RobustSAM is built on SAM ViT-B/L/H");
            }
            return SamConfig.named(id.size());
        } catch (CheckpointException e) {
            throw new TrainingException("model.base: " + e.getMessage(), e);
        }
    }

    private RobustSam loadModel(SamConfig c, Path file, NDManager root) throws CheckpointException {
        if (StateDict.readShapes(file).containsKey("mask_decoder.custom_robust_token.weight")) {
            return RobustSam.load(c, file, root);
        }
        return RobustSam.fromSamCheckpoint(c, file, config.seed, root);
    }

    private void emit(TrainingEvent e) {
        listener.onEvent(e);
    }

    /** The state of one run of the loop. */
    private final class Job {
        private final RobustSam model;
        private final AdamW optimizer;
        private final TrainingData data;
        private final ExampleMaker examples;
        private final CheckpointStore store;
        private final int totalSteps;
        private final StepRunner runner;

        Job(RobustSam model, AdamW optimizer, EncodingCache cache, TrainingData data, ExampleMaker examples,
                CheckpointStore store, int totalSteps) {
            this.model = model;
            this.optimizer = optimizer;
            this.data = data;
            this.examples = examples;
            this.store = store;
            this.totalSteps = totalSteps;
            this.runner = new StepRunner(model, optimizer, cache, data, examples, config, totalSteps);
        }

        Trained run(int step, ValidationMetrics before) throws IOException {
            NDManager root = Engines.pytorch().newBaseManager();
            try {
                if (before == null && !data.validation().isEmpty()) {
                    before = validate();
                    emit(TrainingEvent.validation(step, examples.epochOf(Math.max(0, step - 1)), before));
                }
                Path lastCheckpoint = store.latest().orElse(null);
                int savedStep = lastCheckpoint == null ? -1 : step;
                long started = System.nanoTime();
                int firstStep = step;
                while (step < totalSteps) {
                    if (stopRequested) {
                        if (savedStep != step) {
                            lastCheckpoint = save(step, before);
                        }
                        emit(TrainingEvent.cancelled(step, lastCheckpoint == null ? null : lastCheckpoint.toString()));
                        return new Trained(step, false, null, lastCheckpoint, before, null);
                    }
                    StepRunner.Outcome o = runner.step(step, root);
                    step++;
                    double seconds = (System.nanoTime() - started) / 1e9;
                    double rate = (step - firstStep) / Math.max(seconds, 1e-9);
                    emit(TrainingEvent.step(step, examples.epochOf(step - 1), totalSteps, o.loss(), o.lr(), o.gradNorm(),
                            rate, (totalSteps - step) / rate));
                    boolean epochEnd = step % examples.stepsPerEpoch() == 0 || step == totalSteps;
                    if (epochEnd && !data.validation().isEmpty() && step < totalSteps) {
                        emit(TrainingEvent.validation(step, examples.epochOf(step - 1), validate()));
                    }
                    if (config.checkpointEvery > 0 && step % config.checkpointEvery == 0 && step < totalSteps) {
                        lastCheckpoint = save(step, before);
                        savedStep = step;
                    }
                }
                Path checkpoint = savedStep == step ? lastCheckpoint : save(step, before);
                ValidationMetrics after = data.validation().isEmpty() ? null : validate();
                if (after != null) {
                    emit(TrainingEvent.validation(step, examples.epochOf(step - 1), after));
                }
                Path model = out(config.name.replaceAll("[^A-Za-z0-9_.-]", "_") + ".pth");
                copyAtomically(checkpoint.resolve(CheckpointStore.MODEL_FILE), model);
                return new Trained(step, true, model, checkpoint, before, after);
            } finally {
                root.close();
                model.setTraining(false);
                noGrad(model::rederiveDecoder);
            }
        }

        private Path out(String name) {
            return outputFolder().resolve(name);
        }

        private Path save(int step, ValidationMetrics before) throws IOException {
            Path p = store.save(model, optimizer, new CheckpointStore.State(step, optimizer.stepCount(), config.seed,
                    totalSteps, before));
            emit(TrainingEvent.checkpoint(step, p.toString()));
            return p;
        }

        /** Mean IoUs over the validation examples, in eval mode (BatchNorm on running statistics). */
        private ValidationMetrics validate() {
            model.setTraining(false);
            noGrad(model::rederiveDecoder);
            double rd = 0;
            double rc = 0;
            double sd = 0;
            double sc = 0;
            double agree = 0;
            int n = data.validation().size();
            try (NDManager scope = Engines.pytorch().newBaseManager()) {
                for (int i = 0; i < n; i++) {
                    ExampleMaker.Example ex = examples.validationExample(i);
                    int index = i;
                    try (NDManager m = scope.newSubManager()) {
                        RobustSam.Encoding clean = runner.cleanEncoding(ex.sample().image());
                        RobustSam.Encoding degraded = ex.degradedIsClean() ? clean
                                : runner.cache().get("validation-degraded:" + index, mm -> runner.encode(ex.degraded(), mm));
                        TrainingStep.Input in = runner.input(ex, clean, degraded, m);
                        byte[] samClean = mask(in, clean, true);
                        byte[] robustDegraded = mask(in, degraded, false);
                        byte[] gt = ex.mask().toRowMajor();
                        rd += MaskMetrics.iou(robustDegraded, gt);
                        rc += MaskMetrics.iou(mask(in, clean, false), gt);
                        sd += MaskMetrics.iou(mask(in, degraded, true), gt);
                        sc += MaskMetrics.iou(samClean, gt);
                        agree += MaskMetrics.iou(robustDegraded, samClean);
                    }
                }
            } finally {
                model.setTraining(true);
            }
            return new ValidationMetrics(rd / n, rc / n, sd / n, sc / n, agree / n, n);
        }

        /** The single mask at the training image's size, row-major 0/1 (as {@link MaskMetrics} takes it). */
        private byte[] mask(TrainingStep.Input in, RobustSam.Encoding enc, boolean clear) {
            try (RobustMaskDecoder.Output o = model.decode(enc, in.points(), in.labels(), in.box(), null, false, clear)) {
                NDArray logits = SamTransforms.postprocessMasks(o.lowResMasks(), model.config().imgSize(), in.inputH(),
                        in.inputW(), in.origH(), in.origW());
                float[] v = logits.toFloatArray();
                logits.close();
                byte[] out = new byte[v.length];
                for (int i = 0; i < v.length; i++) {
                    out[i] = (byte) (v[i] > SamTransforms.MASK_THRESHOLD ? 1 : 0);
                }
                return out;
            }
        }
    }

    static float[] maskValues(BinaryMask m) {
        byte[] b = m.toRowMajor();
        float[] v = new float[b.length];
        for (int i = 0; i < b.length; i++) {
            v[i] = b[i] != 0 ? 1f : 0f;
        }
        return v;
    }

    private static void copyAtomically(Path from, Path to) throws IOException {
        Path tmp = to.resolveSibling(to.getFileName() + ".tmp");
        Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING);
        try {
            Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static void noGrad(Runnable r) {
        boolean previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            r.run();
        } finally {
            JniUtils.setGradMode(previous);
        }
    }
}
