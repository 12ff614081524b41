package org.robustsam.studio.annotate.format;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.robustsam.studio.annotate.mask.BinaryMask;
import org.robustsam.studio.annotate.mask.CocoRle;
import org.robustsam.studio.annotate.mask.MaskPolygons;
import org.robustsam.studio.annotate.mask.PixelBox;
import org.robustsam.studio.annotate.mask.Polygon;
import org.robustsam.studio.annotate.project.AnnotatedObject;
import org.robustsam.studio.annotate.project.ImageRecord;
import org.robustsam.studio.annotate.project.Label;
import org.robustsam.studio.annotate.project.ProjectSnapshot;

/**
 * Writes a COCO instances file that pycocotools, detectron2 and mmdetection read: images (id from
 * 1 in project order, {@code file_name} = project path, size), categories (id from 1 in label
 * order) and one annotation per object with {@code iscrowd = 0}, {@code area} = mask pixel count
 * and {@code bbox} = the tight pixel box {@code [x, y, w, h]}.
 *
 * <p>The segmentation is written as polygons (one per part along pixel edges, holes joined by a
 * zero-width keyhole cut, see {@link MaskPolygons}; exact at tolerance 0), as compressed RLE
 * (pycocotools' counts string: exact, compact) or as uncompressed RLE (counts as numbers: exact,
 * for tools that only read that form).
 */
public final class CocoExporter {
    public enum Segmentation { POLYGON, RLE, RLE_UNCOMPRESSED }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private CocoExporter() {}

    public static ExportSummary export(ProjectSnapshot project, Path outFile, Segmentation segmentation, double tolerance)
            throws IOException {
        List<String> warnings = new ArrayList<>();
        ObjectNode root = JSON.createObjectNode();
        ObjectNode info = root.putObject("info");
        info.put("description", "Exported by RobustSAM Studio");
        info.put("date_created", LocalDate.now().toString());
        root.putArray("licenses");

        ArrayNode images = root.putArray("images");
        ArrayNode annotations = root.putArray("annotations");
        ArrayNode categories = root.putArray("categories");
        List<Label> labels = project.labels();
        for (int i = 0; i < labels.size(); i++) {
            ObjectNode c = categories.addObject();
            c.put("id", i + 1);
            c.put("name", labels.get(i).name());
            c.put("supercategory", "object");
        }
        int imageId = 0;
        int annotationId = 0;
        for (ImageRecord img : project.images()) {
            imageId++;
            ObjectNode im = images.addObject();
            im.put("id", imageId);
            im.put("file_name", img.path());
            im.put("width", img.width());
            im.put("height", img.height());
            for (AnnotatedObject o : img.objects()) {
                BinaryMask mask = o.mask().decode();
                PixelBox box = mask.bbox();
                if (box == null) {
                    warnings.add(img.path() + ": object " + o.id() + " has an empty mask, not exported");
                    continue;
                }
                ObjectNode a = annotations.addObject();
                a.put("id", ++annotationId);
                a.put("image_id", imageId);
                a.put("category_id", project.labelIndex(o.label()) + 1);
                writeSegmentation(a, mask, o.mask(), segmentation, tolerance);
                a.put("area", mask.area());
                ArrayNode bbox = a.putArray("bbox");
                bbox.add(box.x()).add(box.y()).add(box.width()).add(box.height());
                a.put("iscrowd", 0);
            }
        }
        ExportWriter writer = new ExportWriter(outFile.toAbsolutePath().getParent());
        writer.write(outFile, JSON.writeValueAsBytes(root));
        writer.finish();
        warnings.addAll(writer.warnings());
        return new ExportSummary(outFile, imageId, annotationId, 1, warnings);
    }

    private static void writeSegmentation(ObjectNode a, BinaryMask mask, CocoRle rle, Segmentation kind, double tolerance) {
        switch (kind) {
            case POLYGON -> {
                ArrayNode seg = a.putArray("segmentation");
                for (Polygon p : MaskPolygons.fromMask(mask, tolerance)) {
                    ArrayNode flat = seg.addArray();
                    for (double v : p.toFlat()) {
                        // Traced vertices are pixel corners: whole numbers read better (and smaller) without ".0".
                        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
                            flat.add((long) v);
                        } else {
                            flat.add(v);
                        }
                    }
                }
            }
            case RLE, RLE_UNCOMPRESSED -> {
                ObjectNode seg = a.putObject("segmentation");
                seg.putArray("size").add(rle.height()).add(rle.width());
                if (kind == Segmentation.RLE) {
                    seg.put("counts", rle.toCompressedString());
                } else {
                    ArrayNode counts = seg.putArray("counts");
                    for (int c : rle.counts()) {
                        counts.add(c);
                    }
                }
            }
        }
    }
}
