package org.robustsam.studio.annotate.format;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.robustsam.studio.annotate.mask.MaskPolygons;
import org.robustsam.studio.annotate.mask.Polygon;
import org.robustsam.studio.annotate.project.AnnotatedObject;
import org.robustsam.studio.annotate.project.ImageRecord;
import org.robustsam.studio.annotate.project.Label;
import org.robustsam.studio.annotate.project.ProjectSnapshot;

/**
 * Writes YOLO segmentation labels (the Ultralytics format): {@code classes.txt} with one label
 * name per line (line n is class n, from 0), and {@code labels/<image path>.txt} per image with
 * one line per polygon: {@code class x1 y1 x2 y2 ...}, coordinates divided by the image width and
 * height. An image without objects gets an empty file (a background image).
 *
 * <p>YOLO-seg has one polygon per instance: an object in several parts is written as one line per
 * part, so it comes back as several instances. Holes are kept as keyhole cuts.
 */
public final class YoloSegExporter {
    private YoloSegExporter() {}

    public static ExportSummary export(ProjectSnapshot project, Path outDir, double tolerance) throws IOException {
        List<String> warnings = new ArrayList<>();
        StringBuilder classes = new StringBuilder();
        for (Label l : project.labels()) {
            classes.append(l.name()).append('\n');
        }
        ExportPaths.uniqueTargets(project.images(), "txt");
        ExportWriter writer = new ExportWriter(outDir);
        writer.write(outDir.resolve("classes.txt"), classes.toString().getBytes(StandardCharsets.UTF_8));
        int files = 1;
        int objects = 0;
        for (ImageRecord img : project.images()) {
            StringBuilder lines = new StringBuilder();
            for (AnnotatedObject o : img.objects()) {
                List<Polygon> parts = MaskPolygons.fromMask(o.mask().decode(), tolerance);
                if (parts.isEmpty()) {
                    warnings.add(img.path() + ": object " + o.id() + " has an empty mask, not exported");
                    continue;
                }
                if (parts.size() > 1) {
                    warnings.add(img.path() + ": object " + o.id() + " has " + parts.size() + " separate parts, written as "
                            + parts.size() + " YOLO instances");
                }
                int cls = project.labelIndex(o.label());
                for (Polygon p : parts) {
                    lines.append(cls);
                    for (int i = 0; i < p.size(); i++) {
                        lines.append(String.format(Locale.ROOT, " %.6f %.6f", p.x(i) / img.width(), p.y(i) / img.height()));
                    }
                    lines.append('\n');
                }
                objects++;
            }
            Path target = ExportPaths.target(outDir.resolve("labels"), ExportPaths.replaceExtension(img.path(), "txt"));
            writer.write(target, lines.toString().getBytes(StandardCharsets.UTF_8));
            files++;
        }
        writer.finish();
        warnings.addAll(writer.warnings());
        return new ExportSummary(outDir, project.images().size(), objects, files, warnings);
    }
}
