package org.robustsam.studio.cli;

import static org.robustsam.studio.cli.CliRun.studio;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.robustsam.studio.degrade.Degradations;
import org.robustsam.studio.eval.CasesCsv;
import org.robustsam.studio.eval.EvalCase;
import org.robustsam.studio.image.ImageLoader;
import org.robustsam.studio.image.RgbImage;
import org.robustsam.studio.model.sam.RandomSam;
import org.robustsam.studio.model.sam.SamConfig;
import org.robustsam.studio.testutil.SharedData;
import org.robustsam.studio.testutil.SyntheticScenes;

/**
 * {@code studio assess}: a row per photo with the right verdicts, unreadable photos reported, and
 * the robustness report of a labelled set (two shared LabelMe photos, one of them fogged) with two
 * tiny random models.
 */
class AssessCommandTest {
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

    private static void writeJpeg(RgbImage image, Path file, float quality) throws Exception {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            ImageWriteParam p = writer.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(quality);
            writer.setOutput(out);
            writer.write(null, new IIOImage(image.toBufferedImage(), null, null), p);
        } finally {
            writer.dispose();
        }
    }

    /** CSV rows by image name (the header checked), as column -> cell. */
    private static Map<String, Map<String, String>> rows(Path csv) throws Exception {
        List<String> lines = Files.readAllLines(csv);
        List<String> header = List.of(lines.get(0).split(","));
        assertEquals(List.of("image", "width", "height", "quality", "dominant", "noise", "blur", "compression", "light", "weather",
                "problem"), header);
        Map<String, Map<String, String>> out = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            Map<String, String> row = new HashMap<>();
            for (int i = 0; i < header.size(); i++) {
                row.put(header.get(i), i < cells.length ? cells[i] : "");
            }
            out.put(row.get("image"), row);
        }
        return out;
    }

    @Test
    void oneRowPerPhotoWithTheVerdictAndUnreadablePhotosNamed() throws Exception {
        Path photos = Files.createDirectories(tmp.resolve("photos"));
        RgbImage scene = SyntheticScenes.deadLeaves(512, 384, 3);
        ImageIO.write(scene.toBufferedImage(), "png", photos.resolve("clean.png").toFile());
        ImageIO.write(Degradations.get("gauss_noise").apply(scene, 4, 1).toBufferedImage(), "png", photos.resolve("noisy.png").toFile());
        ImageIO.write(Degradations.get("motion_blur").apply(scene, 3, 1).toBufferedImage(), "png", photos.resolve("shaky.png").toFile());
        writeJpeg(scene, photos.resolve("blocky.jpg"), 0.05f);
        Files.writeString(photos.resolve("broken.jpg"), "not a photo");
        Path csv = tmp.resolve("out").resolve("report.csv");

        CliRun r = studio("assess", photos.toString(), "--out", csv.toString());
        assertEquals(1, r.exit(), "an unreadable photo makes the run report failure: " + r.err() + r.out());
        Map<String, Map<String, String>> rows = rows(csv);
        assertEquals(5, rows.size(), rows.keySet().toString());
        assertEquals("", rows.get("clean.png").get("dominant"), rows.get("clean.png").toString());
        assertTrue(Double.parseDouble(rows.get("clean.png").get("quality")) > 0.7, rows.get("clean.png").toString());
        assertEquals("512", rows.get("clean.png").get("width"));
        assertEquals("noise", rows.get("noisy.png").get("dominant"));
        assertEquals("blur", rows.get("shaky.png").get("dominant"));
        assertEquals("compression", rows.get("blocky.jpg").get("dominant"));
        for (String degraded : List.of("noisy.png", "shaky.png", "blocky.jpg")) {
            assertTrue(Double.parseDouble(rows.get(degraded).get("quality")) < Double.parseDouble(rows.get("clean.png").get("quality")),
                    degraded);
        }
        assertTrue(rows.get("broken.jpg").get("problem").contains("broken.jpg"), rows.get("broken.jpg").toString());
        assertEquals("", rows.get("broken.jpg").get("quality"));
        assertTrue(r.err().contains("skipped: ") && r.err().contains("broken.jpg"), r.err());
        assertTrue(r.out().contains("5 photos (1 unreadable): 1 look clean; strongest family: noise 1, blur 1, compression 1, light 0, "
                + "weather 0; present in: "), r.out());
    }

    @Test
    void robustnessReportOfALabelledSetWithTwoModels() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("labelled"));
        Path shared = SharedData.labelmeFolder();
        for (String n : List.of("2011_000003", "2011_000006")) { // 3 + 6 objects
            Files.copy(shared.resolve(n + ".json"), data.resolve(n + ".json"));
            Files.copy(shared.resolve(n + ".jpg"), data.resolve(n + ".jpg"));
        }
        // One photo fogged in place (same size, so its annotation still fits).
        RgbImage photo = new ImageLoader().load(data.resolve("2011_000006.jpg"));
        writeJpeg(Degradations.get("fog").apply(photo, 3, 5), data.resolve("2011_000006.jpg"), 0.95f);
        Path csv = tmp.resolve("out").resolve("report.csv");

        CliRun r = studio("assess", data.toString(), "--out", csv.toString(), "--labels", data.toString(), "--models",
                modelA + "," + modelB, "--severity", "2", "--prompts", "box", "--threads", "2");
        assertEquals(0, r.exit(), r.err() + r.out());
        assertEquals("weather", rows(csv).get("2011_000006.jpg").get("dominant"));
        Path md = tmp.resolve("out").resolve("report-robustness.md");
        String report = Files.readString(md);
        assertTrue(report.contains("| Weather | 1 | 50% | 1 |"), report);
        assertTrue(report.contains("2 labelled photos"), report);
        // The degradations of the families found (weather at least) were evaluated on all 9 objects, with clean,
        // for both models, with box prompts; no others.
        Map<EvalCase.Key, EvalCase> cases = CasesCsv.read(tmp.resolve("out").resolve("report-eval").resolve("cases.csv"));
        java.util.Set<String> conditions = new java.util.TreeSet<>();
        cases.values().forEach(c -> conditions.add(c.condition()));
        assertTrue(conditions.containsAll(List.of("clean", "snow", "fog", "rain")), conditions.toString());
        java.util.Set<org.robustsam.studio.assess.DegradationFamily> found = new java.util.HashSet<>();
        for (String line : Files.readAllLines(tmp.resolve("out").resolve("report-robustness.csv")).subList(1, 11)) {
            String[] c = line.split(",");
            if (Integer.parseInt(c[1]) > 0) {
                found.add(org.robustsam.studio.assess.DegradationFamily.valueOf(c[0].toUpperCase(java.util.Locale.ROOT)));
            }
        }
        for (String condition : conditions) {
            assertTrue(condition.equals("clean") || found.contains(org.robustsam.studio.assess.DegradationFamily.of(condition).orElseThrow()),
                    condition + " evaluated but its family was not found: " + found);
        }
        assertEquals(9 * conditions.size() * 2, cases.size());
        // The cost in the CSV is clean minus degraded IoU, from those cases.
        for (String model : List.of("tiny-a", "tiny-b")) {
            double clean = cases.values().stream().filter(c -> c.model().equals(model) && c.condition().equals("clean"))
                    .mapToDouble(EvalCase::iou).average().orElseThrow();
            double weather = cases.values().stream().filter(c -> c.model().equals(model) && List.of("snow", "fog", "rain").contains(c.condition()))
                    .mapToDouble(EvalCase::iou).average().orElseThrow();
            String row = Files.readAllLines(tmp.resolve("out").resolve("report-robustness.csv")).stream()
                    .filter(l -> l.startsWith("weather,") && l.contains("," + model + ",")).findFirst().orElseThrow();
            String[] c = row.split(",");
            assertEquals(clean, Double.parseDouble(c[6]), 1e-4, row);
            assertEquals(weather, Double.parseDouble(c[7]), 1e-4, row);
            assertEquals(clean - weather, Double.parseDouble(c[8]), 1e-4, row);
        }
        assertTrue(report.contains("| looks clean | 1 |") && report.contains("| Weather | 1 | 0."), report);
        assertTrue(r.out().contains("Robustness report: "), r.out());

        // The same labels as a project: occurrence only (no models), read from project.json.
        CliRun imported = studio("import", "--format", "labelme", "--input", data.toString(), "--project", data.toString());
        assertEquals(0, imported.exit(), imported.err());
        Path csv2 = tmp.resolve("out2").resolve("q.csv");
        CliRun fromProject = studio("assess", data.toString(), "--out", csv2.toString(), "--labels", data.resolve("project.json").toString());
        assertEquals(0, fromProject.exit(), fromProject.err());
        String report2 = Files.readString(tmp.resolve("out2").resolve("q-robustness.md"));
        assertTrue(report2.contains("| Weather | 1 | 50% | 1 |") && report2.contains("No model was evaluated"), report2);
    }

    @Test
    void badArgumentsAreExplained() {
        CliRun noLabels = studio("assess", tmp.toString(), "--out", tmp.resolve("r.csv").toString(), "--models", modelA.toString());
        assertEquals(2, noLabels.exit());
        assertTrue(noLabels.err().contains("--models needs --labels"), noLabels.err());
        CliRun missing = studio("assess", tmp.resolve("nope").toString(), "--out", tmp.resolve("r.csv").toString());
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("nope: folder does not exist"), missing.err());
        CliRun empty = studio("assess", tmp.toString(), "--out", tmp.resolve("r.csv").toString());
        assertEquals(2, empty.exit());
        assertTrue(empty.err().contains("no photos"), empty.err());
    }
}
