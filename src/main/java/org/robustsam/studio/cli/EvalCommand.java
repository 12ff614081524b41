package org.robustsam.studio.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.robustsam.studio.eval.BoundaryTolerance;
import org.robustsam.studio.eval.EvalException;
import org.robustsam.studio.eval.EvalIssue;
import org.robustsam.studio.eval.EvalJob;
import org.robustsam.studio.eval.EvalSettings;
import org.robustsam.studio.eval.PointRule;
import org.robustsam.studio.model.manager.ModelStore;
import org.robustsam.studio.model.registry.ModelRegistry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code studio eval}: the paper's evaluation table on the user's own annotated photos, models side
 * by side, per degradation.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Evaluate models on an annotated dataset, clean and under each degradation, with box and point prompts "
                + "derived from the ground truth (box = mask bounding box, point = the mask pixel farthest from its boundary).",
            "Output: cases.csv (one row per image x object x condition x model x prompt; a re-run resumes from it), "
                + "table.md and table.html (rows: each degradation, clean, average; columns: model x IoU/Dice/Acc/BF), "
                + "charts/<prompt>_<metric>.png and skipped.csv.",
            "Exit status: 0 done, 1 done but some images, models or predictions failed (see skipped.csv), 2 nothing evaluated."})
final class EvalCommand implements Callable<Integer> {
    @Option(names = {"-d", "--dataset"}, required = true, paramLabel = "PATH",
            description = "A LabelMe folder (images + .json) or a COCO instances .json file.")
    Path dataset;

    @Option(names = {"-m", "--models"}, required = true, split = ",", paramLabel = "MODEL",
            description = "Comma-separated checkpoint paths or registry ids (see `studio models`), e.g. sam_vit_b,robustsam_vit_b.")
    List<String> models;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "DIR", description = "Report folder (created if missing).")
    Path out;

    @Option(names = {"-t", "--degradations"}, paramLabel = "IDS", defaultValue = "all",
            description = "'all', 'none' or a comma-separated list of degradation ids (default: ${DEFAULT-VALUE}).")
    String degradations;

    @Option(names = "--no-clean", description = "Leave out the clean images (the table's Clean row).")
    boolean noClean;

    @Option(names = {"-s", "--severity"}, defaultValue = "3", description = "Severity 1..5, 3 = the reference parameters (default: ${DEFAULT-VALUE}).")
    int severity;

    @Option(names = {"-p", "--prompts"}, defaultValue = "box,point", description = "box, point or both (default: ${DEFAULT-VALUE}).")
    String prompts;

    @Option(names = "--point-rule", defaultValue = "center", paramLabel = "center|random",
            description = "Point prompt: the mask pixel farthest from the boundary, or a seeded random mask pixel (default: ${DEFAULT-VALUE}).")
    String pointRule;

    @Option(names = "--seed", defaultValue = "0", description = "Seeds the degradations (per image, as `studio degrade`) and random points (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--boundary-tolerance", defaultValue = "0.008diag", paramLabel = "TOL",
            description = "Boundary F-score match distance: pixels (2px) or a fraction of the image diagonal (0.008diag, DAVIS) "
                    + "(default: ${DEFAULT-VALUE}).")
    String boundaryTolerance;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "Worker threads; 0 picks from the cores and free memory (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--models-dir", paramLabel = "DIR", description = "Folder of registry model files (default: the per-user models folder).")
    Path modelsDir;

    @Option(names = "--overwrite", description = "Start over: compute every case again instead of resuming from cases.csv.")
    boolean overwrite;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true"); // charts are drawn off-screen
        }
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        EvalSettings settings;
        try {
            settings = new EvalSettings(EvalSettings.parseDegradations(degradations), !noClean, severity,
                    EvalSettings.parsePrompts(prompts), PointRule.parse(pointRule), seed, BoundaryTolerance.parse(boundaryTolerance), threads);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        List<String> sources = models.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (sources.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--models names no model");
        }
        ProgressBar bar = new ProgressBar(err, "eval");
        EvalJob job = new EvalJob(ModelRegistry.bundled(), new ModelStore(modelsDir != null ? modelsDir : ModelStore.defaultDir()));
        EvalJob.Outcome outcome;
        try {
            outcome = job.run(new EvalJob.Request(dataset, sources, settings, out, overwrite), new EvalJob.Listener() {
                @Override
                public void planned(int total, int alreadyDone) {
                    bar.message(String.format(Locale.ROOT, "%d cases, %d already in %s", total, alreadyDone, EvalJob.CASES_CSV));
                }

                @Override
                public void progressed(int done, int total) {
                    bar.update(done, total);
                }

                @Override
                public void issue(EvalIssue issue) {
                    bar.message((issue.kind().isFailure() ? "warning: " : issue.kind() == EvalIssue.Kind.ANNOTATION_WARNING ? "note: " : "skipped: ") + issue);
                }

                @Override
                public void message(String text) {
                    bar.message(text);
                }
            });
        } catch (EvalException e) {
            bar.finish();
            err.println("error: " + e.getMessage());
            err.println("Nothing was evaluated.");
            err.flush();
            return 2;
        }
        bar.finish();
        var result = outcome.result();
        stdout.printf(Locale.ROOT, "%d cases: %d computed, %d reused.%n", result.cases().size(), result.computed(), result.reused());
        stdout.print(outcome.report().markdownTablesOnly());
        if (!outcome.issues().isEmpty()) {
            stdout.println("Skipped: " + org.robustsam.studio.eval.EvalReport.describeIssues(outcome.issues()) + " (see "
                    + out.resolve(org.robustsam.studio.eval.EvalReport.SKIPPED_CSV) + ")");
        }
        stdout.println("Report: " + String.join(", ", Arrays.asList(out.resolve(EvalJob.CASES_CSV).toString(),
                out.resolve(org.robustsam.studio.eval.EvalReport.TABLE_MD).getFileName().toString(),
                out.resolve(org.robustsam.studio.eval.EvalReport.TABLE_HTML).getFileName().toString(),
                org.robustsam.studio.eval.EvalReport.CHARTS_DIR + "/")));
        stdout.flush();
        return outcome.hadFailures() || result.cancelled() ? 1 : 0;
    }
}
