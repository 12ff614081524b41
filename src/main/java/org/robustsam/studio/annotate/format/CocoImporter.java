package org.robustsam.studio.annotate.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.robustsam.studio.annotate.mask.CocoRle;
import org.robustsam.studio.annotate.mask.MaskFormatException;
import org.robustsam.studio.annotate.mask.Polygon;
import org.robustsam.studio.annotate.mask.PolygonRasterizer;

/**
 * Reads a COCO instances file: {@code images}, {@code categories} and {@code annotations} whose
 * {@code segmentation} is a list of polygons (their union), an uncompressed RLE
 * ({@code counts} as numbers) or a compressed RLE ({@code counts} as pycocotools' string). Images
 * are found by {@code file_name} beside the COCO file or in the project folder. Annotations with no
 * segmentation (boxes only) are skipped with a warning; {@code iscrowd} regions are imported as
 * objects like the rest.
 */
public final class CocoImporter {
    private CocoImporter() {}

    private record Category(String name) {}

    public static ImportBatch read(Path cocoFile, Path projectFolder) throws ImportException {
        JsonInput in = new JsonInput(cocoFile);
        JsonNode root = in.readTree();
        ImageLocator locator = new ImageLocator(projectFolder);
        Path base = cocoFile.toAbsolutePath().getParent();
        List<String> warnings = new ArrayList<>();

        Map<Long, Category> categories = new LinkedHashMap<>();
        JsonNode cats = in.array(root, "categories", "top level");
        for (int i = 0; i < cats.size(); i++) {
            String where = "categories[" + i + "]";
            long id = in.integer(cats.get(i), "id", where);
            String name = in.labelName(cats.get(i), "name", where);
            if (categories.values().stream().anyMatch(c -> c.name().equals(name))) {
                throw in.error(where, "category name '" + name + "' is used twice");
            }
            if (categories.put(id, new Category(name)) != null) {
                throw in.error(where, "category id " + id + " is used twice");
            }
        }

        Map<Long, ImageSlot> images = new LinkedHashMap<>();
        Map<String, Long> byPath = new HashMap<>();
        JsonNode imgs = in.array(root, "images", "top level");
        for (int i = 0; i < imgs.size(); i++) {
            JsonNode img = imgs.get(i);
            String where = "images[" + i + "]";
            long id = in.integer(img, "id", where);
            String fileName = in.text(img, "file_name", where);
            where += " ('" + fileName + "')";
            int[] size = in.imageSize(img, "width", "height", where);
            int width = size[0];
            int height = size[1];
            String path = locator.locate(cocoFile, base, fileName, where);
            if (images.containsKey(id)) {
                throw in.error(where, "image id " + id + " is used twice");
            }
            Long other = byPath.put(path, id);
            if (other != null) {
                throw in.error(where, "image " + path + " is listed twice (ids " + other + " and " + id + ")");
            }
            images.put(id, new ImageSlot(path, width, height, new ArrayList<>()));
        }

        JsonNode anns = in.array(root, "annotations", "top level");
        for (int i = 0; i < anns.size(); i++) {
            JsonNode a = anns.get(i);
            String where = "annotations[" + i + "]" + (a.has("id") ? " (id " + a.get("id").asText() + ")" : "");
            long imageId = in.integer(a, "image_id", where);
            long categoryId = in.integer(a, "category_id", where);
            ImageSlot img = images.get(imageId);
            if (img == null) {
                throw in.error(where, "image_id " + imageId + " is not in \"images\"");
            }
            Category cat = categories.get(categoryId);
            if (cat == null) {
                throw in.error(where, "category_id " + categoryId + " is not in \"categories\"");
            }
            JsonNode seg = a.get("segmentation");
            if (seg == null || seg.isNull() || (seg.isArray() && seg.isEmpty())) {
                warnings.add(cocoFile + ": " + where + ": no segmentation (a box only), skipped");
                continue;
            }
            CocoRle mask;
            try {
                mask = segmentation(in, seg, img, where);
            } catch (MaskFormatException e) {
                throw in.error(where, e.getMessage());
            }
            if (mask.area() == 0) {
                warnings.add(cocoFile + ": " + where + ": segmentation covers no pixel, skipped");
                continue;
            }
            img.objects().add(new ImportedObject(cat.name(), mask));
        }

        List<ImportedImage> out = new ArrayList<>();
        for (ImageSlot s : images.values()) {
            out.add(new ImportedImage(s.path(), s.width(), s.height(), s.objects()));
        }
        List<String> labels = categories.values().stream().map(Category::name).toList();
        return new ImportBatch(labels, out, warnings);
    }

    private record ImageSlot(String path, int width, int height, List<ImportedObject> objects) {}

    private static CocoRle segmentation(JsonInput in, JsonNode seg, ImageSlot img, String where) throws ImportException {
        if (seg.isArray()) {
            List<Polygon> polygons = new ArrayList<>();
            for (int k = 0; k < seg.size(); k++) {
                JsonNode flat = seg.get(k);
                if (!flat.isArray()) {
                    throw in.error(where, "segmentation polygon " + k + " must be a list of numbers, found " + JsonInput.kind(flat));
                }
                if (flat.size() < 6) {
                    throw in.error(where, "segmentation polygon " + k + " has " + flat.size() / 2
                            + " points (" + flat.size() + " numbers); a polygon needs at least 3");
                }
                double[] xy = new double[flat.size()];
                for (int j = 0; j < xy.length; j++) {
                    xy[j] = in.number(flat.get(j), where + " polygon " + k);
                }
                polygons.add(Polygon.fromFlat(xy));
            }
            return CocoRle.encode(PolygonRasterizer.rasterizeUnion(polygons, img.width(), img.height()));
        }
        if (!seg.isObject()) {
            throw in.error(where, "segmentation must be a list of polygons or an RLE object, found " + JsonInput.kind(seg));
        }
        JsonNode size = in.array(seg, "size", where + " segmentation");
        if (size.size() != 2 || !size.get(0).canConvertToInt() || !size.get(1).canConvertToInt()) {
            throw in.error(where, "RLE size must be [height, width], found " + size);
        }
        int h = size.get(0).asInt();
        int w = size.get(1).asInt();
        if (h < 0 || w < 0) {
            throw in.error(where, "RLE size must not be negative, found " + size);
        }
        if (h != img.height() || w != img.width()) {
            throw in.error(where, "RLE size [" + h + ", " + w + "] does not match the image's " + img.height() + "x" + img.width()
                    + " (height x width)");
        }
        JsonNode counts = in.field(seg, "counts", where + " segmentation");
        if (counts.isTextual()) {
            return CocoRle.fromCompressedString(h, w, counts.asText());
        }
        if (!counts.isArray()) {
            throw in.error(where, "RLE counts must be text or a list of numbers, found " + JsonInput.kind(counts));
        }
        int[] c = new int[counts.size()];
        for (int k = 0; k < c.length; k++) {
            JsonNode v = counts.get(k);
            if (!v.canConvertToInt() || !v.isIntegralNumber()) {
                throw in.error(where, "RLE count " + k + " must be a whole number, found " + v);
            }
            c[k] = v.asInt();
        }
        return CocoRle.of(h, w, c);
    }
}
