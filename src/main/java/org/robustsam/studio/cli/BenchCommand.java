package org.robustsam.studio.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
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
 * the same run the reference Python implementation of the checkpoint's family (segment-anything,
 * RobustSAM's robust path, MobileSAM) on the same checkpoint and image, as ratios; with
 * {@code --baseline}, the same figures for a second checkpoint (RobustSAM's cost over the SAM it is
 * built on); with {@code --train}, fine-tuning steps per second ({@link TrainingBenchmark}).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Time the engine (encoder, prompt-to-mask, peak memory) against the reference Python code of the "
            + "checkpoint's family (SAM, RobustSAM, MobileSAM), and optionally against a --baseline checkpoint.",
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

    @Option(names = "--reference-dir", description = "Reference sources of the checkpoint's family (default under "
            + "../shared/reference/: segment-anything for SAM, robustsam for RobustSAM, mobilesam for MobileSAM).")
    Path referenceDir;

    @Option(names = "--no-reference", description = "Skip the Python reference.")
    boolean noReference;

    @Option(names = "--python", defaultValue = "/usr/bin/python3", description = "Python with torch for the reference (default ${DEFAULT-VALUE}).")
    String python;

    @Option(names = "--baseline", description = "A second checkpoint timed the same way in this run, run for run in turn "
            + "with --checkpoint (e.g. the SAM a RobustSAM is built on): reports the checkpoint's encoder and prompt-to-mask "
            + "times as ratios over it.")
    Path baseline;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private static final int REFERENCE_TIMEOUT_MINUTES = 120;
    private static final int TAIL_CHARS = 1000;

    /** Where each family's reference Python code lives: the folder under shared/reference and its package. */
    enum ReferenceFamily {
        SAM("SAM", "segment-anything", "segment_anything"),
        ROBUST_SAM("RobustSAM", "robustsam", "robust_segment_anything"),
        MOBILE_SAM("MobileSAM", "mobilesam", "mobile_sam");

        private final String family;
        private final String folder;
        private final String pythonPackage;

        ReferenceFamily(String family, String folder, String pythonPackage) {
            this.family = family;
            this.folder = folder;
            this.pythonPackage = pythonPackage;
        }

        /** The family of a {@link ModelIdentity#family()}. */
        static ReferenceFamily of(String family) {
            for (ReferenceFamily f : values()) {
                if (f.family.equals(family)) {
                    return f;
                }
            }
            throw new IllegalArgumentException("no reference for model family " + family);
        }

        String family() {
            return family;
        }

        String folder() {
            return folder;
        }

        String pythonPackage() {
            return pythonPackage;
        }
    }

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
        if (runs < 1 || prompts < 1) {
            spec.commandLine().getErr().println("studio bench: --runs and --prompts must be at least 1");
            return 2;
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
        out.put("image", (image != null ? imagePath.getFileName() : "street-rain.jpg (bundled sample)") + " " + rgb.width()
                + "x" + rgb.height());
        out.put("device", Engines.describeDevice());
        out.put("cores", Runtime.getRuntime().availableProcessors());
        ObjectNode load = out.putObject("load_average");
        load.put("start", loadAverage());

        ModelIdentity base = baseline == null ? null : ModelIdentifier.identify(baseline);
        List<JavaTimings> timed = timeJava(baseline == null ? List.of(checkpoint) : List.of(checkpoint, baseline), rgb);
        double[] enc = timed.get(0).encoderSeconds();
        double[] dec = timed.get(0).promptMs();
        ObjectNode java = out.putObject("java");
        java.put("encoder_seconds_median", median(enc));
        java.putPOJO("encoder_seconds", enc);
        java.put("prompt_ms_p50", percentile(dec, 50));
        java.put("prompt_ms_p95", percentile(dec, 95));
        java.put("peak_rss_mb", timed.get(0).peakRssMb());
        if (identity.family().equals("RobustSAM")) {
            java.put("note", "encoder includes AMFG's image side, run once per image and kept with the embedding; "
                    + "each prompt runs the robust decoder only, as the app does");
        }

        if (base != null) {
            double[] be = timed.get(1).encoderSeconds();
            double[] bd = timed.get(1).promptMs();
            ObjectNode bn = out.putObject("baseline");
            bn.put("model", base.registryId());
            bn.put("checkpoint", baseline.toString());
            bn.put("encoder_seconds_median", median(be));
            bn.putPOJO("encoder_seconds", be);
            bn.put("prompt_ms_p50", percentile(bd, 50));
            bn.put("prompt_ms_p95", percentile(bd, 95));
            bn.put("peak_rss_mb", timed.get(1).peakRssMb());
            bn.put("note", "timed interleaved with the checkpoint (one run of each in turn); peak RSS includes both models");
            ObjectNode over = out.putObject("ratio_over_baseline");
            over.put("encoder", median(enc) / median(be));
            var pairs = over.putArray("encoder_per_run"); // run i of each, back to back: the spread shows the load's effect
            for (int i = 0; i < runs; i++) {
                pairs.add(enc[i] / be[i]);
            }
            over.put("prompt_p50", percentile(dec, 50) / percentile(bd, 50));
            over.put("prompt_p95", percentile(dec, 95) / percentile(bd, 95));
        }
        if (!noReference) {
            ReferenceFamily family = ReferenceFamily.of(identity.family());
            Path refDir = referenceDir != null ? referenceDir
                    : Path.of(System.getProperty("studio.shared.dir", "../shared"), "reference", family.folder());
            ObjectNode ref = out.putObject("reference");
            ref.put("family", family.family());
            ref.put("dir", refDir.toString());
            String name = checkpoint.getFileName().toString().toLowerCase(Locale.ROOT);
            if (!name.endsWith(".pth") && !name.endsWith(".pt")) {
                ref.put("skipped", "the reference loads torch.save files (.pth, .pt) only");
            } else if (!Files.isDirectory(refDir.resolve(family.pythonPackage()))) {
                ref.put("skipped", "reference sources not found: no " + family.pythonPackage() + " folder in " + refDir);
            } else {
                runReference(mapper, ref, family, refDir, identity.size(), imagePath);
                if (ref.has("encoder_seconds_median")) {
                    ObjectNode ratio = out.putObject("ratio_java_over_reference");
                    ratio.put("encoder", median(enc) / ref.get("encoder_seconds_median").asDouble());
                    if (ref.has("image_side_seconds_median")) {
                        ratio.put("encoder_with_image_side", median(enc) / (ref.get("encoder_seconds_median").asDouble()
                                + ref.get("image_side_seconds_median").asDouble()));
                    }
                    ratio.put("prompt_p50", percentile(dec, 50) / ref.get("prompt_ms_p50").asDouble());
                    ratio.put("prompt_p95", percentile(dec, 95) / ref.get("prompt_ms_p95").asDouble());
                }
            }
        }
        load.put("end", loadAverage());
        var w = spec.commandLine().getOut();
        if (json) {
            w.println(mapper.writeValueAsString(out));
        } else {
            printTable(w, out, enc, dec);
        }
        w.flush();
        return 0;
    }

    private void printTable(java.io.PrintWriter w, ObjectNode out, double[] enc, double[] dec) {
        w.printf(Locale.ROOT, "%s on %s, %s; load average %s at start, %s at end%n", out.get("model").asText(),
                out.get("device").asText(), out.get("image").asText(), out.get("load_average").get("start").asText(),
                out.get("load_average").get("end").asText());
        w.printf(Locale.ROOT, "  java      encoder %.3f s (median of %d)  prompt p50 %.1f ms  p95 %.1f ms  peak RSS %d MB%n",
                median(enc), runs, percentile(dec, 50), percentile(dec, 95), out.get("java").get("peak_rss_mb").asLong());
        if (out.has("ratio_over_baseline")) {
            var b = out.get("baseline");
            var q = out.get("ratio_over_baseline");
            w.printf(Locale.ROOT, "  baseline  %s: encoder %.3f s  prompt p50 %.1f ms  p95 %.1f ms%n", b.get("model").asText(),
                    b.get("encoder_seconds_median").asDouble(), b.get("prompt_ms_p50").asDouble(),
                    b.get("prompt_ms_p95").asDouble());
            w.printf(Locale.ROOT, "  %s over %s: encoder x%.2f (run by run %s)  prompt p50 x%.2f  p95 x%.2f%n",
                    out.get("model").asText(), b.get("model").asText(), q.get("encoder").asDouble(),
                    String.join(" ", java.util.stream.StreamSupport.stream(q.get("encoder_per_run").spliterator(), false)
                            .map(v -> String.format(Locale.ROOT, "%.2f", v.asDouble())).toList()),
                    q.get("prompt_p50").asDouble(), q.get("prompt_p95").asDouble());
        }
        if (out.has("reference") && out.get("reference").has("encoder_seconds_median")) {
            var r = out.get("reference");
            w.printf(Locale.ROOT, "  reference (%s) encoder %.3f s  prompt p50 %.1f ms  p95 %.1f ms  (torch %s, %d threads)%n",
                    r.get("family").asText(), r.get("encoder_seconds_median").asDouble(), r.get("prompt_ms_p50").asDouble(),
                    r.get("prompt_ms_p95").asDouble(), r.get("torch").asText(), r.get("threads").asInt());
            var q = out.get("ratio_java_over_reference");
            w.printf(Locale.ROOT, "  ratio java/reference: encoder %.2f  prompt p50 %.2f  p95 %.2f%n",
                    q.get("encoder").asDouble(), q.get("prompt_p50").asDouble(), q.get("prompt_p95").asDouble());
            if (r.has("image_side_seconds_median")) {
                w.printf(Locale.ROOT, "  reference AMFG image side %.3f s per call; java encoder / (reference encoder + image "
                        + "side) %.2f%n", r.get("image_side_seconds_median").asDouble(),
                        q.get("encoder_with_image_side").asDouble());
                w.println("  note: " + r.get("note").asText());
            }
        } else if (out.has("reference")) {
            w.println("  reference: " + out.get("reference").path("failed").asText(out.get("reference").path("skipped").asText()));
        }
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

    /** Java timings of one checkpoint: encoder seconds per run, prompt milliseconds per prompt, peak RSS. */
    private record JavaTimings(double[] encoderSeconds, double[] promptMs, long peakRssMb) {}

    /**
     * Encoder seconds (after one warm-up) and prompt milliseconds (after three warm-up prompts) of each
     * checkpoint, through the app's own segmenter. With several checkpoints the runs are interleaved
     * (encode A, encode B, encode A, ...; the same prompts likewise), so a change in the machine's
     * load hits all of them alike and their ratios stay fair. Each checkpoint's peak RSS is read after
     * its warm-up, before the next one is loaded.
     */
    private List<JavaTimings> timeJava(List<Path> files, RgbImage rgb) throws Exception {
        int n = files.size();
        double[][] enc = new double[n][runs];
        double[][] dec = new double[n][prompts];
        long[] rss = new long[n];
        List<Segmenter> segmenters = new java.util.ArrayList<>();
        try {
            ImageEmbedding[] e = new ImageEmbedding[n];
            for (int m = 0; m < n; m++) {
                Segmenter s = Segmenters.open(files.get(m));
                segmenters.add(s);
                e[m] = s.encode(rgb); // warm-up
                for (int i = 0; i < 3; i++) {
                    s.predict(e[m], point(rgb.width() / 2.0, rgb.height() / 2.0), true);
                }
                rss[m] = peakRssMb();
            }
            for (int i = 0; i < runs; i++) {
                for (int m = 0; m < n; m++) {
                    long t0 = System.nanoTime();
                    e[m] = segmenters.get(m).encode(rgb);
                    enc[m][i] = (System.nanoTime() - t0) / 1e9;
                }
            }
            Random rnd = new Random(0);
            for (int i = 0; i < prompts; i++) {
                Prompt p = point(rnd.nextDouble() * rgb.width(), rnd.nextDouble() * rgb.height());
                for (int m = 0; m < n; m++) {
                    long t0 = System.nanoTime();
                    segmenters.get(m).predict(e[m], p, true);
                    dec[m][i] = (System.nanoTime() - t0) / 1e6;
                }
            }
        } finally {
            for (Segmenter s : segmenters) {
                s.close();
            }
        }
        List<JavaTimings> out = new java.util.ArrayList<>();
        for (int m = 0; m < n; m++) {
            out.add(new JavaTimings(enc[m], dec[m], rss[m]));
        }
        return out;
    }

    /**
     * Runs sam_reference_bench.py for the checkpoint's family and fills {@code ref}. The child's
     * stdout and stderr go to files, not pipes: a pipe left unread fills (64 KB on Linux) and
     * blocks the child, and with it this command, for good.
     */
    private void runReference(ObjectMapper mapper, ObjectNode ref, ReferenceFamily family, Path refDir, String config,
            Path imagePath) throws IOException, InterruptedException {
        Path script = Files.createTempFile("sam_reference_bench", ".py");
        Path stdout = Files.createTempFile("sam_reference_bench", ".out");
        Path stderr = Files.createTempFile("sam_reference_bench", ".err");
        try (InputStream in = BenchCommand.class.getResourceAsStream("sam_reference_bench.py")) {
            Files.write(script, in.readAllBytes());
        }
        try {
            List<String> cmd = List.of(python, script.toString(), refDir.toAbsolutePath().toString(), family.family(),
                    config, checkpoint.toAbsolutePath().toString(), imagePath.toAbsolutePath().toString(),
                    String.valueOf(runs), String.valueOf(prompts), String.valueOf(Runtime.getRuntime().availableProcessors()));
            Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.PIPE)
                    .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
            p.getOutputStream().close();
            if (!p.waitFor(REFERENCE_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                ref.put("failed", "reference did not finish in " + REFERENCE_TIMEOUT_MINUTES + " minutes: " + tail(stderr));
                return;
            }
            if (p.exitValue() != 0) {
                ref.put("failed", "reference exited with " + p.exitValue() + ": " + tail(stderr));
                return;
            }
            String last = new String(Files.readAllBytes(stdout), StandardCharsets.UTF_8).strip().lines()
                    .reduce((a, b) -> b).orElse("");
            JsonNode r;
            try {
                r = mapper.readTree(last);
            } catch (IOException e) {
                r = null;
            }
            if (r == null || !r.has("encoder_seconds") || !r.has("prompt_ms")) {
                ref.put("failed", "reference printed no timings (last line: " + tail(last) + "): " + tail(stderr));
                return;
            }
            double[] enc = mapper.convertValue(r.get("encoder_seconds"), double[].class);
            double[] dec = mapper.convertValue(r.get("prompt_ms"), double[].class);
            ref.put("torch", r.path("torch").asText());
            ref.put("threads", r.path("threads").asInt());
            ref.put("encoder_seconds_median", median(enc));
            ref.putPOJO("encoder_seconds", enc);
            ref.put("prompt_ms_p50", percentile(dec, 50));
            ref.put("prompt_ms_p95", percentile(dec, 95));
            if (r.has("image_side_seconds")) {
                double[] side = mapper.convertValue(r.get("image_side_seconds"), double[].class);
                ref.put("image_side_seconds_median", median(side));
                ref.put("note", "the reference runs AMFG's image side in every decoder call (its prompt time includes it, "
                        + "and its robust multimask output has 15 masks, all upscaled); the Java engine runs it once per "
                        + "image in the encoder and keeps it with the embedding");
            }
        } catch (IOException e) {
            ref.put("failed", "cannot run " + python + ": " + e.getMessage());
        } finally {
            Files.deleteIfExists(script);
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }

    /** The last {@value #TAIL_CHARS} characters of a file, read without loading the rest. */
    static String tail(Path file) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long start = Math.max(0, f.length() - 4L * TAIL_CHARS);
            byte[] b = new byte[(int) (f.length() - start)];
            f.seek(start);
            f.readFully(b);
            String s = tail(new String(b, StandardCharsets.UTF_8).strip());
            return start > 0 && !s.startsWith("...") ? "..." + s : s;
        }
    }

    static String tail(String s) {
        return s.length() > TAIL_CHARS ? "..." + s.substring(s.length() - TAIL_CHARS) : s;
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

    /** The 1, 5 and 15 minute load averages ("5.35 5.46 5.97"), or "unknown" where /proc is not available. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
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
