package org.robustsam.studio.train;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.robustsam.studio.eval.BoundaryTolerance;
import org.robustsam.studio.eval.EvalDataset;
import org.robustsam.studio.eval.EvalException;
import org.robustsam.studio.eval.EvalJob;
import org.robustsam.studio.eval.EvalModel;
import org.robustsam.studio.eval.EvalSettings;
import org.robustsam.studio.eval.PointRule;
import org.robustsam.studio.eval.PromptType;
import org.robustsam.studio.inference.Engines;
import org.robustsam.studio.inference.Segmenter;
import org.robustsam.studio.inference.Segmenters;
import org.robustsam.studio.model.checkpoint.CheckpointException;
import org.robustsam.studio.model.checkpoint.StateDict;
import org.robustsam.studio.model.manager.ModelStore;
import org.robustsam.studio.model.registry.ModelRegistry;
import org.robustsam.studio.model.robustsam.RobustSam;
import org.robustsam.studio.model.sam.SamConfig;

/**
 * The closing comparison of a job, run by the eval package exactly as {@code studio eval} runs it
 * ({@link EvalJob}: ground-truth prompts, single masks, {@code MaskMetrics}), on the validation
 * photos at their own size, clean and under each of the job's degradation types at
 * {@code evaluation.severity}, for three checkpoints:
 * <ul>
 *   <li>{@value #SAM}: the frozen teacher: the base file when it is SAM, else the SAM part of the
 *       base RobustSAM written to {@code eval/sam-teacher.pth};</li>
 *   <li>{@value #BEFORE}: the starting weights: the base file when it is RobustSAM, else SAM with
 *       the job's freshly initialised modules (seeded, so the same as at step 0) written to
 *       {@code eval/robustsam-before.pth};</li>
 *   <li>{@value #AFTER}: the job's final model.</li>
 * </ul>
 * The report ({@code cases.csv}, {@code table.md}, {@code table.html}, charts) goes to
 * {@code <output>/eval}; an interrupted evaluation resumes from its {@code cases.csv}.
 */
final class FinalEvaluation {
    static final String FOLDER = "eval";
    static final String SAM = "SAM";
    static final String BEFORE = "RobustSAM before";
    static final String AFTER = "RobustSAM after";
    static final String TEACHER_FILE = "sam-teacher.pth";
    static final String BEFORE_FILE = "robustsam-before.pth";

    /** Cases scored so far; called from evaluation worker threads. */
    interface Progress {
        void progressed(int done, int total);
    }

    private final TrainingConfig config;
    private final SamConfig samConfig;
    private final Path base;
    private final Path folder;

    FinalEvaluation(TrainingConfig config, SamConfig samConfig, Path base, Path outputFolder) {
        this.config = config;
        this.samConfig = samConfig;
        this.base = base;
        this.folder = outputFolder.resolve(FOLDER);
    }

    Path folder() {
        return folder;
    }

    /** The evaluation's settings: the job's degradation types and clean, its seed, box and/or centre point prompts. */
    EvalSettings settings() {
        List<PromptType> prompts = config.evaluation.prompts.stream().map(PromptType::parse).toList();
        return new EvalSettings(config.degradationIds(), true, config.evaluation.severity, prompts, PointRule.CENTER,
                config.seed, BoundaryTolerance.DAVIS, 0);
    }

    /** The three checkpoints in column order, writing the teacher or the starting weights where no file holds them. */
    Map<String, Path> checkpoints(Path after) throws CheckpointException, IOException {
        Files.createDirectories(folder);
        boolean baseIsRobust = StateDict.readShapes(base).containsKey("mask_decoder.custom_robust_token.weight");
        Map<String, Path> out = new LinkedHashMap<>();
        out.put(SAM, baseIsRobust ? written(TEACHER_FILE, this::writeTeacher) : base);
        out.put(BEFORE, baseIsRobust ? base : written(BEFORE_FILE, this::writeStartingWeights));
        out.put(AFTER, after);
        return out;
    }

    private interface Writer {
        void write(Path file) throws CheckpointException, IOException;
    }

    private Path written(String name, Writer writer) throws CheckpointException, IOException {
        Path file = folder.resolve(name);
        if (!Files.isRegularFile(file)) {
            Path tmp = folder.resolve(name + ".tmp");
            writer.write(tmp);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return file;
    }

    private void writeTeacher(Path file) throws CheckpointException, IOException {
        try (NDManager m = Engines.pytorch().newBaseManager(); RobustSam model = RobustSam.load(samConfig, base, m)) {
            CheckpointStore.writeSamPart(model, file);
        }
    }

    private void writeStartingWeights(Path file) throws CheckpointException, IOException {
        try (NDManager m = Engines.pytorch().newBaseManager();
             RobustSam model = RobustSam.fromSamCheckpoint(samConfig, base, config.seed, m)) {
            CheckpointStore.writeModel(model, file);
        }
    }

    /**
     * Evaluates the three models on {@code validation} and writes the report.
     *
     * @throws EvalException when no model can be opened, nothing can be evaluated or the report cannot be written
     */
    EvaluationSummary run(EvalDataset validation, Path after, Progress progress)
            throws EvalException, CheckpointException, IOException {
        Map<String, Path> files = checkpoints(after);
        EvalSettings settings = settings();
        List<EvalModel> models = new ArrayList<>();
        try {
            for (Map.Entry<String, Path> e : files.entrySet()) {
                Segmenter s = Segmenters.open(e.getValue());
                models.add(new EvalModel(e.getKey(), s));
            }
            // Neither the registry nor the models folder is used: the models are open already.
            EvalJob job = new EvalJob(ModelRegistry.bundled(), new ModelStore(folder));
            EvalJob.Outcome outcome = job.run(validation, models, List.of(), settings, folder, false, new EvalJob.Listener() {
                @Override
                public void progressed(int done, int total) {
                    progress.progressed(done, total);
                }
            });
            if (outcome.result().cases().isEmpty()) {
                throw new EvalException("nothing could be evaluated: "
                        + String.join("; ", outcome.issues().stream().map(Object::toString).limit(3).toList()));
            }
            return EvaluationSummary.of(outcome.report().table(), folder, files, settings.severity());
        } finally {
            for (EvalModel m : models) {
                m.segmenter().close();
            }
        }
    }
}
