package org.robustsam.studio.annotate.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.robustsam.studio.annotate.NaturalOrder;
import org.robustsam.studio.annotate.mask.BinaryMask;
import org.robustsam.studio.annotate.mask.CocoRle;
import org.robustsam.studio.annotate.mask.MaskFormatException;
import org.robustsam.studio.annotate.mask.Polygon;
import org.robustsam.studio.annotate.mask.PolygonRasterizer;
import org.robustsam.studio.annotate.project.ProjectFile;
import org.robustsam.studio.image.ImageHeader;
import org.robustsam.studio.image.ImageLoadException;
import org.robustsam.studio.image.ImageLoader;

/**
 * Reads LabelMe JSON files (one per image). Shapes become instances the way labelme's own
 * converters group them: shapes with the same label and the same {@code group_id} are one
 * instance (their union); a shape without a group is an instance of its own.
 *
 * <p>Shape types: {@code polygon} (at least 3 points; self-crossing ones are filled even-odd and
 * reported as a warning), {@code rectangle} (2 corners) and {@code circle} (centre and a point on
 * the rim) are read; {@code point}, {@code line}, {@code linestrip}, {@code points} and {@code mask}
 * have no area (or are not supported yet) and are skipped with a warning. Every mask is
 * rasterised with {@link PolygonRasterizer}'s pixel-centre rule.
 */
public final class LabelMeImporter {
    private LabelMeImporter() {}

    /** {@code input}: one LabelMe JSON file, or a folder searched recursively for them. */
    public static ImportBatch read(Path input, Path projectFolder) throws ImportException {
        List<Path> files = new ArrayList<>();
        boolean single = Files.isRegularFile(input);
        if (single) {
            files.add(input);
        } else if (Files.isDirectory(input)) {
            try (Stream<Path> walk = Files.walk(input)) {
                walk.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().toLowerCase().endsWith(".json")
                                && !p.getFileName().toString().startsWith(ProjectFile.FILE_NAME))
                        .sorted((a, b) -> NaturalOrder.INSTANCE.compare(input.relativize(a).toString(), input.relativize(b).toString()))
                        .forEach(files::add);
            } catch (IOException e) {
                throw new ImportException(input, "cannot list the folder (" + e.getMessage() + ")", e);
            }
        } else {
            throw new ImportException(input, "no such file or folder");
        }
        ImageLocator locator = new ImageLocator(projectFolder);
        ImageLoader loader = new ImageLoader();
        Set<String> labels = new LinkedHashSet<>();
        List<ImportedImage> images = new ArrayList<>();
        Map<String, Path> seen = new HashMap<>();
        List<String> warnings = new ArrayList<>();
        for (Path f : files) {
            JsonInput in = new JsonInput(f);
            JsonNode root = in.readTree();
            if (!root.has("shapes") && !single) {
                warnings.add(f + ": not a LabelMe file (no \"shapes\"), skipped");
                continue;
            }
            ImportedImage img = readFile(in, root, f.toAbsolutePath().getParent(), locator, loader, labels, warnings);
            Path other = seen.put(img.path(), f);
            if (other != null) {
                throw new ImportException(f, "annotates image " + img.path() + ", which " + other + " annotates too");
            }
            images.add(img);
        }
        if (images.isEmpty()) {
            throw new ImportException(input, "no LabelMe JSON files found");
        }
        return new ImportBatch(new ArrayList<>(labels), images, warnings);
    }

    private static ImportedImage readFile(JsonInput in, JsonNode root, Path folder, ImageLocator locator, ImageLoader loader,
                                          Set<String> labels, List<String> warnings) throws ImportException {
        Path f = in.file();
        int[] size = in.imageSize(root, "imageWidth", "imageHeight", "top level");
        int width = size[0];
        int height = size[1];
        String path = locator.locate(f, folder, in.text(root, "imagePath", "top level"), "imagePath");
        checkImageSize(f, locator, folder, root, width, height, loader, warnings);

        // Instances keyed by label + group, in order of first appearance.
        Map<String, BinaryMask> instances = new LinkedHashMap<>();
        Map<String, String> instanceLabel = new HashMap<>();
        JsonNode shapes = in.array(root, "shapes", "top level");
        for (int i = 0; i < shapes.size(); i++) {
            JsonNode s = shapes.get(i);
            String where = "shapes[" + i + "]";
            if (!s.isObject()) {
                throw in.error(where, "expected an object, found " + JsonInput.kind(s));
            }
            String label = in.labelName(s, "label", where);
            where += " ('" + label + "')";
            String type = s.hasNonNull("shape_type") ? in.text(s, "shape_type", where) : "polygon";
            List<double[]> points = points(in, s, where);
            BinaryMask mask;
            try {
                mask = switch (type) {
                    case "polygon" -> polygon(f, where, points, width, height, warnings);
                    case "rectangle" -> rectangle(in, where, points, width, height);
                    case "circle" -> circle(in, where, points, width, height);
                    default -> null;
                };
            } catch (MaskFormatException e) {
                throw in.error(where, e.getMessage());
            }
            if (mask == null) {
                warnings.add(f + ": " + where + ": shape type '" + type + "' has no area to import, skipped");
                continue;
            }
            JsonNode group = s.get("group_id");
            String key = group == null || group.isNull() ? "shape " + i : label + "\u0000" + group.asText();
            instances.computeIfAbsent(key, k -> new BinaryMask(width, height)).or(mask);
            instanceLabel.put(key, label);
        }
        List<ImportedObject> objects = new ArrayList<>();
        for (Map.Entry<String, BinaryMask> e : instances.entrySet()) {
            String label = instanceLabel.get(e.getKey());
            if (e.getValue().isEmpty()) {
                warnings.add(f + ": a '" + label + "' shape covers no pixel centre, skipped");
                continue;
            }
            labels.add(label);
            objects.add(new ImportedObject(label, CocoRle.encode(e.getValue())));
        }
        return new ImportedImage(path, width, height, objects);
    }

    private static List<double[]> points(JsonInput in, JsonNode shape, String where) throws ImportException {
        JsonNode pts = in.array(shape, "points", where);
        List<double[]> out = new ArrayList<>();
        for (int k = 0; k < pts.size(); k++) {
            JsonNode p = pts.get(k);
            if (!p.isArray() || p.size() != 2) {
                throw in.error(where, "point " + k + " must be [x, y], found " + p);
            }
            out.add(new double[] {in.number(p.get(0), where + " point " + k), in.number(p.get(1), where + " point " + k)});
        }
        return out;
    }

    private static BinaryMask polygon(Path f, String where, List<double[]> points, int w, int h, List<String> warnings) {
        Polygon poly = Polygon.fromPoints(points);
        poly.findSelfIntersection().ifPresent(x -> warnings.add(f + ": " + where + ": polygon crosses itself (" + x
                + "); filled with the even-odd rule"));
        return PolygonRasterizer.rasterize(poly, w, h);
    }

    private static BinaryMask rectangle(JsonInput in, String where, List<double[]> p, int w, int h) throws ImportException {
        if (p.size() != 2) {
            throw in.error(where, "a rectangle needs 2 corner points, got " + p.size());
        }
        double x0 = Math.min(p.get(0)[0], p.get(1)[0]);
        double x1 = Math.max(p.get(0)[0], p.get(1)[0]);
        double y0 = Math.min(p.get(0)[1], p.get(1)[1]);
        double y1 = Math.max(p.get(0)[1], p.get(1)[1]);
        return PolygonRasterizer.rasterize(Polygon.of(new double[] {x0, x1, x1, x0}, new double[] {y0, y0, y1, y1}), w, h);
    }

    /** Disc by the same pixel-centre rule: a pixel is inside when its centre is within the radius. */
    private static BinaryMask circle(JsonInput in, String where, List<double[]> p, int w, int h) throws ImportException {
        if (p.size() != 2) {
            throw in.error(where, "a circle needs its centre and a point on its rim, got " + p.size() + " points");
        }
        double cx = p.get(0)[0];
        double cy = p.get(0)[1];
        double r = Math.hypot(p.get(1)[0] - cx, p.get(1)[1] - cy);
        BinaryMask m = new BinaryMask(w, h);
        for (int y = Math.max(0, (int) Math.floor(cy - r)); y <= Math.min(h - 1, (int) Math.ceil(cy + r)); y++) {
            for (int x = Math.max(0, (int) Math.floor(cx - r)); x <= Math.min(w - 1, (int) Math.ceil(cx + r)); x++) {
                if (Math.hypot(x + 0.5 - cx, y + 0.5 - cy) < r) {
                    m.set(x, y, true);
                }
            }
        }
        return m;
    }

    /** The file's stated size should be the photo's (either way round: EXIF rotation swaps them). */
    private static void checkImageSize(Path f, ImageLocator locator, Path folder, JsonNode root, int width, int height,
                                       ImageLoader loader, List<String> warnings) {
        // Located again only to get the file; locate() already proved it exists inside the project.
        try {
            Path image = locator.file(f, folder, root.get("imagePath").asText());
            ImageHeader header = loader.readHeader(image);
            boolean same = header.width() == width && header.height() == height;
            boolean swapped = header.width() == height && header.height() == width;
            if (!same && !swapped) {
                warnings.add(f + ": says the image is " + width + "x" + height + " but " + image.getFileName() + " is "
                        + header.width() + "x" + header.height() + "; shapes are placed on the stated size");
            }
        } catch (ImageLoadException | ImportException e) {
            warnings.add(f + ": cannot check the image size (" + e.getMessage() + ")");
        }
    }
}
