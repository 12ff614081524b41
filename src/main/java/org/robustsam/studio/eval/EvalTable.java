package org.robustsam.studio.eval;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The paper's table, one section per prompt type: a row per degradation, then clean, then the
 * average over the degradation rows; columns are model x metric. A cell is the mean over the cases
 * (objects) of that row; the average row is the mean of the degradation rows' means (each
 * degradation weighs the same, as the paper's "degraded" figure).
 */
public final class EvalTable {
    /** Title of the last row of each section. */
    public static final String AVERAGE_TITLE = "Average (degraded)";
    public static final String AVERAGE_ID = "average";

    public enum RowKind { DEGRADATION, CLEAN, AVERAGE }

    /** A mean over {@code count} cases; NaN when there were none. */
    public record Cell(double mean, int count) {
        public boolean isEmpty() {
            return count == 0 || Double.isNaN(mean);
        }
    }

    /** One row: per model, per metric. */
    public record Row(String id, String title, RowKind kind, Map<String, Map<EvalMetric, Cell>> cells) {
        public Cell cell(String model, EvalMetric metric) {
            Map<EvalMetric, Cell> m = cells.get(model);
            return m == null ? new Cell(Double.NaN, 0) : m.getOrDefault(metric, new Cell(Double.NaN, 0));
        }

        /** Cases per model in this row (differs between models only where some failed). */
        public int count(String model) {
            return cell(model, EvalMetric.IOU).count();
        }
    }

    public record Section(PromptType prompt, List<Row> rows) {}

    private final List<String> models;
    private final List<Section> sections;

    private EvalTable(List<String> models, List<Section> sections) {
        this.models = List.copyOf(models);
        this.sections = List.copyOf(sections);
    }

    public List<String> models() {
        return models;
    }

    public List<Section> sections() {
        return sections;
    }

    public Section section(PromptType p) {
        return sections.stream().filter(s -> s.prompt() == p).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no " + p.id() + " section"));
    }

    /**
     * @param cases the run's rows (other rows are ignored by condition/model/prompt filtering)
     * @param models column order
     * @param conditions row order (degradations, then clean)
     */
    public static EvalTable build(List<EvalCase> cases, List<String> models, List<EvalCondition> conditions, List<PromptType> prompts) {
        // Sums per (prompt, condition, model, metric).
        Map<String, double[]> sums = new HashMap<>();
        for (EvalCase c : cases) {
            for (EvalMetric m : EvalMetric.values()) {
                double v = m.of(c);
                if (Double.isFinite(v)) {
                    double[] s = sums.computeIfAbsent(c.prompt() + '\u0000' + c.condition() + '\u0000' + c.model() + '\u0000' + m, k -> new double[2]);
                    s[0] += v;
                    s[1]++;
                }
            }
        }
        List<Section> sections = new ArrayList<>();
        for (PromptType p : prompts) {
            List<Row> rows = new ArrayList<>();
            List<Row> degraded = new ArrayList<>();
            for (EvalCondition cond : conditions) {
                Map<String, Map<EvalMetric, Cell>> cells = new HashMap<>();
                for (String model : models) {
                    Map<EvalMetric, Cell> byMetric = new EnumMap<>(EvalMetric.class);
                    for (EvalMetric m : EvalMetric.values()) {
                        double[] s = sums.get(p.id() + '\u0000' + cond.id() + '\u0000' + model + '\u0000' + m);
                        byMetric.put(m, s == null ? new Cell(Double.NaN, 0) : new Cell(s[0] / s[1], (int) s[1]));
                    }
                    cells.put(model, byMetric);
                }
                Row row = new Row(cond.id(), cond.title(), cond.isClean() ? RowKind.CLEAN : RowKind.DEGRADATION, cells);
                rows.add(row);
                if (!cond.isClean()) {
                    degraded.add(row);
                }
            }
            rows.add(average(degraded, models));
            sections.add(new Section(p, rows));
        }
        return new EvalTable(models, sections);
    }

    private static Row average(List<Row> degraded, List<String> models) {
        Map<String, Map<EvalMetric, Cell>> cells = new HashMap<>();
        for (String model : models) {
            Map<EvalMetric, Cell> byMetric = new EnumMap<>(EvalMetric.class);
            for (EvalMetric m : EvalMetric.values()) {
                double sum = 0;
                int rowsWithData = 0;
                int count = 0;
                for (Row r : degraded) {
                    Cell c = r.cell(model, m);
                    if (!c.isEmpty()) {
                        sum += c.mean();
                        rowsWithData++;
                        count += c.count();
                    }
                }
                byMetric.put(m, rowsWithData == 0 ? new Cell(Double.NaN, 0) : new Cell(sum / rowsWithData, count));
            }
            cells.put(model, byMetric);
        }
        return new Row(AVERAGE_ID, AVERAGE_TITLE, RowKind.AVERAGE, cells);
    }
}
