package org.robustsam.studio.annotate.format;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.robustsam.studio.annotate.mask.MaskPolygons;
import org.robustsam.studio.annotate.mask.Polygon;
import org.robustsam.studio.annotate.project.AnnotatedObject;
import org.robustsam.studio.annotate.project.ImageRecord;
import org.robustsam.studio.annotate.project.ProjectPaths;
import org.robustsam.studio.annotate.project.ProjectSnapshot;

/**
 * Writes one LabelMe JSON per image ({@code <out>/<image path>.json}, folders kept) that labelme
 * opens: {@code imagePath} is the image relative to the JSON file, {@code imageData} is null (the
 * image is not embedded), and each object is a polygon shape. An object in several parts becomes
 * several shapes with the same label and a shared {@code group_id}, which is how labelme marks one
 * instance in parts; single-part objects have {@code group_id} null. Holes are kept as keyhole cuts
 * (see {@link org.robustsam.studio.annotate.mask.MaskTracer}).
 */
public final class LabelMeExporter {
    /** The LabelMe file-format version written; labelme 5.x reads it. */
    public static final String LABELME_VERSION = "5.0.1";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private LabelMeExporter() {}

    public static ExportSummary export(ProjectSnapshot project, Path projectFolder, Path outDir, double tolerance) throws IOException {
        List<String> warnings = new ArrayList<>();
        ExportPaths.uniqueTargets(project.images(), "json");
        ExportWriter writer = new ExportWriter(outDir);
        int files = 0;
        int objects = 0;
        for (ImageRecord img : project.images()) {
            Path target = ExportPaths.target(outDir, ExportPaths.replaceExtension(img.path(), "json"));
            Path image = ProjectPaths.resolve(projectFolder.toAbsolutePath().normalize(), img.path());
            ObjectNode root = JSON.createObjectNode();
            root.put("version", LABELME_VERSION);
            root.putObject("flags");
            ArrayNode shapes = root.putArray("shapes");
            int group = 0;
            for (AnnotatedObject o : img.objects()) {
                List<Polygon> parts = MaskPolygons.fromMask(o.mask().decode(), tolerance);
                if (parts.isEmpty()) {
                    warnings.add(img.path() + ": object " + o.id() + " has an empty mask, not exported");
                    continue;
                }
                Integer groupId = parts.size() > 1 ? group++ : null;
                for (Polygon p : parts) {
                    ObjectNode s = shapes.addObject();
                    s.put("label", o.label());
                    ArrayNode points = s.putArray("points");
                    for (int i = 0; i < p.size(); i++) {
                        points.addArray().add(p.x(i)).add(p.y(i));
                    }
                    if (groupId == null) {
                        s.putNull("group_id");
                    } else {
                        s.put("group_id", groupId);
                    }
                    s.put("description", "");
                    s.put("shape_type", "polygon");
                    s.putObject("flags");
                }
                objects++;
            }
            Path parent = target.toAbsolutePath().normalize().getParent();
            root.put("imagePath", parent.relativize(image).toString().replace('\\', '/'));
            root.putNull("imageData");
            root.put("imageHeight", img.height());
            root.put("imageWidth", img.width());
            writer.write(target, JSON.writeValueAsBytes(root));
            files++;
        }
        writer.finish();
        warnings.addAll(writer.warnings());
        return new ExportSummary(outDir, project.images().size(), objects, files, warnings);
    }
}
