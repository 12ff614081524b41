package org.robustsam.studio.annotate.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.robustsam.studio.annotate.mask.BinaryMask;
import org.robustsam.studio.annotate.mask.MaskPolygons;
import org.robustsam.studio.annotate.mask.Polygon;
import org.robustsam.studio.annotate.mask.PolygonRasterizer;
import org.robustsam.studio.annotate.project.AnnotatedObject;
import org.robustsam.studio.annotate.project.ImageRecord;
import org.robustsam.studio.annotate.project.Project;
import org.robustsam.studio.annotate.project.ProjectSnapshot;
import org.robustsam.studio.testutil.SharedData;

/**
 * The acceptance round trip on the shared LabelMe photos: import the polygons (rasterised by pixel
 * centres, even-odd), export COCO (RLE and polygons), VOC and LabelMe, import each back, and compare
 * every instance's mask with the original: IoU >= 0.99 per instance. The minimum IoU per format is
 * printed and written to target/annot-roundtrip.txt.
 */
class AnnotRoundTripTest {
    @TempDir
    Path dir;

    /** IoU figures of one format. */
    private static final class Stats {
        double min = 1;
        double sum;
        int n;
        String worst = "";

        void add(String what, double iou) {
            sum += iou;
            n++;
            if (iou < min) {
                min = iou;
                worst = what;
            }
        }

        String line(String format) {
            return String.format(Locale.ROOT, "%-34s instances %2d  min IoU %.4f  mean IoU %.4f  worst: %s",
                    format, n, min, sum / n, min < 1 ? worst : "-");
        }
    }

    @Test
    void sharedLabelMePolygonsSurviveCocoVocAndLabelMe() throws IOException {
        Path shared = SharedData.labelmeFolder();
        Path project = dir.resolve("project");
        Files.createDirectories(project);
        for (String name : List.of("2011_000003.jpg", "2011_000006.jpg", "2011_000025.jpg")) {
            Files.copy(shared.resolve(name), project.resolve(name)); // into the temp project, never into the repository
        }
        Project original = Project.create(project);
        ImportSummary imported = LabelMeImporter.read(shared, project).applyTo(original);
        assertEquals(3, imported.images());
        assertEquals(14, imported.objects(), "4 + 7 + 3 instances after grouping shapes by label and group_id");
        assertEquals(List.of("person", "bottle", "__ignore__", "chair", "sofa", "bus", "car"),
                original.labels().stream().map(l -> l.name()).toList());
        ProjectSnapshot before = original.snapshot();

        Map<String, Stats> results = new LinkedHashMap<>();
        Path coco = dir.resolve("coco-rle").resolve("annotations.json");
        CocoExporter.export(before, coco, CocoExporter.Segmentation.RLE, 0);
        results.put("COCO RLE", compare(before, reimport(CocoImporter.read(coco, project), project), false));

        Path cocoList = dir.resolve("coco-rle-list").resolve("annotations.json");
        CocoExporter.export(before, cocoList, CocoExporter.Segmentation.RLE_UNCOMPRESSED, 0);
        results.put("COCO RLE (uncompressed)", compare(before, reimport(CocoImporter.read(cocoList, project), project), false));

        Path cocoPoly = dir.resolve("coco-poly").resolve("annotations.json");
        CocoExporter.export(before, cocoPoly, CocoExporter.Segmentation.POLYGON, MaskPolygons.DEFAULT_TOLERANCE);
        results.put("COCO polygons (tolerance 0.5 px)", compare(before, reimport(CocoImporter.read(cocoPoly, project), project), false));

        Path cocoExact = dir.resolve("coco-poly-exact").resolve("annotations.json");
        CocoExporter.export(before, cocoExact, CocoExporter.Segmentation.POLYGON, 0);
        results.put("COCO polygons (tolerance 0)", compare(before, reimport(CocoImporter.read(cocoExact, project), project), false));

        Path voc = dir.resolve("voc");
        ExportSummary vocSummary = VocExporter.export(before, voc);
        ProjectSnapshot vocBack = reimport(VocImporter.read(voc, project), project);
        results.put("VOC vs visible part", compare(before, vocBack, true));
        Stats vocRaw = compare(before, vocBack, false);

        Path labelme = dir.resolve("labelme");
        LabelMeExporter.export(before, project, labelme, MaskPolygons.DEFAULT_TOLERANCE);
        results.put("LabelMe (tolerance 0.5 px)", compare(before, reimport(LabelMeImporter.read(labelme, project), project), false));

        Path labelmeExact = dir.resolve("labelme-exact");
        LabelMeExporter.export(before, project, labelmeExact, 0);
        results.put("LabelMe (tolerance 0)", compare(before, reimport(LabelMeImporter.read(labelmeExact, project), project), false));

        StringBuilder report = new StringBuilder("Round trip of ../shared/data/labelme (3 photos, 14 instances)\n");
        results.forEach((k, v) -> report.append(v.line(k)).append('\n'));
        report.append(toleranceSweep(before));
        report.append(vocRaw.line("VOC vs whole original (info)")).append('\n');
        report.append("VOC overlap warnings: ").append(vocSummary.warnings().size()).append('\n');
        System.out.print(report);
        Path target = Path.of(System.getProperty("studio.project.dir", ".")).resolve("target");
        if (Files.isDirectory(target)) {
            Files.writeString(target.resolve("annot-roundtrip.txt"), report);
        }
        results.forEach((format, s) -> assertTrue(s.min >= 0.99, format + ": " + s.line(format)));
        assertEquals(1.0, results.get("COCO RLE").min, 0, "RLE is lossless");
        assertEquals(1.0, results.get("VOC vs visible part").min, 0, "VOC keeps every visible pixel");
    }

    /** How simplification trades vertices for accuracy on these masks (information for choosing the default). */
    private static String toleranceSweep(ProjectSnapshot project) {
        StringBuilder s = new StringBuilder("Polygon tolerance sweep (outline -> refill, all 14 instances):\n");
        for (double tol : new double[] {0, 0.5, 1, 1.5, 2, 3}) {
            Stats st = new Stats();
            int vertices = 0;
            for (ImageRecord img : project.images()) {
                for (AnnotatedObject o : img.objects()) {
                    BinaryMask m = o.mask().decode();
                    List<Polygon> polys = MaskPolygons.fromMask(m, tol);
                    vertices += polys.stream().mapToInt(Polygon::size).sum();
                    st.add(img.path() + " " + o.label(), m.iou(PolygonRasterizer.rasterizeUnion(polys, m.width(), m.height())));
                }
            }
            s.append(String.format(Locale.ROOT, "  tolerance %.1f px: %5d vertices, min IoU %.4f, mean IoU %.4f%n", tol, vertices, st.min, st.sum / st.n));
        }
        return s.toString();
    }

    private static ProjectSnapshot reimport(ImportBatch batch, Path folder) {
        Project p = Project.create(folder);
        batch.applyTo(p);
        return p.snapshot();
    }

    /**
     * IoU of each original instance with the re-imported one at the same place (same image, same
     * order, same label). With {@code visibleOnly} the original is first cut by the instances drawn
     * after it, which is all a one-instance-per-pixel format (VOC) can hold.
     */
    private static Stats compare(ProjectSnapshot original, ProjectSnapshot back, boolean visibleOnly) {
        Stats s = new Stats();
        for (ImageRecord img : original.images()) {
            ImageRecord other = back.images().stream().filter(i -> i.path().equals(img.path())).findFirst()
                    .orElseThrow(() -> new AssertionError(img.path() + " was lost"));
            List<AnnotatedObject> a = img.objects();
            List<AnnotatedObject> b = other.objects();
            assertEquals(a.stream().map(AnnotatedObject::label).toList(), b.stream().map(AnnotatedObject::label).toList(), img.path());
            List<BinaryMask> masks = new ArrayList<>();
            a.forEach(o -> masks.add(o.mask().decode()));
            for (int k = 0; k < a.size(); k++) {
                BinaryMask expected = masks.get(k).copy();
                if (visibleOnly) {
                    for (int j = k + 1; j < a.size(); j++) {
                        expected.andNot(masks.get(j));
                    }
                }
                s.add(img.path() + " #" + k + " " + a.get(k).label(), expected.iou(b.get(k).mask().decode()));
            }
        }
        return s;
    }
}
