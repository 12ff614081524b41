package org.robustsam.studio.assess;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.robustsam.studio.eval.EvalCase;
import org.robustsam.studio.eval.EvalCondition;

/**
 * The robustness report of a labelled set: which degradation families the advisor finds in its
 * photos and how often, and, when models were evaluated, what each family costs each model in IoU.
 * <ul>
 *   <li>Occurrence: per family, the photos where it is present (score at least
 *       {@link QualityAssessor#PRESENT}), where it is the strongest, and its mean score.</li>
 *   <li>Cost (synthetic): each model's mean IoU on the clean photos minus its mean IoU on the same
 *       photos under the family's degradations (from the engine, at one severity), over every object
 *       and prompt. This is what the family does to the model on this set's own content.</li>
 *   <li>As found: each model's IoU on the photos as they are, grouped by the advisor's verdict
 *       (looks clean, or strongest family): how the model copes with what the set really holds.</li>
 *   <li>Expected loss: the sum over families of (share of photos where present) x cost.</li>
 * </ul>
 */
public final class RobustnessReport {
    /** The advisor's verdict on one labelled photo. */
    public record Verdict(String image, QualityReport report) {}

    private final String title;
    private final List<Verdict> verdicts;
    private final List<String> models;
    private final List<EvalCase> cases;
    private final int severity;

    /**
     * @param cases evaluation rows (conditions: {@code clean} and degradation ids); empty when no model was evaluated
     * @param models model names in column order (empty without evaluation)
     * @param severity the severity the degradations were applied at
     */
    public RobustnessReport(String title, List<Verdict> verdicts, List<String> models, List<EvalCase> cases, int severity) {
        this.title = title;
        this.verdicts = List.copyOf(verdicts);
        this.models = List.copyOf(models);
        this.cases = List.copyOf(cases);
        this.severity = severity;
    }

    /** Photos where the family is present. */
    public int present(DegradationFamily f) {
        return (int) verdicts.stream().filter(v -> v.report().score(f) >= QualityAssessor.PRESENT).count();
    }

    /** Photos where the family is the strongest and present. */
    public int dominant(DegradationFamily f) {
        return (int) verdicts.stream().filter(v -> v.report().dominant() == f).count();
    }

    public double share(DegradationFamily f) {
        return verdicts.isEmpty() ? 0 : (double) present(f) / verdicts.size();
    }

    public double meanScore(DegradationFamily f) {
        return verdicts.stream().mapToDouble(v -> v.report().score(f)).average().orElse(0);
    }

    /** Mean IoU of a model under a condition filter; NaN when there are no such rows. */
    private double meanIou(String model, java.util.function.Predicate<EvalCase> filter) {
        return cases.stream().filter(c -> c.model().equals(model)).filter(filter).mapToDouble(EvalCase::iou).average().orElse(Double.NaN);
    }

    private static Optional<DegradationFamily> familyOf(String condition) {
        return condition.equals(EvalCondition.CLEAN_ID) ? Optional.empty() : DegradationFamily.of(condition);
    }

    public double cleanIou(String model) {
        return meanIou(model, c -> c.condition().equals(EvalCondition.CLEAN_ID));
    }

    /** Mean IoU under the family's degradations; NaN when none of them was evaluated. */
    public double degradedIou(String model, DegradationFamily f) {
        return meanIou(model, c -> familyOf(c.condition()).filter(x -> x == f).isPresent());
    }

    /** IoU lost to the family: clean minus degraded; NaN when not evaluated. */
    public double cost(String model, DegradationFamily f) {
        return cleanIou(model) - degradedIou(model, f);
    }

    /** Sum over families of share x cost (families not evaluated count 0). */
    public double expectedLoss(String model) {
        double sum = 0;
        for (DegradationFamily f : DegradationFamily.values()) {
            double c = cost(model, f);
            if (!Double.isNaN(c)) {
                sum += share(f) * c;
            }
        }
        return sum;
    }

    /** Mean IoU on the photos as they are (clean condition) whose verdict is {@code f} (null: looks clean). */
    public double asFoundIou(String model, DegradationFamily f) {
        java.util.Set<String> images = new java.util.HashSet<>();
        for (Verdict v : verdicts) {
            if (v.report().dominant() == f) {
                images.add(v.image());
            }
        }
        return meanIou(model, c -> c.condition().equals(EvalCondition.CLEAN_ID) && images.contains(c.image()));
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * v);
    }

    private static String iou(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.3f", v);
    }

    public String markdown() {
        StringBuilder sb = new StringBuilder();
        int n = verdicts.size();
        long clean = verdicts.stream().filter(v -> v.report().isClean()).count();
        sb.append("# ").append(title).append("\n\n");
        sb.append(String.format(Locale.ROOT, "%d labelled photos; the advisor finds %d clean (no family at or above %.2f).%n%n",
                n, clean, QualityAssessor.PRESENT));
        sb.append("## Which degradations occur\n\n");
        sb.append("| Family | Photos where present | Share | Strongest in | Mean score |\n| --- | ---: | ---: | ---: | ---: |\n");
        for (DegradationFamily f : DegradationFamily.values()) {
            sb.append(String.format(Locale.ROOT, "| %s | %d | %s | %d | %.2f |%n", f.label(), present(f), pct(share(f)), dominant(f),
                    meanScore(f)));
        }
        if (models.isEmpty() || cases.isEmpty()) {
            sb.append("\nNo model was evaluated: give `--models` to see what each family costs in IoU.\n");
            return sb.toString();
        }
        sb.append(String.format(Locale.ROOT, "%n## What each family costs (mean IoU, clean -> under the family's degradations at severity %d)%n%n",
                severity));
        sb.append("| Family | Share |");
        for (String m : models) {
            sb.append(' ').append(m).append(" clean -> degraded (cost) |");
        }
        sb.append("\n| --- | ---: |");
        sb.append(" ---: |".repeat(models.size())).append('\n');
        for (DegradationFamily f : DegradationFamily.values()) {
            if (Double.isNaN(degradedIou(models.get(0), f))) {
                continue;
            }
            sb.append("| ").append(f.label()).append(" | ").append(pct(share(f))).append(" |");
            for (String m : models) {
                sb.append(String.format(Locale.ROOT, " %s -> %s (%s) |", iou(cleanIou(m)), iou(degradedIou(m, f)), iou(cost(m, f))));
            }
            sb.append('\n');
        }
        sb.append("| **Expected loss on this set** (share x cost) | |");
        for (String m : models) {
            sb.append(" **").append(iou(expectedLoss(m))).append("** |");
        }
        sb.append("\n\n## On the photos as they are (mean IoU, by the advisor's verdict)\n\n| Verdict | Photos |");
        for (String m : models) {
            sb.append(' ').append(m).append(" |");
        }
        sb.append("\n| --- | ---: |").append(" ---: |".repeat(models.size())).append('\n');
        List<DegradationFamily> groups = new ArrayList<>();
        groups.add(null);
        groups.addAll(List.of(DegradationFamily.values()));
        for (DegradationFamily f : groups) {
            int count = f == null ? (int) clean : dominant(f);
            if (count == 0) {
                continue;
            }
            sb.append("| ").append(f == null ? "looks clean" : f.label()).append(" | ").append(count).append(" |");
            for (String m : models) {
                sb.append(' ').append(iou(asFoundIou(m, f))).append(" |");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** One row per family (and per model when evaluated). */
    public String csv() {
        StringBuilder sb = new StringBuilder("family,photos_present,share,strongest_in,mean_score,model,clean_iou,degraded_iou,cost,as_found_iou\n");
        for (DegradationFamily f : DegradationFamily.values()) {
            String head = String.format(Locale.ROOT, "%s,%d,%.4f,%d,%.4f", f.id(), present(f), share(f), dominant(f), meanScore(f));
            if (models.isEmpty() || cases.isEmpty()) {
                sb.append(head).append(",,,,,\n");
                continue;
            }
            for (String m : models) {
                sb.append(head).append(',').append(QualityCsv.quote(m)).append(',').append(cell(cleanIou(m))).append(',')
                        .append(cell(degradedIou(m, f))).append(',').append(cell(cost(m, f))).append(',')
                        .append(cell(asFoundIou(m, f))).append('\n');
            }
        }
        return sb.toString();
    }

    private static String cell(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.4f", v);
    }

    /** Writes {@code <stem>.md} and {@code <stem>.csv}; returns both paths. */
    public List<Path> write(Path folder, String stem) throws IOException {
        Files.createDirectories(folder);
        Path md = folder.resolve(stem + ".md");
        Path csv = folder.resolve(stem + ".csv");
        Files.writeString(md, markdown(), StandardCharsets.UTF_8);
        Files.writeString(csv, csv(), StandardCharsets.UTF_8);
        return List.of(md, csv);
    }

    /** The degradation ids of the families present in at least one photo, in registry order. */
    public static List<String> degradationsOf(List<DegradationFamily> families) {
        List<String> out = new ArrayList<>();
        for (String id : org.robustsam.studio.degrade.Degradations.ids()) {
            DegradationFamily.of(id).filter(families::contains).ifPresent(f -> out.add(id));
        }
        return out;
    }

    /** Families present in at least one of the verdicts, in enum order. */
    public static List<DegradationFamily> occurring(List<Verdict> verdicts) {
        Map<DegradationFamily, Boolean> seen = new EnumMap<>(DegradationFamily.class);
        for (Verdict v : verdicts) {
            for (DegradationFamily f : v.report().present()) {
                seen.put(f, true);
            }
        }
        return List.copyOf(seen.keySet());
    }
}
