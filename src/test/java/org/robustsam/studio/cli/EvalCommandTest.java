package org.robustsam.studio.cli;

import static org.robustsam.studio.cli.CliRun.studio;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.robustsam.studio.eval.CasesCsv;
import org.robustsam.studio.eval.EvalCase;
import org.robustsam.studio.model.sam.RandomSam;
import org.robustsam.studio.model.sam.SamConfig;
import org.robustsam.studio.testutil.SharedData;

/**
 * {@code studio eval} end to end on the shared LabelMe photos (3 images, 12 objects plus 2 ignore
 * regions) with two random tiny models: the table's rows, resuming, a model against itself, and bad
 * input reported and skipped. Few degradations at a low severity keep it quick.
 */
class EvalCommandTest {
    @TempDir
    static Path models;

    @TempDir
    Path tmp;

    static Path modelA;
    static Path modelB;

    @BeforeAll
    static void writeModels() throws Exception {
        modelA = models.resolve("tiny-a.safetensors");
        modelB = models.resolve("tiny-b.safetensors");
        RandomSam.write(SamConfig.TINY, 1, modelA);
        RandomSam.write(SamConfig.TINY, 2, modelB);
    }

    /** Table rows of one prompt section of table.md ("## Box prompts"), first cell each. */
    private static List<List<String>> tableRows(String md, String section) {
        int at = md.indexOf("## " + section + " prompts");
        assertTrue(at >= 0, "no section " + section + " in\n" + md);
        List<List<String>> rows = new ArrayList<>();
        for (String line : md.substring(at).split("\n")) {
            if (line.startsWith("| ") && !line.startsWith("| Degradation") && !line.startsWith("| ---")) {
                List<String> cells = new ArrayList<>();
                for (String c : line.substring(2, line.length() - 2).split(" \\| ")) {
                    cells.add(c.replace("**", "").trim());
                }
                rows.add(cells);
            } else if (!rows.isEmpty() && !line.startsWith("|")) {
                break;
            }
        }
        return rows;
    }

    @Test
    void twoModelsEndToEndThenAResumeComputesNothing() throws Exception {
        Path labelme = SharedData.labelmeFolder();
        Path out = tmp.resolve("report");
        String[] args = {"eval", "--dataset", labelme.toString(), "--models", modelA + "," + modelB, "--degradations",
            "gauss_noise,brightness", "--severity", "2", "--prompts", "box,point", "--seed", "7", "--out", out.toString()};
        CliRun r = studio(args);
        assertEquals(0, r.exit(), r.err() + r.out());
        // 12 objects x (2 degradations + clean) x 2 models x 2 prompts.
        Map<EvalCase.Key, EvalCase> cases = CasesCsv.read(out.resolve("cases.csv"));
        assertEquals(144, cases.size());
        assertTrue(r.out().contains("144 cases: 144 computed, 0 reused."), r.out());
        assertTrue(r.err().contains("eval [") && r.err().contains("100%"), "progress bar: " + r.err());
        assertTrue(r.out().contains("2 ignored region"), "labelme's __ignore__ regions are reported: " + r.out());

        String md = Files.readString(out.resolve("table.md"));
        for (String section : List.of("Box", "Point")) {
            List<List<String>> rows = tableRows(md, section);
            assertEquals(List.of("Gaussian noise", "Brightness", "Clean", "Average (degraded)"), rows.stream().map(c -> c.get(0)).toList(),
                    "one row per degradation + clean + average:\n" + md);
            for (List<String> row : rows) {
                assertEquals(2 + 2 * 4, row.size(), "degradation, n, then 4 metrics per model: " + row);
                for (String v : row.subList(2, row.size())) {
                    double d = Double.parseDouble(v);
                    assertTrue(d >= 0 && d <= 1, v);
                }
            }
            assertEquals("12", rows.get(0).get(1));
        }
        String html = Files.readString(out.resolve("table.html"));
        assertTrue(html.contains("<th colspan=\"4\">tiny-a</th><th colspan=\"4\">tiny-b</th>"), html);
        for (String chart : List.of("box_iou", "box_dice", "box_accuracy", "box_boundary_f", "point_iou", "point_boundary_f")) {
            Path png = out.resolve("charts").resolve(chart + ".png");
            assertTrue(ImageIO.read(png.toFile()).getWidth() > 400, chart);
        }

        // Same command again: everything comes from cases.csv, no model is asked to encode anything.
        String before = Files.readString(out.resolve("cases.csv"));
        CliRun again = studio(args);
        assertEquals(0, again.exit(), again.err());
        assertTrue(again.out().contains("144 cases: 0 computed, 144 reused."), again.out());
        assertEquals(before, Files.readString(out.resolve("cases.csv")));
        String mdAgain = Files.readString(out.resolve("table.md"));
        for (String section : List.of("Box", "Point")) {
            assertEquals(tableRows(md, section), tableRows(mdAgain, section), "the same table");
        }

        // An interrupted run: 100 rows written, the 101st torn mid-line. The next run computes the other 44.
        List<String> lines = Files.readAllLines(out.resolve("cases.csv"));
        Files.writeString(out.resolve("cases.csv"), String.join("\n", lines.subList(0, 101)) + "\n" + lines.get(101).substring(0, 20));
        CliRun resumed = studio(args);
        assertEquals(0, resumed.exit(), resumed.err());
        assertTrue(resumed.out().contains("144 cases: 44 computed, 100 reused."), resumed.out());
        assertEquals(before, Files.readString(out.resolve("cases.csv")), "the same rows, in the same order");
    }

    @Test
    void aModelAgainstItselfGivesIdenticalColumns() throws Exception {
        // One photo (3 objects) is enough to compare columns.
        Path data = Files.createDirectories(tmp.resolve("one"));
        for (String n : List.of("2011_000003.jpg", "2011_000003.json")) {
            Files.copy(SharedData.labelmeFolder().resolve(n), data.resolve(n));
        }
        Path out = tmp.resolve("self");
        CliRun r = studio("eval", "--dataset", data.toString(), "--models", modelA + "," + modelA,
                "--degradations", "motion_blur", "--severity", "1", "--out", out.toString(), "--threads", "2");
        assertEquals(0, r.exit(), r.err() + r.out());
        Map<String, List<Double>> byModel = new HashMap<>();
        for (EvalCase c : CasesCsv.read(out.resolve("cases.csv")).values()) {
            String key = c.image() + "#" + c.object() + "/" + c.condition() + "/" + c.prompt();
            byModel.computeIfAbsent(c.model() + "|" + key, k -> new ArrayList<>()).addAll(List.of(c.iou(), c.dice(), c.pixelAccuracy(),
                    c.boundaryF(), c.predictedIou()));
        }
        int compared = 0;
        for (Map.Entry<String, List<Double>> e : byModel.entrySet()) {
            if (e.getKey().startsWith("tiny-a|")) {
                assertEquals(e.getValue(), byModel.get("tiny-a (2)|" + e.getKey().substring("tiny-a|".length())), e.getKey());
                compared++;
            }
        }
        assertEquals(3 * 2 * 2, compared);
        String md = Files.readString(out.resolve("table.md"));
        for (String section : List.of("Box", "Point")) {
            for (List<String> row : tableRows(md, section)) {
                assertEquals(row.subList(2, 6), row.subList(6, 10), "identical columns in " + row);
            }
        }
        assertTrue(!md.contains("**0.") && !md.contains("**1."), "no model is bold when both are equal");
    }

    /**
     * The comparison the product is for: SAM against RobustSAM (a tiny RobustSAM checkpoint in the
     * official layout, robust path), over all 15 degradations.
     */
    @Test
    void samAgainstRobustSamOverAllFifteenDegradations() throws Exception {
        Path robust = org.robustsam.studio.testutil.TinyModels.robustSam(tmp.resolve("robustsam_tiny.pth"), 3);
        Path data = Files.createDirectories(tmp.resolve("one"));
        for (String n : List.of("2011_000003.jpg", "2011_000003.json")) {
            Files.copy(SharedData.labelmeFolder().resolve(n), data.resolve(n));
        }
        Path out = tmp.resolve("sam-vs-robustsam");
        CliRun r = studio("eval", "--dataset", data.toString(), "--models", modelA + "," + robust, "--degradations", "all",
                "--severity", "3", "--prompts", "box", "--out", out.toString());
        assertEquals(0, r.exit(), r.err() + r.out());
        // 3 objects x (15 degradations + clean) x 2 models x 1 prompt
        Map<EvalCase.Key, EvalCase> cases = CasesCsv.read(out.resolve("cases.csv"));
        assertEquals(3 * 16 * 2, cases.size(), r.out());
        List<String> rows = tableRows(Files.readString(out.resolve("table.md")), "Box").stream().map(c -> c.get(0)).toList();
        List<String> expected = new ArrayList<>();
        for (org.robustsam.studio.degrade.Degradation d : org.robustsam.studio.degrade.Degradations.all()) {
            expected.add(d.name());
        }
        expected.add("Clean");
        expected.add("Average (degraded)");
        assertEquals(expected, rows);
        // the two models are different networks: their masks differ somewhere
        Map<String, Double> iouByCase = new HashMap<>();
        int differ = 0;
        for (EvalCase c : cases.values()) {
            String key = c.image() + "#" + c.object() + "/" + c.condition();
            Double other = iouByCase.put(key, c.iou());
            if (other != null && other.doubleValue() != c.iou()) {
                differ++;
            }
        }
        assertTrue(differ > 0, "SAM and RobustSAM gave identical IoU on every case");
    }

    @Test
    void badInputIsReportedAndSkippedAndTheRunGoesOn() throws Exception {
        Path shared = SharedData.labelmeFolder();
        Path data = Files.createDirectories(tmp.resolve("data"));
        for (String n : List.of("2011_000003.jpg", "2011_000003.json", "2011_000025.jpg")) {
            Files.copy(shared.resolve(n), data.resolve(n));
        }
        // An image without annotations, and one whose json has only a shape covering no pixel centre.
        Files.copy(shared.resolve("2011_000006.jpg"), data.resolve("unlabelled.jpg"));
        String json = Files.readString(shared.resolve("2011_000025.json"));
        String sliver = "{\"label\": \"bus\", \"points\": [[10.1, 10.1], [10.4, 10.1], [10.4, 10.4]], \"group_id\": null, "
                + "\"shape_type\": \"polygon\", \"flags\": {}}";
        int shapes = json.indexOf("\"shapes\"");
        int open = json.indexOf('[', shapes);
        Files.writeString(data.resolve("2011_000025.json"), json.substring(0, open + 1) + sliver + "," + json.substring(open + 1));
        // A model file that is not a checkpoint, and a registry model that is not downloaded.
        Path broken = Files.writeString(tmp.resolve("broken.pth"), "not a checkpoint");
        Path out = tmp.resolve("bad");
        CliRun r = studio("eval", "--dataset", data.toString(), "--models", modelA + "," + broken + ",sam_vit_h", "--models-dir",
                tmp.resolve("no-models").toString(), "--degradations", "contrast", "--severity", "1", "--prompts", "box",
                "--out", out.toString());
        assertEquals(1, r.exit(), "done, but models failed: " + r.err() + r.out());
        // 2011_000003 has 3 objects, 2011_000025 has 3 + the sliver (skipped): 6 x 2 conditions x 1 model x 1 prompt.
        assertEquals(12, CasesCsv.read(out.resolve("cases.csv")).size());
        String md = Files.readString(out.resolve("table.md"));
        assertTrue(md.contains("no annotations: unlabelled.jpg"), md);
        assertTrue(md.contains("empty mask: 2011_000025.json"), md);
        assertTrue(md.contains("model failed: broken: cannot load"), md);
        assertTrue(md.contains("model failed: sam_vit_h: cannot load sam_vit_h: sam_vit_h is not downloaded"), md);
        assertEquals(List.of("Contrast", "Clean", "Average (degraded)"), tableRows(md, "Box").stream().map(c -> c.get(0)).toList());
        assertEquals(2 + 4, tableRows(md, "Box").get(0).size(), "only the model that loaded has columns");
        assertTrue(r.err().contains("warning: model failed: broken"), r.err());
        assertTrue(r.err().contains("skipped: no annotations: unlabelled.jpg"), r.err());
        assertTrue(r.out().contains("Skipped: ") && r.out().contains("1 no annotations") && r.out().contains("1 empty mask")
                && r.out().contains("2 model failed"), r.out());
        String skipped = Files.readString(out.resolve("skipped.csv"));
        assertTrue(skipped.startsWith("kind,subject,reason\n") && skipped.contains("empty mask,2011_000025.json,"), skipped);

        // Nothing usable at all: a clear error and exit 2.
        CliRun none = studio("eval", "--dataset", data.toString(), "--models", broken.toString(), "--out", tmp.resolve("none").toString());
        assertEquals(2, none.exit());
        assertTrue(none.err().contains("error: no model could be loaded"), none.err());
    }
}
