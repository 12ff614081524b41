package org.robustsam.studio.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.robustsam.studio.image.ImageLoader;
import org.robustsam.studio.image.RgbImage;
import org.robustsam.studio.inference.Engines;
import org.robustsam.studio.inference.ImageEmbedding;
import org.robustsam.studio.inference.Prompt;
import org.robustsam.studio.inference.Segmenter;
import org.robustsam.studio.inference.Segmenters;
import org.robustsam.studio.model.registry.ModelIdentifier;
import org.robustsam.studio.model.registry.ModelIdentity;
import org.robustsam.studio.model.sam.SamConfig;
import org.robustsam.studio.train.TrainingBenchmark;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code studio bench}: encoder seconds and prompt-to-mask milliseconds of the Java engine, and in
 * the same run the reference Python implementation on the same checkpoint and image, as ratios;
 * with {@code --train}, fine-tuning steps per second ({@link TrainingBenchmark}).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Time the engine (encoder, prompt-to-mask, peak memory) against the reference Python SAM.",
            "With --train: fine-tuning steps per second (tiny or ViT-B/L/H, on this machine's device).",
            "With --degradations: the 15 degradations; with --assess: the degradation advisor."})
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", description = "Checkpoint to time (.pth or .safetensors).")
    Path checkpoint;

    @Option(names = "--degradations", description = "Also time the 15 degradations on a 1024 x 1024 image (median of 5 after warm-up).")
    boolean degradations;

    @Option(names = "--assess", description = "Also time the degradation advisor (studio assess) on a 1024 x 1024 image "
            + "(median of 15 runs after 5 warm-ups).")
    boolean assess;

    @Option(names = "--model", description = "Expected size (vit_b, vit_l, vit_h, tiny); checked against the file.")
    String model;

    @Option(names = "--image", description = "Photo to encode (default: the bundled sample).")
    Path image;

    @Option(names = "--runs", description = "Timed runs: encoder runs after one warm-up (default 5), or with --train "
            + "runs of --steps training steps (default 3).")
    Integer runs;

    @Option(names = "--train", description = "Time fine-tuning: training steps per second of a RobustSAM of --model's size "
            + "(default tiny; random weights unless --checkpoint is given), as `studio train` runs them.")
    boolean train;

    @Option(names = "--steps", defaultValue = "5", description = "With --train: timed steps per run (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--warmup", defaultValue = "2", description = "With --train: untimed steps first (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--prompts", defaultValue = "50", description = "Timed prompts on the cached embedding (default ${DEFAULT-VALUE}).")
    int prompts;

    @Option(names = "--reference-dir", description = "segment-anything reference sources (default: ../shared/reference/segment-anything).")
    Path referenceDir;

    @Option(names = "--no-reference", description = "Skip the Python reference.")
    boolean noReference;

    @Option(names = "--python", defaultValue = "/usr/bin/python3", description = "Python with torch for the reference (default ${DEFAULT-VALUE}).")
    String python;

    @Option(names = "--baseline", description = "A second checkpoint timed the same way in this run (e.g. the SAM a RobustSAM "
            + "is built on): reports the checkpoint's cost as a ratio over it.")
    Path baseline;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (degradations) {
            var image = org.robustsam.studio.degrade.DegradationBenchmark.syntheticPhoto(1024, 1024);
            var timings = org.robustsam.studio.degrade.DegradationBenchmark.run(image,
                    org.robustsam.studio.degrade.Degradation.REFERENCE_SEVERITY, 2, 5);
            spec.commandLine().getOut().print(org.robustsam.studio.degrade.DegradationBenchmark.table(timings, 1024, 1024));
            spec.commandLine().getOut().flush();
        }
        if (assess) {
            spec.commandLine().getOut().println(org.robustsam.studio.assess.AssessBenchmark.run(1024, 5, 15).describe());
            spec.commandLine().getOut().flush();
        }
        if (train) {
            return benchTraining();
        }
        if (runs == null) {
            runs = 5;
        }
        if (checkpoint == null) {
            if (!degradations && !assess) {
                spec.commandLine().getErr().println("studio bench: give --checkpoint FILE (a model to time), --train, "
                        + "--degradations and/or --assess");
                return 2;
            }
            return 0;
        }
        ModelIdentity identity = ModelIdentifier.identify(checkpoint);
        if (model != null && !model.equalsIgnoreCase(identity.size())) {
            spec.commandLine().getErr().println("studio bench: " + checkpoint.getFileName() + " is " + identity.family()
                    + " " + identity.size() + ", not " + model);
            return 2;
        }
        Path imagePath = image != null ? image : extractSample();
        RgbImage rgb = new ImageLoader().load(imagePath);
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode out = mapper.createObjectNode();
        out.put("model", identity.registryId());
        out.put("checkpoint", checkpoint.toString());
        out.put("image", imagePath.getFileName() + " " + rgb.width() + "x" + rgb.height());
        out.put("device", Engines.describeDevice());
        out.put("cores", Runtime.getRuntime().availableProcessors());

        double[][] timed = timeJava(checkpoint, rgb);
        double[] enc = timed[0];
        double[] dec = timed[1];
        ObjectNode java = out.putObject("java");
        java.put("encoder_seconds_median", median(enc));
        java.putPOJO("encoder_seconds", enc);
        java.put("prompt_ms_p50", percentile(dec, 50));
        java.put("prompt_ms_p95", percentile(dec, 95));
        java.put("peak_rss_mb", peakRssMb());

        if (baseline != null) {
            ModelIdentity base = ModelIdentifier.identify(baseline);
            double[][] b = timeJava(baseline, rgb);
            ObjectNode bn = out.putObject("baseline");
            bn.put("model", base.registryId());
            bn.put("encoder_seconds_median", median(b[0]));
            bn.put("prompt_ms_p50", percentile(b[1], 50));
            bn.put("prompt_ms_p95", percentile(b[1], 95));
            ObjectNode over = out.putObject("ratio_over_baseline");
            over.put("encoder", median(enc) / median(b[0]));
            over.put("prompt_p50", percentile(dec, 50) / percentile(b[1], 50));
        }
        if (!noReference) {
            Path refDir = referenceDir != null ? referenceDir
                    : Path.of(System.getProperty("studio.shared.dir", "../shared"), "reference", "segment-anything");
            ObjectNode ref = out.putObject("reference");
            if (!checkpoint.toString().endsWith(".pth") && !checkpoint.toString().endsWith(".pt")) {
                ref.put("skipped", "the reference loads torch.save files (.pth) only");
            } else if (!Files.isDirectory(refDir.resolve("segment_anything"))) {
                ref.put("skipped", "reference sources not found at " + refDir);
            } else {
                runReference(mapper, ref, refDir, identity.size(), imagePath);
                if (ref.has("encoder_seconds_median")) {
                    ObjectNode ratio = out.putObject("ratio_java_over_reference");
                    ratio.put("encoder", median(enc) / ref.get("encoder_seconds_median").asDouble());
                    ratio.put("prompt_p50", percentile(dec, 50) / ref.get("prompt_ms_p50").asDouble());
                    ratio.put("prompt_p95", percentile(dec, 95) / ref.get("prompt_ms_p95").asDouble());
                }
            }
        }
        var w = spec.commandLine().getOut();
        if (json) {
            w.println(mapper.writeValueAsString(out));
        } else {
            w.printf("%s on %s (%s)%n", out.get("model").asText(), out.get("device").asText(), out.get("image").asText());
            w.printf("  java      encoder %.3f s (median of %d)  prompt p50 %.1f ms  p95 %.1f ms  peak RSS %d MB%n",
                    median(enc), runs, percentile(dec, 50), percentile(dec, 95), peakRssMb());
            if (out.has("ratio_over_baseline")) {
                var q = out.get("ratio_over_baseline");
                w.printf("  over baseline %s: encoder x%.2f  prompt p50 x%.2f%n", out.get("baseline").get("model").asText(),
                        q.get("encoder").asDouble(), q.get("prompt_p50").asDouble());
            }
            if (out.has("reference") && out.get("reference").has("encoder_seconds_median")) {
                var r = out.get("reference");
                w.printf("  reference encoder %.3f s  prompt p50 %.1f ms  p95 %.1f ms  (torch %s, %d threads)%n",
                        r.get("encoder_seconds_median").asDouble(), r.get("prompt_ms_p50").asDouble(),
                        r.get("prompt_ms_p95").asDouble(), r.get("torch").asText(), r.get("threads").asInt());
                var q = out.get("ratio_java_over_reference");
                w.printf("  ratio java/reference: encoder %.2f  prompt p50 %.2f  p95 %.2f%n",
                        q.get("encoder").asDouble(), q.get("prompt_p50").asDouble(), q.get("prompt_p95").asDouble());
            } else if (out.has("reference")) {
                w.println("  reference: " + out.get("reference").toString());
            }
        }
        w.flush();
        return 0;
    }

    /** {@code --train}: training steps per second ({@link TrainingBenchmark}), as a table or JSON. */
    private int benchTraining() throws Exception {
        var err = spec.commandLine().getErr();
        int timedRuns = runs == null ? 3 : runs;
        if (steps < 1 || timedRuns < 1 || warmup < 0) {
            err.println("studio bench: --steps and --runs must be at least 1, --warmup at least 0");
            return 2;
        }
        String size = model == null ? "tiny" : model.toLowerCase(java.util.Locale.ROOT);
        if (checkpoint != null) {
            ModelIdentity identity = ModelIdentifier.identify(checkpoint);
            if (model != null && !size.equals(identity.size()) || identity.family().equals("MobileSAM")) {
                err.println("studio bench: " + checkpoint.getFileName() + " is " + identity.family() + " " + identity.size()
                        + (identity.family().equals("MobileSAM") ? "; RobustSAM is trained on SAM ViT-B/L/H" : ", not " + model));
                return 2;
            }
            size = identity.size();
        }
        SamConfig config;
        try {
            config = SamConfig.named(size);
        } catch (IllegalArgumentException e) {
            err.println("studio bench: --model: " + e.getMessage());
            return 2;
        }
        TrainingBenchmark.Result r = TrainingBenchmark.run(config, checkpoint, warmup, steps, timedRuns, 0);
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode out = mapper.createObjectNode();
        out.put("mode", "train");
        out.put("model", "robustsam_" + r.model());
        out.put("weights", checkpoint == null ? "random (seed 0)" : checkpoint.toString());
        out.put("device", r.device());
        out.put("cores", Runtime.getRuntime().availableProcessors());
        out.put("images", TrainingBenchmark.IMAGES + " synthetic " + TrainingBenchmark.WIDTH + "x" + TrainingBenchmark.HEIGHT);
        out.put("batch_size", 1);
        out.put("warmup_steps", r.warmupSteps());
        out.put("steps_per_run", r.steps());
        out.put("runs", r.stepsPerSecond().length);
        out.put("steps_per_second_median", r.median());
        out.putPOJO("steps_per_second", r.stepsPerSecond());
        out.put("seconds_per_step_median", 1 / r.median());
        out.put("clean_encode_seconds", r.cleanEncodeSeconds());
        out.put("peak_rss_mb", peakRssMb());
        var w = spec.commandLine().getOut();
        if (json) {
            w.println(mapper.writeValueAsString(out));
        } else {
            w.printf(java.util.Locale.ROOT, "training RobustSAM %s on %s%n", r.model(), r.device());
            w.printf(java.util.Locale.ROOT, "  %.4f steps/s (%.2f s per step): median of %d runs of %d steps after %d warm-up "
                    + "steps; runs %s%n", r.median(), 1 / r.median(), r.stepsPerSecond().length, r.steps(), r.warmupSteps(),
                    String.join(" ", Arrays.stream(r.stepsPerSecond()).mapToObj(v -> String.format(java.util.Locale.ROOT, "%.4f", v))
                            .toList()));
            w.printf(java.util.Locale.ROOT, "  clean-image encoding (cached: once per image per job) %.2f s; peak RSS %d MB%n",
                    r.cleanEncodeSeconds(), peakRssMb());
        }
        w.flush();
        return 0;
    }

    /** Encoder seconds (after one warm-up) and prompt milliseconds (after three) of one checkpoint. */
    private double[][] timeJava(Path file, RgbImage rgb) throws Exception {
        double[] enc = new double[runs];
        double[] dec = new double[prompts];
        try (Segmenter s = Segmenters.open(file)) {
            ImageEmbedding e = s.encode(rgb); // warm-up
            for (int i = 0; i < runs; i++) {
                long t0 = System.nanoTime();
                e = s.encode(rgb);
                enc[i] = (System.nanoTime() - t0) / 1e9;
            }
            Random rnd = new Random(0);
            for (int i = 0; i < 3; i++) {
                s.predict(e, point(rgb.width() / 2.0, rgb.height() / 2.0), true);
            }
            for (int i = 0; i < prompts; i++) {
                Prompt p = point(rnd.nextDouble() * rgb.width(), rnd.nextDouble() * rgb.height());
                long t0 = System.nanoTime();
                s.predict(e, p, true);
                dec[i] = (System.nanoTime() - t0) / 1e6;
            }
        }
        return new double[][] {enc, dec};
    }

    private void runReference(ObjectMapper mapper, ObjectNode ref, Path refDir, String config, Path imagePath)
            throws IOException, InterruptedException {
        Path script = Files.createTempFile("sam_reference_bench", ".py");
        try (InputStream in = BenchCommand.class.getResourceAsStream("sam_reference_bench.py")) {
            Files.write(script, in.readAllBytes());
        }
        try {
            List<String> cmd = List.of(python, script.toString(), refDir.toString(), config, checkpoint.toAbsolutePath().toString(),
                    imagePath.toAbsolutePath().toString(), String.valueOf(runs), String.valueOf(prompts),
                    String.valueOf(Runtime.getRuntime().availableProcessors()));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
            String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(2, TimeUnit.HOURS) || p.exitValue() != 0) {
                ref.put("failed", "reference exited with " + p.exitValue() + ": " + tail(stderr));
                return;
            }
            var r = mapper.readTree(stdout.lines().reduce((a, b) -> b).orElse("{}"));
            double[] enc = mapper.convertValue(r.get("encoder_seconds"), double[].class);
            double[] dec = mapper.convertValue(r.get("prompt_ms"), double[].class);
            ref.put("torch", r.get("torch").asText());
            ref.put("threads", r.get("threads").asInt());
            ref.put("encoder_seconds_median", median(enc));
            ref.putPOJO("encoder_seconds", enc);
            ref.put("prompt_ms_p50", percentile(dec, 50));
            ref.put("prompt_ms_p95", percentile(dec, 95));
        } catch (IOException e) {
            ref.put("failed", "cannot run " + python + ": " + e.getMessage());
        } finally {
            Files.deleteIfExists(script);
        }
    }

    private static String tail(String s) {
        return s.length() > 600 ? s.substring(s.length() - 600) : s;
    }

    private static Prompt point(double x, double y) {
        return new Prompt(List.of(new Prompt.Point(x, y, true)), null, null);
    }

    private static Path extractSample() throws IOException {
        Path tmp = Files.createTempFile("studio-bench-sample", ".jpg");
        tmp.toFile().deleteOnExit();
        try (InputStream in = BenchCommand.class.getResourceAsStream("/assets/samples/street-rain.jpg")) {
            Files.write(tmp, in.readAllBytes());
        }
        return tmp;
    }

    static double median(double[] v) {
        return percentile(v, 50);
    }

    /** Nearest-rank percentile. */
    static double percentile(double[] v, double p) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        int rank = (int) Math.ceil(p / 100.0 * s.length);
        return s[Math.max(0, Math.min(s.length - 1, rank - 1))];
    }

    /** Peak resident set size of this process (VmHWM), in MB; -1 where /proc is not available. */
    static long peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException ignored) {
            // not Linux
        }
        return -1;
    }
}
