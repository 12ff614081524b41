package org.robustsam.studio.train;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.robustsam.studio.annotate.project.AtomicFiles;
import org.robustsam.studio.annotate.project.JsonProblems;
import org.robustsam.studio.degrade.Degradation;
import org.robustsam.studio.degrade.Degradations;
import org.robustsam.studio.model.sam.SamConfig;

/**
 * A fine-tuning job, as a JSON file (read with {@link #read}, written next to the results with
 * {@link #write}). Every field has a default; the defaults of the loss are the reference's
 * ({@code engine.py}: focal 20, dice 1, token 2, embedding 100; focal gamma 2, alpha 0.25).
 * Relative paths are relative to the folder of the config file.
 *
 * <pre>{@code
 * {
 *   "name": "street-fog",
 *   "output": "runs/street-fog",
 *   "data": {"source": "my-project", "format": "auto", "validationFraction": 0.2, "splitSeed": 1, "maxSide": 512},
 *   "degradation": {"types": ["fog", "rain"], "severities": [2, 3, 4], "cleanFraction": 0.0625},
 *   "prompts": {"box": true, "points": 3, "mode": "random"},
 *   "model": {"base": "sam_vit_b_01ec64.pth"},
 *   "optimizer": {"lr": 1e-4, "weightDecay": 1e-5},
 *   "schedule": {"type": "cosine", "warmupSteps": 10},
 *   "evaluation": {"enabled": true, "severity": 3, "prompts": ["box", "point"]},
 *   "epochs": 5, "batchSize": 1, "seed": 7, "checkpointEvery": 50
 * }
 * }</pre>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class TrainingConfig {
    /** Job name, used in file names and the jobs panel. */
    public String name = "robustsam-finetune";
    /** Results folder (checkpoints, events, the saved config); default {@code <config stem>-run} beside the config. */
    public String output;
    public Data data = new Data();
    public DegradationMix degradation = new DegradationMix();
    public PromptConfig prompts = new PromptConfig();
    public ModelConfig model = new ModelConfig();
    public LossWeights loss = new LossWeights();
    public OptimizerConfig optimizer = new OptimizerConfig();
    public ScheduleConfig schedule = new ScheduleConfig();
    public FinalEvaluation evaluation = new FinalEvaluation();
    /** Largest global gradient norm (torch's {@code clip_grad_norm_}); 0 turns clipping off. The reference clips at 1. */
    public double gradClip = 1.0;
    /** Samples per optimizer step (their gradients are averaged). */
    public int batchSize = 1;
    /** Passes over the training split; give this or {@link #steps}. */
    public int epochs = 0;
    /** Optimizer steps; give this or {@link #epochs}. */
    public int steps = 0;
    /** Seed of everything random in the job: sample order, degradations, prompts, fresh module weights. */
    public long seed = 0;
    /** A checkpoint every this many steps (0: only the final one). */
    public int checkpointEvery = 0;
    /** Periodic checkpoints kept on disk (older ones are deleted). */
    public int keepCheckpoints = 2;
    /** Memory for cached clean-image encoder outputs, in MiB. */
    public int encoderCacheMb = 1024;
    /** PyTorch intra-op threads (0: the engine's default). */
    public int threads = 0;

    /** Where the images and masks come from. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static final class Data {
        /** A project folder (project.json), a LabelMe folder, or a COCO instances JSON file. */
        public String source;
        /** auto, project, labelme or coco. */
        public String format = "auto";
        /** Share of the images (not objects) held out for validation. */
        public double validationFraction = 0.2;
        /** Seed of the train/validation split. */
        public long splitSeed = 0;
        /** Images are scaled so their long side is at most this (the model input is always 1024). */
        public int maxSide = 512;
        /** Only objects with these labels (null or empty: all). */
        public List<String> labels;
        /** Objects smaller than this many pixels (after scaling) are left out. */
        public int minArea = 16;
        /** Project images marked skipped are left out; with this, also those not marked done. */
        public boolean doneImagesOnly = false;
    }

    /** How the degraded copy of each sample is made (the degradation engine's ids and 1..5 severities). */
    public static final class DegradationMix {
        /** Degradation ids, or ["all"]. */
        public List<String> types = new ArrayList<>(List.of("all"));
        /** Severities drawn uniformly for each sample. */
        public List<Integer> severities = new ArrayList<>(List.of(Degradation.REFERENCE_SEVERITY));
        /** Chance that the "degraded" copy is the clean image (the reference draws "clear" as 1 of 16 choices). */
        public double cleanFraction = 1.0 / 16;
    }

    /** Prompts derived from each ground-truth mask. */
    public static final class PromptConfig {
        /** The mask's bounding box as a prompt. */
        public boolean box = true;
        /** Positive points drawn inside the mask (the reference trains with 3). */
        public int points = 3;
        /** random: each sample gets the box or the points (one at random); all: both together. */
        public String mode = "random";
        /** Box corners moved by up to this share of the box side (0: exact boxes). */
        public double boxNoise = 0.0;
    }

    /** The network to start from. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static final class ModelConfig {
        /** A SAM checkpoint (RobustSAM's modules start fresh) or a RobustSAM one (training continues it). */
        public String base;
        /** vit_b, vit_l, vit_h or tiny; read from the checkpoint when absent. */
        public String config;
    }

    /** Loss weights and shapes (engine.py / loss.py). */
    public static final class LossWeights {
        /** Weight of the mask loss against the ground truth (the reference's {@code mask_loss_gt}). */
        public double groundTruthMask = 1;
        /**
         * Weight of the same mask loss against the teacher's clean-image masks ({@code mask_loss_clear},
         * which the reference computes but does not add): > 0 distils SAM's clean behaviour.
         */
        public double teacherMask = 0;
        public double focal = 20;
        public double dice = 1;
        public double token = 2;
        public double embedding = 100;
        public double focalGamma = 2;
        public double focalAlpha = 0.25;
        public double diceSmooth = 1e-6;
    }

    /** AdamW (decoupled weight decay, torch.optim.AdamW) or Adam (L2 in the gradient, as the reference's torch.optim.Adam). */
    public static final class OptimizerConfig {
        public String type = "adamw";
        /** The reference trains with 1e-4. */
        public double lr = 1e-4;
        /** The reference uses 1e-5. */
        public double weightDecay = 1e-5;
        public double beta1 = 0.9;
        public double beta2 = 0.999;
        public double eps = 1e-8;
    }

    /** Learning rate over the steps, after an optional linear warm-up. */
    public static final class ScheduleConfig {
        /** constant, cosine (down to lr * minLrFactor at the last step) or step (x gamma every stepSize steps). */
        public String type = "cosine";
        public int warmupSteps = 0;
        public double minLrFactor = 0.1;
        public int stepSize = 0;
        public double gamma = 0.1;
    }

    /**
     * The comparison at the end of a job: the eval package's evaluation (as {@code studio eval}) of
     * SAM, RobustSAM before and RobustSAM after on the validation photos, clean and under each of the
     * job's degradation types.
     */
    public static final class FinalEvaluation {
        /** Off: the job ends with the final validation only (big validation splits take long on a CPU). */
        public boolean enabled = true;
        /** Severity of the degraded rows (1..5; 3 = the reference parameters). */
        public int severity = Degradation.REFERENCE_SEVERITY;
        /** Prompt types scored: box and/or point (one point, the mask's centre). */
        public List<String> prompts = new ArrayList<>(List.of("box", "point"));
    }

    /** Strict: 2.5 epochs or a seed of 1.5 is refused, not cut to a whole number behind the user's back. */
    private static ObjectMapper mapper() {
        return new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(SerializationFeature.INDENT_OUTPUT);
    }

    /**
     * Reads and checks a job file.
     *
     * @throws TrainingConfigException naming the field (as a JSON path such as {@code optimizer.lr})
     *     and what is wrong with it
     */
    public static TrainingConfig read(Path file) throws TrainingConfigException {
        TrainingConfig c;
        try {
            c = mapper().readValue(Files.readAllBytes(file), TrainingConfig.class);
        } catch (JsonMappingException e) {
            String field = e.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            String what = e.getOriginalMessage();
            what = what != null && what.startsWith("Unrecognized field") ? "unknown field" : JsonProblems.describe(e);
            throw new TrainingConfigException(file, field.isEmpty() ? "(top level)" : field, what);
        } catch (JsonProcessingException e) {
            throw new TrainingConfigException(file, "(syntax)", JsonProblems.clean(e.getOriginalMessage())
                    + (e.getLocation() != null ? " at line " + e.getLocation().getLineNr() : ""));
        } catch (NoSuchFileException e) {
            throw new TrainingConfigException(file, "(file)", "file does not exist");
        } catch (IOException e) {
            throw new TrainingConfigException(file, "(file)", Files.isDirectory(file) ? "is a folder, not a job file"
                    : "cannot be read (" + AtomicFiles.describe(e) + ")");
        }
        if (c == null) {
            throw new TrainingConfigException(file, "(top level)", "the file is empty");
        }
        c.validate(file);
        return c;
    }

    /** Writes the config (with every default filled in) as JSON. */
    public void write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, mapper().writeValueAsBytes(this));
    }

    /** A deep copy (through JSON). */
    public TrainingConfig copy() {
        try {
            ObjectMapper m = mapper();
            return m.readValue(m.writeValueAsBytes(this), TrainingConfig.class);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Checks every field; {@code file} only names the source in messages (may be null). */
    public void validate(Path file) throws TrainingConfigException {
        require(file, "name", name != null && !name.isBlank(), "must not be empty");
        require(file, "data", data != null, "is required");
        require(file, "data.source", data.source != null && !data.source.isBlank(),
                "is required: a project folder, a LabelMe folder or a COCO JSON file");
        require(file, "data.format", List.of("auto", "project", "labelme", "coco").contains(lower(data.format)),
                "must be auto, project, labelme or coco, got '" + data.format + "'");
        require(file, "data.validationFraction", data.validationFraction >= 0 && data.validationFraction < 1,
                "must be in [0, 1), got " + data.validationFraction);
        require(file, "data.maxSide", data.maxSide >= 32 && data.maxSide <= 4096,
                "must be 32..4096 pixels, got " + data.maxSide);
        require(file, "data.minArea", data.minArea >= 1, "must be at least 1 pixel, got " + data.minArea);

        require(file, "degradation", degradation != null, "is required");
        require(file, "degradation.types", degradation.types != null && !degradation.types.isEmpty(),
                "must list at least one degradation id (or \"all\")");
        for (int i = 0; i < degradation.types.size(); i++) {
            String t = degradation.types.get(i);
            require(file, "degradation.types[" + i + "]", t != null
                    && (t.equalsIgnoreCase("all") || Degradations.find(t).isPresent()),
                    "unknown degradation '" + t + "'; known: all, " + String.join(", ", Degradations.ids()));
        }
        require(file, "degradation.severities", degradation.severities != null && !degradation.severities.isEmpty(),
                "must list at least one severity (1..5)");
        for (int i = 0; i < degradation.severities.size(); i++) {
            Integer s = degradation.severities.get(i);
            require(file, "degradation.severities[" + i + "]", s != null && s >= Degradation.MIN_SEVERITY
                    && s <= Degradation.MAX_SEVERITY, "must be 1..5, got " + s);
        }
        require(file, "degradation.cleanFraction", degradation.cleanFraction >= 0 && degradation.cleanFraction <= 1,
                "must be in [0, 1], got " + degradation.cleanFraction);

        require(file, "prompts", prompts != null, "is required");
        require(file, "prompts.points", prompts.points >= 0 && prompts.points <= 64,
                "must be 0..64, got " + prompts.points);
        require(file, "prompts", prompts.box || prompts.points > 0, "need the box or at least one point");
        require(file, "prompts.mode", List.of("random", "all").contains(lower(prompts.mode)),
                "must be random or all, got '" + prompts.mode + "'");
        require(file, "prompts.boxNoise", prompts.boxNoise >= 0 && prompts.boxNoise <= 1,
                "must be in [0, 1], got " + prompts.boxNoise);

        require(file, "model", model != null, "is required");
        require(file, "model.base", model.base != null && !model.base.isBlank(),
                "is required: a SAM or RobustSAM checkpoint (.pth or .safetensors)");
        if (model.config != null) {
            try {
                SamConfig.named(model.config);
            } catch (IllegalArgumentException e) {
                throw new TrainingConfigException(file, "model.config", e.getMessage());
            }
        }

        require(file, "loss", loss != null, "is required");
        requireWeight(file, "loss.groundTruthMask", loss.groundTruthMask);
        requireWeight(file, "loss.teacherMask", loss.teacherMask);
        requireWeight(file, "loss.focal", loss.focal);
        requireWeight(file, "loss.dice", loss.dice);
        requireWeight(file, "loss.token", loss.token);
        requireWeight(file, "loss.embedding", loss.embedding);
        require(file, "loss", (loss.groundTruthMask + loss.teacherMask) * (loss.focal + loss.dice) + loss.token
                + loss.embedding > 0, "all weights are 0: nothing to learn");
        require(file, "loss.focalGamma", loss.focalGamma >= 0 && Double.isFinite(loss.focalGamma),
                "must be >= 0, got " + loss.focalGamma);
        require(file, "loss.focalAlpha", loss.focalAlpha > 0 && loss.focalAlpha <= 1,
                "must be in (0, 1], got " + loss.focalAlpha);
        require(file, "loss.diceSmooth", loss.diceSmooth > 0 && Double.isFinite(loss.diceSmooth),
                "must be > 0, got " + loss.diceSmooth);

        require(file, "optimizer", optimizer != null, "is required");
        require(file, "optimizer.type", List.of("adamw", "adam").contains(lower(optimizer.type)),
                "must be adamw or adam, got '" + optimizer.type + "'");
        require(file, "optimizer.lr", optimizer.lr > 0 && optimizer.lr < 1, "must be in (0, 1), got " + optimizer.lr);
        require(file, "optimizer.weightDecay", optimizer.weightDecay >= 0 && optimizer.weightDecay < 1,
                "must be in [0, 1), got " + optimizer.weightDecay);
        require(file, "optimizer.beta1", optimizer.beta1 >= 0 && optimizer.beta1 < 1,
                "must be in [0, 1), got " + optimizer.beta1);
        require(file, "optimizer.beta2", optimizer.beta2 >= 0 && optimizer.beta2 < 1,
                "must be in [0, 1), got " + optimizer.beta2);
        require(file, "optimizer.eps", optimizer.eps > 0 && Double.isFinite(optimizer.eps), "must be > 0, got " + optimizer.eps);

        require(file, "schedule", schedule != null, "is required");
        require(file, "schedule.type", List.of("constant", "cosine", "step").contains(lower(schedule.type)),
                "must be constant, cosine or step, got '" + schedule.type + "'");
        require(file, "schedule.warmupSteps", schedule.warmupSteps >= 0, "must be >= 0, got " + schedule.warmupSteps);
        require(file, "schedule.minLrFactor", schedule.minLrFactor >= 0 && schedule.minLrFactor <= 1,
                "must be in [0, 1], got " + schedule.minLrFactor);
        if (lower(schedule.type).equals("step")) {
            require(file, "schedule.stepSize", schedule.stepSize > 0, "must be > 0 steps for a step schedule, got "
                    + schedule.stepSize);
        }
        require(file, "schedule.gamma", schedule.gamma > 0 && schedule.gamma <= 1, "must be in (0, 1], got " + schedule.gamma);

        require(file, "evaluation", evaluation != null, "is required");
        require(file, "evaluation.severity", evaluation.severity >= Degradation.MIN_SEVERITY
                && evaluation.severity <= Degradation.MAX_SEVERITY, "must be 1..5, got " + evaluation.severity);
        require(file, "evaluation.prompts", evaluation.prompts != null && !evaluation.prompts.isEmpty(),
                "must list box and/or point");
        for (int i = 0; i < evaluation.prompts.size(); i++) {
            String p = evaluation.prompts.get(i);
            require(file, "evaluation.prompts[" + i + "]", p != null && List.of("box", "point").contains(lower(p)),
                    "must be box or point, got '" + p + "'");
        }

        require(file, "gradClip", gradClip >= 0 && Double.isFinite(gradClip), "must be >= 0 (0: off), got " + gradClip);
        require(file, "batchSize", batchSize >= 1 && batchSize <= 256, "must be 1..256, got " + batchSize);
        require(file, "epochs", epochs >= 0, "must be >= 0, got " + epochs);
        require(file, "steps", steps >= 0, "must be >= 0, got " + steps);
        require(file, "epochs", (epochs > 0) != (steps > 0), "give either epochs or steps (exactly one, > 0)");
        require(file, "checkpointEvery", checkpointEvery >= 0, "must be >= 0 (0: final only), got " + checkpointEvery);
        require(file, "keepCheckpoints", keepCheckpoints >= 1, "must be >= 1, got " + keepCheckpoints);
        require(file, "encoderCacheMb", encoderCacheMb >= 0, "must be >= 0, got " + encoderCacheMb);
        require(file, "threads", threads >= 0 && threads <= 1024, "must be 0..1024, got " + threads);
    }

    private static void requireWeight(Path file, String field, double v) throws TrainingConfigException {
        require(file, field, v >= 0 && Double.isFinite(v), "must be a weight >= 0, got " + v);
    }

    private static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }

    private static void require(Path file, String field, boolean ok, String message) throws TrainingConfigException {
        if (!ok) {
            throw new TrainingConfigException(file, field, message);
        }
    }

    /** The degradation ids the job draws from ("all" expanded), in the engine's order. */
    public List<String> degradationIds() {
        if (degradation.types.stream().anyMatch(t -> t.equalsIgnoreCase("all"))) {
            return Degradations.ids();
        }
        return degradation.types.stream().map(t -> Degradations.get(t).id()).distinct().toList();
    }

    /** {@code path} resolved against the config file's folder (absolute paths stay). */
    public static Path resolve(Path configFile, String path) {
        Path p = Path.of(path);
        if (p.isAbsolute() || configFile == null) {
            return p.toAbsolutePath().normalize();
        }
        Path base = configFile.toAbsolutePath().getParent();
        return base.resolve(p).normalize();
    }

    /** The results folder of a job read from {@code configFile}. */
    public Path outputFolder(Path configFile) {
        if (output != null && !output.isBlank()) {
            return resolve(configFile, output);
        }
        String stem = configFile.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        return configFile.toAbsolutePath().getParent().resolve(stem + "-run").normalize();
    }
}
