package org.robustsam.studio.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cases.csv round trips and survives a torn line; the table has the paper's rows and averages. */
class EvalCsvAndTableTest {
    @TempDir
    Path tmp;

    static EvalCase row(String image, int object, String condition, String model, String prompt, double iou) {
        return new EvalCase(image, object, "person, \"tall\"", condition, condition.equals("clean") ? 0 : 3, model, model + "@abc", prompt,
                prompt.equals("point") ? "center" : "", 0, "0.008diag", "1.5 2.5", iou, EvalCase.round6(iou / 2), 0.9, 0.25, 5, 0.8, 100, 90);
    }

    @Test
    void rowsRoundTripAndATornLastLineIsDropped() throws Exception {
        Path csv = tmp.resolve("cases.csv");
        List<EvalCase> rows = List.of(row("a.jpg", 1, "fog", "m", "box", 0.123456), row("b/c,d.jpg", 2, "clean", "m", "point", 1));
        try (CasesCsv out = CasesCsv.rewriteAndAppend(csv, List.of())) {
            for (EvalCase r : rows) {
                out.append(r);
            }
        }
        Files.writeString(csv, "a.jpg,3,person,fog,3,m,m@abc,box,,0,0.008di", StandardOpenOption.APPEND); // interrupted write
        Map<EvalCase.Key, EvalCase> back = CasesCsv.read(csv);
        assertEquals(rows, new ArrayList<>(back.values()));
        assertTrue(Files.readString(csv, StandardCharsets.UTF_8).startsWith(String.join(",", EvalCase.COLUMNS) + "\n"));

        Files.writeString(csv, "something,else\n1,2\n");
        assertThrows(EvalException.class, () -> CasesCsv.read(csv), "a file of another kind is not silently overwritten");
    }

    @Test
    void metricValuesAreRoundedSoTheyReadBackEqual() {
        EvalCase c = row("a.jpg", 1, "fog", "m", "box", EvalCase.round6(1.0 / 3));
        assertEquals(c, EvalCase.fromCells(c.toCells()));
        assertEquals("0.333333", c.toCells().get(12));
    }

    @Test
    void theTableHasARowPerDegradationThenCleanThenTheAverage() {
        EvalSettings settings = new EvalSettings(List.of("fog", "snow"), true, 3, List.of(PromptType.BOX, PromptType.POINT),
                PointRule.CENTER, 0, BoundaryTolerance.DAVIS, 1);
        List<EvalCase> cases = List.of(
                row("a.jpg", 1, "fog", "A", "box", 0.2), row("a.jpg", 2, "fog", "A", "box", 0.4),
                row("a.jpg", 1, "snow", "A", "box", 0.9), row("a.jpg", 2, "snow", "A", "box", 0.7),
                row("a.jpg", 1, "clean", "A", "box", 1.0), row("a.jpg", 2, "clean", "A", "box", 0.5),
                row("a.jpg", 1, "fog", "B", "box", 0.6), row("a.jpg", 1, "clean", "B", "point", 0.1));
        EvalTable t = EvalTable.build(cases, List.of("A", "B"), settings.conditions(), settings.prompts());
        EvalTable.Section box = t.section(PromptType.BOX);
        assertEquals(List.of("Fog", "Snow", "Clean", EvalTable.AVERAGE_TITLE), box.rows().stream().map(EvalTable.Row::title).toList());
        assertEquals(0.3, box.rows().get(0).cell("A", EvalMetric.IOU).mean(), 1e-12);
        assertEquals(0.15, box.rows().get(0).cell("A", EvalMetric.DICE).mean(), 1e-12);
        assertEquals(0.75, box.rows().get(2).cell("A", EvalMetric.IOU).mean(), 1e-12);
        assertEquals((0.3 + 0.8) / 2, box.rows().get(3).cell("A", EvalMetric.IOU).mean(), 1e-12, "mean of the degradation rows");
        assertEquals(4, box.rows().get(3).count("A"));
        assertTrue(box.rows().get(1).cell("B", EvalMetric.IOU).isEmpty(), "no B case under snow");
        assertEquals(0.6, box.rows().get(3).cell("B", EvalMetric.IOU).mean(), 1e-12, "average over the rows B has");
        assertEquals(0.1, t.section(PromptType.POINT).rows().get(2).cell("B", EvalMetric.IOU).mean(), 1e-12);

        EvalReport report = new EvalReport("t", "s", t, List.of(new EvalIssue(EvalIssue.Kind.EMPTY_MASK, "a.jpg#3", "empty")));
        String md = report.markdown();
        assertTrue(md.contains("| Fog | 2/1 | 0.3000 |"), md);
        assertTrue(md.contains("| **Average (degraded)** |"), md);
        assertTrue(md.contains("empty mask: a.jpg#3: empty"), md);
        assertTrue(report.html().contains("<th colspan=\"4\">A</th>"));
    }
}
