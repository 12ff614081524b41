package org.robustsam.studio.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.robustsam.studio.degrade.Degradation;
import org.robustsam.studio.degrade.DegradationBenchmark;
import org.robustsam.studio.degrade.Degradations;
import org.robustsam.studio.degrade.dataset.DatasetDegrader;
import org.robustsam.studio.degrade.dataset.DatasetException;
import org.robustsam.studio.degrade.dataset.SourceDataset;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code studio degrade}: a Robust-Seg-style dataset from a folder of images, a LabelMe folder or a
 * COCO file: degraded copies, their unchanged annotations and a manifest. {@code --bench} times
 * the 15 degradations instead.
 */
@Command(name = "degrade", mixinStandardHelpOptions = true,
        description = {"Write degraded copies of a dataset (the 15 Robust-Seg degradations) with their annotations and a manifest.",
            "Output: <out>/<degradation>/s<severity>/<name>.png, LabelMe json or COCO annotations.json beside them, "
                + "manifest.csv and manifest.json in <out>. Re-running the same command resumes: finished copies are kept."})
final class DegradeCommand implements Callable<Integer> {
    @Option(names = {"-i", "--input"}, paramLabel = "PATH",
            description = "A folder of images, a LabelMe folder (images + .json) or a COCO .json file.")
    Path input;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", description = "Output folder (created if missing).")
    Path out;

    @Option(names = {"-t", "--types"}, paramLabel = "IDS", defaultValue = "all",
            description = "'all' or a comma-separated list of: snow, fog, rain, gauss_noise, iso_noise, impulse_noise, "
                    + "resampling_blur, motion_blur, zoom_blur, color_jitter, compression, elastic_transform, "
                    + "frosted_glass_blur, brightness, contrast (default: ${DEFAULT-VALUE}).")
    String types;

    @Option(names = {"-s", "--severity"}, paramLabel = "LEVELS", defaultValue = "3",
            description = "Severity 1..5 (3 = the reference parameters): one level, a range like 1..5, or a list like 1,3,5 "
                    + "(default: ${DEFAULT-VALUE}).")
    String severity;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the run; each image gets its own seed from it (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: the number of cores).")
    Integer threads;

    @Option(names = "--format", paramLabel = "png|jpg", defaultValue = "png",
            description = "File format of the copies (default: ${DEFAULT-VALUE}); JPEG-compression copies are always PNG "
                    + "so their artefacts are stored exactly.")
    String format;

    @Option(names = "--overwrite", description = "Write every copy again, even those already there.")
    boolean overwrite;

    @Option(names = "--bench", description = "Time each degradation on a synthetic image and print a table (no dataset needed).")
    boolean bench;

    @Option(names = "--bench-size", paramLabel = "PX", defaultValue = "1024", description = "Side of the benchmark image (default: ${DEFAULT-VALUE}).")
    int benchSize;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (bench) {
            return runBenchmark(stdout);
        }
        if (input == null || out == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "Missing required option" + (input == null && out == null ? "s '--input', '--out'" : input == null ? ": '--input'" : ": '--out'"));
        }
        List<Degradation> chosen = parseTypes(types);
        List<Integer> levels = parseSeverities(severity);
        DatasetDegrader.Format fmt = parseFormat(format);
        int workers = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (workers < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--threads must be at least 1, got " + workers);
        }

        SourceDataset dataset;
        try {
            dataset = SourceDataset.scan(input);
            DatasetDegrader.prepareOutputFolder(out);
        } catch (DatasetException e) {
            err.println("error: " + e.getMessage());
            err.println("Nothing was written.");
            err.flush();
            return 2;
        }
        ProgressBar bar = new ProgressBar(err, "degrade", System.console() != null);
        for (String w : dataset.warnings()) {
            bar.message("warning: " + w);
        }
        int copies = dataset.images().size() * chosen.size() * levels.size();
        bar.message(String.format(Locale.ROOT, "%s: %d images (%s) x %d degradations x %d severities = %d copies -> %s (%d threads)",
                dataset.input().getFileName(), dataset.images().size(), dataset.kind().name().toLowerCase(Locale.ROOT),
                chosen.size(), levels.size(), copies, out.toAbsolutePath().normalize(), workers));

        DatasetDegrader.Options options = new DatasetDegrader.Options(chosen, levels, seed, out, workers, fmt, overwrite);
        DatasetDegrader.Result result;
        try {
            result = new DatasetDegrader().run(dataset, options, new DatasetDegrader.Listener() {
                @Override
                public void progressed(int done, int total) {
                    bar.update(done, total);
                }

                @Override
                public void warning(String message) {
                    bar.message("warning: " + message);
                }
            });
        } catch (DatasetException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return 2;
        }
        stdout.printf(Locale.ROOT, "%d copies: %d written, %d already there, %d failed.%n", result.entries().size(),
                result.written(), result.existing(), result.failed());
        stdout.println("Manifest: " + result.manifestCsv() + " and " + result.manifestJson().getFileName());
        stdout.flush();
        if (result.failed() > 0) {
            err.println("error: " + result.failed() + " copies failed; see the status column of the manifest.");
            err.flush();
            return 1;
        }
        return 0;
    }

    private int runBenchmark(PrintWriter stdout) {
        if (benchSize < 16 || benchSize > 8192) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--bench-size must be 16..8192, got " + benchSize);
        }
        var image = DegradationBenchmark.syntheticPhoto(benchSize, benchSize);
        stdout.print(DegradationBenchmark.table(DegradationBenchmark.run(image, Degradation.REFERENCE_SEVERITY, 2, 5), benchSize, benchSize));
        stdout.flush();
        return 0;
    }

    private List<Degradation> parseTypes(String spec) {
        if (spec.trim().equalsIgnoreCase("all")) {
            return Degradations.all();
        }
        List<Degradation> list = new ArrayList<>();
        for (String id : spec.split(",")) {
            if (id.isBlank()) {
                continue;
            }
            Degradation d = Degradations.find(id).orElseThrow(() -> new CommandLine.ParameterException(this.spec.commandLine(),
                    "unknown degradation '" + id.trim() + "' in --types; known: all, " + String.join(", ", Degradations.ids())));
            if (!list.contains(d)) {
                list.add(d);
            }
        }
        if (list.isEmpty()) {
            throw new CommandLine.ParameterException(this.spec.commandLine(), "--types names no degradation");
        }
        return list;
    }

    /** "3", "1..5", "1-3", "1,3,5" or mixtures ("1..2,5"): sorted, without repeats. */
    private List<Integer> parseSeverities(String text) {
        TreeSet<Integer> levels = new TreeSet<>();
        for (String part : text.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            String[] ends = p.contains("..") ? p.split("\\.\\.", -1) : p.split("-", -1);
            try {
                int lo = Integer.parseInt(ends[0].trim());
                int hi = ends.length > 1 ? Integer.parseInt(ends[ends.length - 1].trim()) : lo;
                if (ends.length > 2 || lo > hi || lo < Degradation.MIN_SEVERITY || hi > Degradation.MAX_SEVERITY) {
                    throw new NumberFormatException();
                }
                for (int s = lo; s <= hi; s++) {
                    levels.add(s);
                }
            } catch (NumberFormatException e) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "bad --severity '" + text + "': use a level 1..5, a range like 1..5, or a list like 1,3,5");
            }
        }
        if (levels.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--severity names no level");
        }
        return List.copyOf(levels);
    }

    private DatasetDegrader.Format parseFormat(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "png" -> DatasetDegrader.Format.PNG;
            case "jpg", "jpeg" -> DatasetDegrader.Format.JPG;
            default -> throw new CommandLine.ParameterException(spec.commandLine(), "bad --format '" + text + "': png or jpg");
        };
    }
}
