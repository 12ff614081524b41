package org.robustsam.studio.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.robustsam.studio.annotate.FolderException;
import org.robustsam.studio.annotate.PhotoEntry;
import org.robustsam.studio.annotate.PhotoFolder;
import org.robustsam.studio.annotate.project.ProjectFile;
import org.robustsam.studio.assess.DegradationFamily;
import org.robustsam.studio.assess.QualityAssessor;
import org.robustsam.studio.assess.QualityCsv;
import org.robustsam.studio.assess.QualityReport;
import org.robustsam.studio.assess.RobustnessReport;
import org.robustsam.studio.eval.BoundaryTolerance;
import org.robustsam.studio.eval.EvalCase;
import org.robustsam.studio.eval.EvalDataset;
import org.robustsam.studio.eval.EvalException;
import org.robustsam.studio.eval.EvalImage;
import org.robustsam.studio.eval.EvalIssue;
import org.robustsam.studio.eval.EvalModel;
import org.robustsam.studio.eval.EvalModels;
import org.robustsam.studio.eval.EvalSettings;
import org.robustsam.studio.eval.Evaluation;
import org.robustsam.studio.eval.PointRule;
import org.robustsam.studio.image.ImageLoader;
import org.robustsam.studio.image.RgbImage;
import org.robustsam.studio.model.manager.ModelStore;
import org.robustsam.studio.model.registry.ModelRegistry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code studio assess}: the degradation advisor on a folder of photos (one CSV row each), and the
 * robustness report of a labelled set: which degradations occur, how often, and what each costs the
 * given models in IoU.
 */
@Command(name = "assess", mixinStandardHelpOptions = true,
        description = {"Estimate, per photo, which degradations it shows (noise, blur, compression, light & contrast, weather) "
                + "and how strongly, and an overall quality (1 = clean).",
            "With --labels: a robustness report of the labelled photos (<out>-robustness.md/.csv): how often each family occurs "
                + "and, with --models, what each costs every model in IoU (clean vs. under the family's degradations) "
                + "and how each model does on the photos as they are.",
            "Exit status: 0 done, 1 done but some photos or models failed, 2 nothing assessed."})
final class AssessCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FOLDER", description = "Folder of photos (jpg, png, tiff, webp, bmp).")
    Path folder;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "FILE",
            description = "CSV to write: image, width, height, quality, dominant family, one score per family, problem.")
    Path out;

    @Option(names = "--labels", paramLabel = "PATH",
            description = "Labelled set for the robustness report: a project.json, a LabelMe folder or a COCO .json.")
    Path labels;

    @Option(names = {"-m", "--models"}, split = ",", paramLabel = "MODEL",
            description = "With --labels: checkpoints or registry ids to evaluate, e.g. sam_vit_b,robustsam_vit_b.")
    List<String> models;

    @Option(names = "--families", defaultValue = "occurring", paramLabel = "occurring|all",
            description = "Which families' degradations to evaluate: those found in the labelled photos, or all (default: ${DEFAULT-VALUE}).")
    String families;

    @Option(names = {"-s", "--severity"}, defaultValue = "3", description = "Severity of the degradations evaluated, 1..5 (default: ${DEFAULT-VALUE}).")
    int severity;

    @Option(names = {"-p", "--prompts"}, defaultValue = "box", description = "box, point or both (default: ${DEFAULT-VALUE}).")
    String prompts;

    @Option(names = "--seed", defaultValue = "0", description = "Seeds the degradations (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N", description = "Evaluation threads; 0 picks (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--models-dir", paramLabel = "DIR", description = "Folder of registry model files (default: the per-user models folder).")
    Path modelsDir;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final ImageLoader loader = new ImageLoader();
    private final QualityAssessor assessor = new QualityAssessor();

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (models != null && !models.isEmpty() && labels == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--models needs --labels (the ground truth to score against)");
        }
        if (!families.equals("occurring") && !families.equals("all")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--families must be 'occurring' or 'all', got '" + families + "'");
        }
        EvalSettings settingsCheck;
        try {
            settingsCheck = settings(List.of());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        PhotoFolder photos;
        try {
            photos = PhotoFolder.scan(folder.toAbsolutePath().normalize());
        } catch (FolderException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return 2;
        }
        if (photos.entries().isEmpty()) {
            err.println("error: no photos (jpg, png, tiff, webp, bmp) in " + photos.folder());
            err.flush();
            return 2;
        }

        Map<Path, QualityReport> verdicts = new HashMap<>();
        int failed = 0;
        ProgressBar bar = new ProgressBar(err, "assess");
        try (QualityCsv csv = QualityCsv.create(out)) {
            int done = 0;
            for (PhotoEntry e : photos.entries()) {
                try {
                    RgbImage img = loader.load(e.path());
                    QualityReport r = assessor.assess(img);
                    verdicts.put(e.path().toAbsolutePath().normalize(), r);
                    csv.write(e.fileName(), img.width(), img.height(), r);
                } catch (IOException | RuntimeException | OutOfMemoryError ex) {
                    String why = ex instanceof OutOfMemoryError ? e.fileName() + ": not enough memory to read it" : ex.getMessage();
                    csv.writeProblem(e.fileName(), why);
                    bar.message("skipped: " + why);
                    failed++;
                }
                bar.update(++done, photos.entries().size());
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            bar.finish();
            err.println("error: " + out + ": cannot write the report (" + e.getMessage() + ")");
            err.flush();
            return 2;
        }
        bar.finish();
        stdout.println(summary(photos.entries().size(), failed, verdicts.values()));
        stdout.println("Report: " + out);
        stdout.flush();
        if (verdicts.isEmpty()) {
            return 2;
        }
        boolean problems = failed > 0;
        if (labels != null) {
            Integer code = robustness(verdicts, settingsCheck, stdout, err, bar);
            if (code == null) {
                return 2;
            }
            problems |= code != 0;
        }
        return problems ? 1 : 0;
    }

    private EvalSettings settings(List<String> degradations) {
        return new EvalSettings(degradations, true, severity, EvalSettings.parsePrompts(prompts), PointRule.CENTER, seed,
                BoundaryTolerance.DAVIS, threads);
    }

    /** "12 photos (1 unreadable): 7 look clean; strongest family: noise 2, ...; present in: noise 2, ..." */
    static String summary(int photos, int failed, java.util.Collection<QualityReport> reports) {
        Map<DegradationFamily, Integer> strongest = new EnumMap<>(DegradationFamily.class);
        Map<DegradationFamily, Integer> present = new EnumMap<>(DegradationFamily.class);
        int clean = 0;
        for (QualityReport r : reports) {
            if (r.isClean()) {
                clean++;
            } else {
                strongest.merge(r.dominant(), 1, Integer::sum);
            }
            for (DegradationFamily f : r.present()) {
                present.merge(f, 1, Integer::sum);
            }
        }
        List<String> first = new ArrayList<>();
        List<String> all = new ArrayList<>();
        for (DegradationFamily f : DegradationFamily.values()) {
            first.add(f.id() + " " + strongest.getOrDefault(f, 0));
            all.add(f.id() + " " + present.getOrDefault(f, 0));
        }
        return String.format(Locale.ROOT, "%d photos%s: %d look clean; strongest family: %s; present in: %s.", photos,
                failed > 0 ? " (" + failed + " unreadable)" : "", clean, String.join(", ", first), String.join(", ", all));
    }

    /** The labelled set's report; null when nothing could be evaluated, else 0 or 1 (some failures). */
    private Integer robustness(Map<Path, QualityReport> verdicts, EvalSettings base, PrintWriter stdout, PrintWriter err, ProgressBar bar) {
        EvalDataset dataset;
        try {
            dataset = labels.getFileName() != null && labels.getFileName().toString().equals(ProjectFile.FILE_NAME)
                    ? EvalDataset.loadProject(labels) : EvalDataset.load(labels);
        } catch (EvalException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return null;
        }
        boolean failures = false;
        List<RobustnessReport.Verdict> labelled = new ArrayList<>();
        List<EvalImage> readable = new ArrayList<>();
        for (EvalImage image : dataset.images()) {
            QualityReport r = verdicts.get(image.file().toAbsolutePath().normalize());
            if (r == null) { // a labelled photo outside FOLDER: assess it here
                try {
                    r = assessor.assess(loader.load(image.file()));
                } catch (IOException | RuntimeException e) {
                    bar.message("skipped: " + e.getMessage());
                    failures = true;
                    continue;
                }
            }
            labelled.add(new RobustnessReport.Verdict(image.name(), r));
            readable.add(image);
        }
        if (labelled.isEmpty()) {
            err.println("error: none of the labelled photos in " + labels + " could be read");
            err.flush();
            return null;
        }
        List<String> names = List.of();
        List<EvalCase> cases = List.of();
        if (models != null && !models.isEmpty()) {
            List<DegradationFamily> evaluated = families.equals("all") ? List.of(DegradationFamily.values())
                    : RobustnessReport.occurring(labelled);
            EvalSettings settings = settings(RobustnessReport.degradationsOf(evaluated));
            EvalDataset subset = new EvalDataset(dataset.source(), readable, dataset.issues());
            try (EvalModels opened = EvalModels.open(models, ModelRegistry.bundled(),
                    new ModelStore(modelsDir != null ? modelsDir : ModelStore.defaultDir()), i -> bar.message("warning: " + i))) {
                if (opened.models().isEmpty()) {
                    err.println("error: no model could be loaded: "
                            + String.join("; ", opened.issues().stream().map(EvalIssue::message).toList()));
                    err.flush();
                    return null;
                }
                failures |= !opened.issues().isEmpty();
                bar.message("evaluating " + settings.describe());
                Evaluation evaluation = new Evaluation(subset, opened.models(), settings);
                Path evalFolder = java.nio.file.Files.createDirectories(reportFolder().resolve(stem() + "-eval"));
                Evaluation.Result result = evaluation.run(evalFolder.resolve("cases.csv"),
                        new Evaluation.Listener() {
                            @Override
                            public void progressed(int done, int total) {
                                bar.update(done, total);
                            }

                            @Override
                            public void issue(EvalIssue issue) {
                                bar.message((issue.kind().isFailure() ? "warning: " : "skipped: ") + issue);
                            }
                        });
                bar.finish();
                failures |= result.issues().stream().anyMatch(i -> i.kind().isFailure());
                names = opened.models().stream().map(EvalModel::name).toList();
                cases = result.cases();
            } catch (IOException e) { // EvalException, or the eval folder cannot be made
                bar.finish();
                err.println("error: " + e.getMessage());
                err.flush();
                return null;
            }
        }
        RobustnessReport report = new RobustnessReport("Robustness report: " + dataset.source().getFileName(), labelled, names, cases,
                severity);
        try {
            List<Path> files = report.write(reportFolder(), stem() + "-robustness");
            stdout.print(report.markdown());
            stdout.println("Robustness report: " + files.get(0) + ", " + files.get(1).getFileName());
        } catch (IOException e) {
            err.println("error: cannot write the robustness report to " + reportFolder() + " (" + e.getMessage() + ")");
            err.flush();
            return null;
        }
        stdout.flush();
        return failures ? 1 : 0;
    }

    private Path reportFolder() {
        Path parent = out.toAbsolutePath().getParent();
        return parent != null ? parent : Path.of(".").toAbsolutePath();
    }

    /** The report file's name without its extension: {@code report.csv} -> {@code report}. */
    private String stem() {
        String name = out.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
