package org.robustsam.studio.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.robustsam.studio.model.manager.ModelStore;
import org.robustsam.studio.model.registry.ModelRegistry;

/**
 * A whole evaluation as {@code studio eval} and the evaluation dialog run it: read the dataset,
 * open the models, run ({@link Evaluation}, resuming from {@code cases.csv}), and write the report
 * ({@link EvalReport}). Bad images, objects and models are reported and skipped; the run fails
 * only when nothing at all can be evaluated or the output cannot be written.
 */
public final class EvalJob {
    public static final String CASES_CSV = "cases.csv";

    /**
     * @param dataset a LabelMe folder or a COCO json
     * @param models checkpoint paths or registry ids, in column order
     * @param out output folder
     * @param overwrite start over instead of resuming from an existing cases.csv
     */
    public record Request(Path dataset, List<String> models, EvalSettings settings, Path out, boolean overwrite) {
        public Request {
            models = List.copyOf(models);
        }
    }

    /** Progress, problems and notes; called from worker threads. */
    public interface Listener extends Evaluation.Listener {
        default void message(String text) {}
    }

    /**
     * @param issues everything skipped: dataset, models, run
     * @param files the report files written (cases.csv first)
     */
    public record Outcome(EvalReport report, Evaluation.Result result, List<EvalIssue> issues, List<Path> files) {
        public boolean hadFailures() {
            return issues.stream().anyMatch(i -> i.kind().isFailure());
        }
    }

    private final ModelRegistry registry;
    private final ModelStore store;
    private volatile Evaluation evaluation;
    private volatile boolean cancelled;

    public EvalJob(ModelRegistry registry, ModelStore store) {
        this.registry = registry;
        this.store = store;
    }

    public void cancel() {
        cancelled = true;
        Evaluation e = evaluation;
        if (e != null) {
            e.cancel();
        }
    }

    public Outcome run(Request request, Listener listener) throws EvalException {
        EvalDataset dataset = EvalDataset.load(request.dataset());
        prepareOutput(request.out()); // before loading models, which may take a while
        dataset.issues().forEach(listener::issue);
        listener.message(String.format(Locale.ROOT, "%s: %d images with %d objects", dataset.source().getFileName(),
                dataset.images().size(), dataset.objectCount()));
        try (EvalModels models = EvalModels.open(request.models(), registry, store, listener::issue)) {
            if (models.models().isEmpty()) {
                throw new EvalException("no model could be loaded: " + String.join("; ",
                        models.issues().stream().map(EvalIssue::message).toList()));
            }
            return run(dataset, models.models(), models.issues(), request.settings(), request.out(), request.overwrite(), listener);
        }
    }

    /** Runs on a dataset and models already open (the dialog, tests); the models stay open. */
    public Outcome run(EvalDataset dataset, List<EvalModel> models, List<EvalIssue> modelIssues, EvalSettings settings, Path out,
                       boolean overwrite, Listener listener) throws EvalException {
        prepareOutput(out);
        Path cases = out.resolve(CASES_CSV);
        if (overwrite) {
            try {
                Files.deleteIfExists(cases);
            } catch (IOException e) {
                throw new EvalException(cases + ": cannot delete for --overwrite (" + e.getMessage() + ")", e);
            }
        }
        listener.message("models: " + String.join(", ", models.stream().map(m -> m.name() + " (" + m.segmenter().modelId() + ")").toList())
                + "; " + settings.describe());
        Evaluation e = new Evaluation(dataset, models, settings);
        evaluation = e;
        if (cancelled) {
            e.cancel();
        }
        Evaluation.Result result = e.run(cases, listener);
        List<EvalIssue> issues = new ArrayList<>(dataset.issues());
        issues.addAll(modelIssues);
        issues.addAll(result.issues());
        List<String> names = models.stream().map(EvalModel::name).toList();
        EvalTable table = EvalTable.build(result.cases(), names, settings.conditions(), settings.prompts());
        String summary = String.format(Locale.ROOT,
                "%d images, %d objects from %s. Models: %s. %s. %d cases: %d computed now, %d reused from %s%s.",
                dataset.images().size(), dataset.objectCount(), dataset.source(), String.join(", ", names), capitalise(settings.describe()),
                result.cases().size(), result.computed(), result.reused(), CASES_CSV, result.cancelled() ? " (cancelled before the end)" : "");
        EvalReport report = new EvalReport("Evaluation: " + dataset.source().getFileName(), summary, table, issues);
        List<Path> files = new ArrayList<>();
        files.add(cases);
        try {
            files.addAll(report.write(out));
        } catch (IOException ex) {
            throw new EvalException(out + ": cannot write the report (" + ex.getMessage() + ")", ex);
        }
        return new Outcome(report, result, issues, files);
    }

    private static String capitalise(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static void prepareOutput(Path out) throws EvalException {
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new EvalException(out + ": cannot create the output folder (" + e.getMessage() + ")", e);
        }
        if (!Files.isWritable(out)) {
            throw new EvalException(out + ": the output folder is not writable");
        }
    }
}
