package org.robustsam.studio.annotate.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.robustsam.studio.annotate.mask.BinaryMask;
import org.robustsam.studio.annotate.mask.Polygon;
import org.robustsam.studio.annotate.mask.PolygonRasterizer;
import org.robustsam.studio.annotate.project.AnnotatedObject;
import org.robustsam.studio.annotate.project.ImageRecord;
import org.robustsam.studio.annotate.project.Project;
import org.robustsam.studio.annotate.project.ProjectSnapshot;
import org.robustsam.studio.testutil.SharedData;

/**
 * Checks the exports with another implementation (Python: numpy + PIL, skipped when absent):
 * VOC PNGs are palette PNGs PIL reads with the right indices and the VOC colour map, and the
 * pixel-centre rasterisation of real LabelMe polygons agrees with PIL's ImageDraw.polygon up to
 * pixels on the outline. Figures go to target/annot-python-check.txt.
 */
class AnnotPythonCheckTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static boolean pythonWithNumpyAndPil() {
        if (!Files.isExecutable(PYTHON)) {
            return false;
        }
        try {
            Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import numpy, PIL.ImageDraw").redirectErrorStream(true).start();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @Test
    void pilReadsVocPalettePngsAndAgreesWithOurPolygonFill() throws Exception {
        assumeTrue(pythonWithNumpyAndPil(), "skipped: /usr/bin/python3 with numpy and PIL not found");
        Path shared = SharedData.labelmeFolder();
        Path project = dir.resolve("project");
        Files.createDirectories(project);
        for (String name : List.of("2011_000003.jpg", "2011_000006.jpg", "2011_000025.jpg")) {
            Files.copy(shared.resolve(name), project.resolve(name));
        }
        Project p = Project.create(project);
        LabelMeImporter.read(shared, project).applyTo(p);
        ProjectSnapshot s = p.snapshot();
        Path voc = dir.resolve("voc");
        VocExporter.export(s, voc);

        ObjectNode manifest = JSON.createObjectNode();
        ArrayNode vocItems = manifest.putArray("voc");
        for (ImageRecord img : s.images()) {
            // Expected indices worked out here, independently of VocExporter: later objects on top.
            byte[] cls = new byte[img.width() * img.height()];
            byte[] obj = new byte[img.width() * img.height()];
            for (int k = 0; k < img.objects().size(); k++) {
                AnnotatedObject o = img.objects().get(k);
                BinaryMask m = o.mask().decode();
                for (int y = 0; y < img.height(); y++) {
                    for (int x = 0; x < img.width(); x++) {
                        if (m.get(x, y)) {
                            cls[y * img.width() + x] = (byte) (s.labelIndex(o.label()) + 1);
                            obj[y * img.width() + x] = (byte) (k + 1);
                        }
                    }
                }
            }
            String stem = img.path().replace(".jpg", "");
            addVoc(vocItems, voc.resolve("SegmentationClass/" + stem + ".png"), cls, img, stem + ".class");
            addVoc(vocItems, voc.resolve("SegmentationObject/" + stem + ".png"), obj, img, stem + ".object");
        }
        ArrayNode polys = manifest.putArray("polygons");
        addPolygon(polys, shared.resolve("2011_000003.json"), 0, "2011_000003 person (41 points)");
        addPolygon(polys, shared.resolve("2011_000025.json"), 0, "2011_000025 bus (27 points)");
        addPolygon(polys, shared.resolve("2011_000006.json"), 0, "2011_000006 person (self-crossing)");
        Files.writeString(dir.resolve("manifest.json"), JSON.writeValueAsString(manifest));

        JsonNode result = runPython();
        JsonNode v = result.get("voc");
        assertEquals(6, v.get("files").asInt());
        assertTrue(v.get("all_mode_P").asBoolean(), "PIL opens every VOC PNG as a palette image: " + v);
        assertTrue(v.get("palette_ok").asBoolean(), "standard VOC colour map: " + v);
        assertEquals(0, v.get("index_mismatches").asInt(), v.toString());
        assertEquals(7, v.get("max_index").asInt(), "7 instances on 2011_000006 (and 7 labels)");

        StringBuilder report = new StringBuilder(String.format(Locale.ROOT,
                "PIL check: %d VOC PNGs open as mode P, VOC palette ok, %d index mismatches%n", v.get("files").asInt(),
                v.get("index_mismatches").asInt()));
        for (JsonNode poly : result.get("polygons")) {
            for (String mode : List.of("as_drawn", "shifted")) {
                JsonNode m = poly.get(mode);
                report.append(String.format(Locale.ROOT, "  %-36s PIL %-8s: ours %6d px, PIL %6d px, differ %4d (ours only %4d, PIL only %4d),"
                                + " IoU %.4f, farthest differing pixel %.2f px from the outline%n",
                        poly.get("name").asText(), mode, poly.get("java_pixels").asInt(), m.get("pil_pixels").asInt(),
                        m.get("differ").asInt(), m.get("java_only").asInt(), m.get("pil_only").asInt(), m.get("iou").asDouble(),
                        m.get("max_distance_to_outline").asDouble()));
            }
            // Pillow rounds vertices to whole pixels and fills the pixels its edges touch, so it differs from exact
            // centre sampling only along the outline: every differing pixel has its centre within a pixel of an edge.
            JsonNode drawn = poly.get("as_drawn");
            assertTrue(drawn.get("max_distance_to_outline").asDouble() <= 1.0, "differences only on the outline: " + poly);
            assertTrue(drawn.get("iou").asDouble() >= 0.97, poly.toString());
            assertTrue(poly.get("shifted").get("max_distance_to_outline").asDouble() <= 1.5, poly.toString());
        }
        System.out.print(report);
        Path target = Path.of(System.getProperty("studio.project.dir", ".")).resolve("target");
        if (Files.isDirectory(target)) {
            Files.writeString(target.resolve("annot-python-check.txt"), report);
        }
    }

    private void addVoc(ArrayNode items, Path png, byte[] expected, ImageRecord img, String name) throws IOException {
        Path raw = dir.resolve(name + ".u8");
        Files.write(raw, expected);
        ObjectNode it = items.addObject();
        it.put("png", png.toString());
        it.put("expected", raw.toString());
        it.put("width", img.width());
        it.put("height", img.height());
    }

    private void addPolygon(ArrayNode polys, Path labelMeFile, int shape, String name) throws IOException {
        JsonNode root = JSON.readTree(labelMeFile.toFile());
        int w = root.get("imageWidth").asInt();
        int h = root.get("imageHeight").asInt();
        List<double[]> points = new ArrayList<>();
        root.get("shapes").get(shape).get("points").forEach(pt -> points.add(new double[] {pt.get(0).asDouble(), pt.get(1).asDouble()}));
        BinaryMask mask = PolygonRasterizer.rasterize(Polygon.fromPoints(points), w, h);
        Path raw = dir.resolve("poly" + polys.size() + ".u8");
        Files.write(raw, mask.toRowMajor());
        ObjectNode it = polys.addObject();
        it.put("name", name);
        it.put("width", w);
        it.put("height", h);
        it.put("mask", raw.toString());
        ArrayNode pts = it.putArray("points");
        points.forEach(pt -> pts.addArray().add(pt[0]).add(pt[1]));
    }

    private JsonNode runPython() throws Exception {
        Path script = Path.of(System.getProperty("studio.project.dir", ".")).resolve("src/test/python/check_annotate_exports.py");
        Process p = new ProcessBuilder(PYTHON.toString(), script.toString(), dir.toString()).redirectError(dir.resolve("py.err").toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "python check timed out");
        assertEquals(0, p.exitValue(), () -> "python check failed: " + readQuietly(dir.resolve("py.err")));
        return JSON.readTree(out);
    }

    private static String readQuietly(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
