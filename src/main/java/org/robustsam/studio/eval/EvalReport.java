package org.robustsam.studio.eval;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * The written results of a run: {@code table.md} and {@code table.html} (the paper's layout, one
 * table per prompt type), {@code charts/<prompt>_<metric>.png} (grouped bars per row, one bar per
 * model) and {@code skipped.csv} (everything left out, with the reason). Values have 4 decimals,
 * as the paper prints them; the best model of a row is bold per metric where one is strictly best.
 *
 * @param title what was evaluated (the dataset's name)
 * @param summary one paragraph: images, objects, models, settings, cases
 */
public record EvalReport(String title, String summary, EvalTable table, List<EvalIssue> issues) {
    /** Issues listed in full in the Markdown/HTML; the rest are counted (all are in skipped.csv). */
    static final int LISTED_ISSUES = 100;

    public static final String TABLE_MD = "table.md";
    public static final String TABLE_HTML = "table.html";
    public static final String SKIPPED_CSV = "skipped.csv";
    public static final String CHARTS_DIR = "charts";

    /** Writes every file into {@code out} (created if missing); returns the files written. */
    public List<Path> write(Path out) throws IOException {
        Files.createDirectories(out.resolve(CHARTS_DIR));
        List<Path> written = new ArrayList<>();
        Path md = out.resolve(TABLE_MD);
        Files.writeString(md, markdown(), StandardCharsets.UTF_8);
        written.add(md);
        for (EvalTable.Section s : table.sections()) {
            for (EvalMetric m : EvalMetric.values()) {
                Path png = out.resolve(CHARTS_DIR).resolve(chartName(s.prompt(), m));
                ImageIO.write(chart(s, m), "png", png.toFile());
                written.add(png);
            }
        }
        Path html = out.resolve(TABLE_HTML);
        Files.writeString(html, html(), StandardCharsets.UTF_8);
        written.add(html);
        Path skipped = out.resolve(SKIPPED_CSV);
        StringBuilder sb = new StringBuilder("kind,subject,reason\n");
        for (EvalIssue i : issues) {
            sb.append(CasesCsv.line(List.of(i.kind().words(), i.subject(), i.message())));
        }
        Files.writeString(skipped, sb.toString(), StandardCharsets.UTF_8);
        written.add(skipped);
        return written;
    }

    public static String chartName(PromptType p, EvalMetric m) {
        return p.id() + "_" + m.id() + ".png";
    }

    /** The bar chart of one section and metric: a group per row, a bar per model. */
    public BufferedImage chart(EvalTable.Section s, EvalMetric m) {
        List<String> categories = s.rows().stream().map(EvalTable.Row::title).toList();
        double[][] values = new double[table.models().size()][categories.size()];
        for (int k = 0; k < table.models().size(); k++) {
            for (int r = 0; r < s.rows().size(); r++) {
                values[k][r] = s.rows().get(r).cell(table.models().get(k), m).mean();
            }
        }
        return BarChartImage.render(s.prompt().title() + " prompts: " + metricName(m), m.title(), categories, table.models(), values, true);
    }

    static String metricName(EvalMetric m) {
        return switch (m) {
            case IOU -> "IoU";
            case DICE -> "Dice";
            case PIXEL_ACCURACY -> "pixel accuracy";
            case BOUNDARY_F -> "boundary F-score";
        };
    }

    /** The Markdown tables alone, one per prompt type (what {@code studio eval} prints). */
    public String markdownTablesOnly() {
        return tables(false);
    }

    /** "2 no annotations, 1 empty mask" */
    public static String describeIssues(List<EvalIssue> issues) {
        return EvalDataset.describe(issues);
    }

    private String tables(boolean charts) {
        StringBuilder sb = new StringBuilder();
        for (EvalTable.Section s : table.sections()) {
            sb.append("\n## ").append(s.prompt().title()).append(" prompts\n\n");
            List<String> head = new ArrayList<>(List.of("Degradation", "n"));
            for (String model : table.models()) {
                for (EvalMetric m : EvalMetric.values()) {
                    head.add(mdEscape(model) + " " + m.title());
                }
            }
            sb.append("| ").append(String.join(" | ", head)).append(" |\n");
            sb.append("| --- |").append(" ---: |".repeat(head.size() - 1)).append('\n');
            for (EvalTable.Row r : s.rows()) {
                List<String> cells = new ArrayList<>();
                String name = r.kind() == EvalTable.RowKind.DEGRADATION ? r.title() : "**" + r.title() + "**";
                cells.add(name);
                cells.add(count(r));
                Map<EvalMetric, Double> best = best(r);
                for (String model : table.models()) {
                    for (EvalMetric m : EvalMetric.values()) {
                        EvalTable.Cell c = r.cell(model, m);
                        String v = value(c);
                        cells.add(!c.isEmpty() && best.get(m) != null && c.mean() == best.get(m) ? "**" + v + "**" : v);
                    }
                }
                sb.append("| ").append(String.join(" | ", cells)).append(" |\n");
            }
            if (!charts) {
                continue;
            }
            sb.append('\n');
            for (EvalMetric m : EvalMetric.values()) {
                sb.append("![").append(s.prompt().title()).append(' ').append(m.title()).append("](").append(CHARTS_DIR).append('/')
                        .append(chartName(s.prompt(), m)).append(")\n");
            }
        }
        return sb.toString();
    }

    public String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(title).append("\n\n").append(summary).append("\n\n");
        sb.append("Columns per model: IoU, Dice, Acc (pixel accuracy over the whole image), BF (boundary F-score). ")
                .append("Each cell is the mean over the row's objects; ").append(EvalTable.AVERAGE_TITLE)
                .append(" is the mean of the degradation rows. **Bold**: the best model of the row for that measure.\n");
        sb.append(tables(true));
        sb.append("\n## Skipped and warnings\n\n");
        if (issues.isEmpty()) {
            sb.append("Nothing was skipped.\n");
        } else {
            sb.append(EvalDataset.describe(issues)).append(" (all in ").append(SKIPPED_CSV).append(").\n\n");
            for (int i = 0; i < Math.min(LISTED_ISSUES, issues.size()); i++) {
                sb.append("- ").append(mdEscape(issues.get(i).toString())).append('\n');
            }
            if (issues.size() > LISTED_ISSUES) {
                sb.append("- … and ").append(issues.size() - LISTED_ISSUES).append(" more\n");
            }
        }
        return sb.toString();
    }

    public String html() {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title)).append("</title>\n")
                .append("<style>body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}")
                .append("th,td{border:1px solid #ccc;padding:4px 8px}td.num{text-align:right;font-variant-numeric:tabular-nums}")
                .append("tr.clean td,tr.average td{background:#f3f6fa;font-weight:600}td.best{font-weight:700;color:#0a5}")
                .append("img{max-width:100%;margin:0.5em 0}</style></head><body>\n");
        sb.append("<h1>").append(esc(title)).append("</h1>\n<p>").append(esc(summary)).append("</p>\n");
        sb.append("<p>Columns per model: IoU, Dice, Acc (pixel accuracy over the whole image), BF (boundary F-score). ")
                .append("Each cell is the mean over the row's objects; ").append(esc(EvalTable.AVERAGE_TITLE))
                .append(" is the mean of the degradation rows. Green: the best model of the row for that measure.</p>\n");
        for (EvalTable.Section s : table.sections()) {
            sb.append("<h2>").append(s.prompt().title()).append(" prompts</h2>\n<table>\n<thead><tr><th rowspan=\"2\">Degradation</th>")
                    .append("<th rowspan=\"2\">n</th>");
            for (String model : table.models()) {
                sb.append("<th colspan=\"").append(EvalMetric.values().length).append("\">").append(esc(model)).append("</th>");
            }
            sb.append("</tr>\n<tr>");
            for (int k = 0; k < table.models().size(); k++) {
                for (EvalMetric m : EvalMetric.values()) {
                    sb.append("<th>").append(m.title()).append("</th>");
                }
            }
            sb.append("</tr></thead>\n<tbody>\n");
            for (EvalTable.Row r : s.rows()) {
                String cls = r.kind() == EvalTable.RowKind.DEGRADATION ? "" : " class=\"" + r.kind().name().toLowerCase(Locale.ROOT) + "\"";
                sb.append("<tr").append(cls).append("><td>").append(esc(r.title())).append("</td><td class=\"num\">").append(count(r)).append("</td>");
                Map<EvalMetric, Double> best = best(r);
                for (String model : table.models()) {
                    for (EvalMetric m : EvalMetric.values()) {
                        EvalTable.Cell c = r.cell(model, m);
                        boolean isBest = !c.isEmpty() && best.get(m) != null && c.mean() == best.get(m);
                        sb.append("<td class=\"num").append(isBest ? " best" : "").append("\">").append(value(c)).append("</td>");
                    }
                }
                sb.append("</tr>\n");
            }
            sb.append("</tbody></table>\n");
            for (EvalMetric m : EvalMetric.values()) {
                sb.append("<img src=\"").append(CHARTS_DIR).append('/').append(chartName(s.prompt(), m)).append("\" alt=\"")
                        .append(s.prompt().title()).append(' ').append(esc(metricName(m))).append("\">\n");
            }
        }
        sb.append("<h2>Skipped and warnings</h2>\n");
        if (issues.isEmpty()) {
            sb.append("<p>Nothing was skipped.</p>\n");
        } else {
            sb.append("<p>").append(esc(EvalDataset.describe(issues))).append(" (all in ").append(SKIPPED_CSV).append(").</p>\n<ul>\n");
            for (int i = 0; i < Math.min(LISTED_ISSUES, issues.size()); i++) {
                sb.append("<li>").append(esc(issues.get(i).toString())).append("</li>\n");
            }
            if (issues.size() > LISTED_ISSUES) {
                sb.append("<li>… and ").append(issues.size() - LISTED_ISSUES).append(" more</li>\n");
            }
            sb.append("</ul>\n");
        }
        return sb.append("</body></html>\n").toString();
    }

    /** The best value per metric in a row, only where one model is strictly better than the others. */
    private Map<EvalMetric, Double> best(EvalTable.Row r) {
        Map<EvalMetric, Double> out = new EnumMap<>(EvalMetric.class);
        if (table.models().size() < 2) {
            return out;
        }
        for (EvalMetric m : EvalMetric.values()) {
            double top = Double.NEGATIVE_INFINITY;
            int atTop = 0;
            for (String model : table.models()) {
                EvalTable.Cell c = r.cell(model, m);
                if (c.isEmpty()) {
                    continue;
                }
                double v = round4(c.mean());
                if (v > top) {
                    top = v;
                    atTop = 1;
                } else if (v == top) {
                    atTop++;
                }
            }
            if (atTop == 1) {
                for (String model : table.models()) {
                    EvalTable.Cell c = r.cell(model, m);
                    if (!c.isEmpty() && round4(c.mean()) == top) {
                        out.put(m, c.mean());
                    }
                }
            }
        }
        return out;
    }

    private static double round4(double v) {
        return Math.round(v * 1e4) / 1e4;
    }

    /** Cases in the row: one number, or one per model where they differ. */
    private String count(EvalTable.Row r) {
        List<Integer> counts = table.models().stream().map(r::count).toList();
        return counts.stream().distinct().count() <= 1 ? String.valueOf(counts.isEmpty() ? 0 : counts.get(0))
                : String.join("/", counts.stream().map(String::valueOf).toList());
    }

    public static String value(EvalTable.Cell c) {
        return c.isEmpty() ? "–" : String.format(Locale.ROOT, "%.4f", c.mean());
    }

    private static String mdEscape(String s) {
        return s.replace("|", "\\|");
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
