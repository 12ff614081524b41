package org.robustsam.studio.train;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.robustsam.studio.eval.EvalMetric;
import org.robustsam.studio.eval.EvalTable;

/**
 * A job's closing evaluation in short, as the done event, {@code results.json}, the jobs panel and
 * {@code studio train} carry it: mean IoU and Dice per model (SAM, RobustSAM before, RobustSAM
 * after), prompt type and condition (each degradation, clean, the average of the degraded rows),
 * taken from the eval package's table ({@link EvalTable}). The full report (every measure, charts,
 * per-case CSV) is in {@code folder}.
 *
 * @param folder the report's folder ({@code <output>/eval})
 * @param models column order
 * @param checkpoints each model's checkpoint file
 * @param severity the degraded rows' severity
 * @param rows per prompt type, in the table's order; a cell is null where no case was scored
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EvaluationSummary(String folder, List<String> models, Map<String, String> checkpoints, int severity,
        List<Row> rows) {

    /**
     * @param prompt {@code box} or {@code point}
     * @param condition a degradation id, {@code clean} or {@code average}
     * @param title as the table prints it ("Fog", "Clean", "Average (degraded)")
     * @param kind {@code degradation}, {@code clean} or {@code average}
     * @param count cases (objects) behind each mean
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Row(String prompt, String condition, String title, String kind, int count, Map<String, Double> iou,
            Map<String, Double> dice) {}

    static EvaluationSummary of(EvalTable table, Path folder, Map<String, Path> checkpoints, int severity) {
        List<Row> rows = new ArrayList<>();
        for (EvalTable.Section s : table.sections()) {
            for (EvalTable.Row r : s.rows()) {
                Map<String, Double> iou = new LinkedHashMap<>();
                Map<String, Double> dice = new LinkedHashMap<>();
                int count = 0;
                for (String m : table.models()) {
                    iou.put(m, value(r.cell(m, EvalMetric.IOU)));
                    dice.put(m, value(r.cell(m, EvalMetric.DICE)));
                    count = Math.max(count, r.count(m));
                }
                rows.add(new Row(s.prompt().id(), r.id(), r.title(), r.kind().name().toLowerCase(Locale.ROOT), count, iou,
                        dice));
            }
        }
        Map<String, String> files = new LinkedHashMap<>();
        checkpoints.forEach((k, v) -> files.put(k, v.toString()));
        return new EvaluationSummary(folder.toString(), List.copyOf(table.models()), files, severity, rows);
    }

    /** JSON has no NaN: an empty cell is null. */
    private static Double value(EvalTable.Cell c) {
        return c.isEmpty() ? null : c.mean();
    }

    public Optional<Row> row(String prompt, String condition) {
        return rows.stream().filter(r -> r.prompt().equals(prompt) && r.condition().equals(condition)).findFirst();
    }

    /**
     * The table as text, one block per prompt type: a row per condition, IoU and Dice per model
     * (what {@code studio train} prints and the jobs panel shows).
     */
    public String table() {
        StringBuilder sb = new StringBuilder();
        int titleWidth = Math.max(18, rows.stream().mapToInt(r -> r.title().length()).max().orElse(0));
        int col = Math.max(13, models.stream().mapToInt(String::length).max().orElse(0));
        String prompt = null;
        for (Row r : rows) {
            if (!r.prompt().equals(prompt)) {
                prompt = r.prompt();
                if (sb.length() > 0) {
                    sb.append('\n');
                }
                sb.append(pad(Character.toUpperCase(prompt.charAt(0)) + prompt.substring(1) + " prompts", titleWidth))
                        .append(pad("n", 5, true));
                for (String m : models) {
                    sb.append("  ").append(pad(m, col));
                }
                sb.append('\n').append(pad("", titleWidth + 5));
                for (int i = 0; i < models.size(); i++) {
                    sb.append("  ").append(pad("IoU    Dice", col));
                }
                sb.append('\n');
            }
            sb.append(pad(r.title(), titleWidth)).append(pad(String.valueOf(r.count()), 5, true));
            for (String m : models) {
                sb.append("  ").append(pad(number(r.iou().get(m)) + " " + number(r.dice().get(m)), col));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String number(Double v) {
        return v == null ? "  –   " : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String pad(String s, int width) {
        return pad(s, width, false);
    }

    private static String pad(String s, int width, boolean right) {
        if (s.length() >= width) {
            return s;
        }
        String fill = " ".repeat(width - s.length());
        return right ? fill + s : s + fill;
    }
}
