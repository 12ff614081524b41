package org.robustsam.studio.degrade.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.robustsam.studio.annotate.NaturalOrder;
import org.robustsam.studio.image.ImageFormats;

/**
 * The images to degrade and their annotations, from one of three inputs:
 * <ul>
 *   <li>a folder of images (no annotations);</li>
 *   <li>a LabelMe folder: images with a {@code .json} each (found by the json's {@code imagePath},
 *       else by the same file stem); images without one are kept and reported as missing;</li>
 *   <li>a COCO json file: images listed in {@code images[].file_name}, relative to the json's
 *       folder (or its {@code images/} subfolder).</li>
 * </ul>
 * Only the top level of a folder is read. Problems that concern one image become warnings; the
 * scan fails only when nothing can be degraded.
 */
public final class SourceDataset {
    /** What kind of input this was. */
    public enum Kind { IMAGES, LABELME, COCO }

    /** How an image's annotation travels with its degraded copies. */
    public enum Annotation {
        /** A plain image folder: there are no annotations. */
        NONE,
        /** A LabelMe json, rewritten beside each copy. */
        LABELME,
        /** Entries in the COCO json, rewritten per output folder. */
        COCO,
        /** A LabelMe/COCO dataset without annotation for this image: degraded anyway, reported. */
        MISSING
    }

    /**
     * One image to degrade.
     *
     * @param file the image file (null when a COCO entry names a file that does not exist)
     * @param name path relative to the dataset root, '/'-separated: the key in manifests and seeds
     * @param outputStem file name stem of its degraded copies, unique in the dataset
     * @param labelme the LabelMe document (LABELME only)
     * @param cocoId the COCO image id (COCO only)
     */
    public record SourceImage(Path file, String name, String outputStem, Annotation annotation, ObjectNode labelme,
                              JsonNode cocoId) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path input;
    private final Kind kind;
    private final List<SourceImage> images;
    private final List<String> warnings;
    private final ObjectNode coco;

    private SourceDataset(Path input, Kind kind, List<SourceImage> images, List<String> warnings, ObjectNode coco) {
        this.input = input;
        this.kind = kind;
        this.images = List.copyOf(images);
        this.warnings = List.copyOf(warnings);
        this.coco = coco;
    }

    public Path input() {
        return input;
    }

    public Kind kind() {
        return kind;
    }

    public List<SourceImage> images() {
        return images;
    }

    /** Problems with single images or annotation files, one sentence each, naming the file. */
    public List<String> warnings() {
        return warnings;
    }

    /** The COCO document (COCO only). */
    public ObjectNode coco() {
        return coco;
    }

    public static SourceDataset scan(Path input) throws DatasetException {
        Path in = input.toAbsolutePath().normalize();
        if (!Files.exists(in)) {
            throw new DatasetException(in, "does not exist");
        }
        if (Files.isRegularFile(in)) {
            if (in.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")) {
                return scanCoco(in);
            }
            throw new DatasetException(in, "is a file; --input takes a folder of images, a LabelMe folder or a COCO .json file");
        }
        return scanFolder(in);
    }

    private static SourceDataset scanFolder(Path folder) throws DatasetException {
        List<Path> imageFiles = new ArrayList<>();
        List<Path> jsonFiles = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder)) {
            for (Path p : stream) {
                if (!Files.isRegularFile(p)) {
                    continue;
                }
                if (ImageFormats.hasImageExtension(p)) {
                    imageFiles.add(p);
                } else if (p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")) {
                    jsonFiles.add(p);
                }
            }
        } catch (AccessDeniedException e) {
            throw new DatasetException(folder, "permission denied: the folder cannot be listed", e);
        } catch (IOException e) {
            throw new DatasetException(folder, "cannot be listed (" + e.getMessage() + ")", e);
        }
        Comparator<Path> natural = Comparator.comparing(p -> p.getFileName().toString(), NaturalOrder.INSTANCE);
        imageFiles.sort(natural);
        jsonFiles.sort(natural);
        if (imageFiles.isEmpty()) {
            throw new DatasetException(folder, "no images (" + String.join(", ", new java.util.TreeSet<>(ImageFormats.EXTENSIONS))
                    + ") in this folder" + (jsonFiles.isEmpty() ? "" : " (" + jsonFiles.size() + " .json files but no images)"));
        }

        List<String> warnings = new ArrayList<>();
        Map<Path, ObjectNode> labelmeByImage = new HashMap<>();
        for (Path json : jsonFiles) {
            JsonNode doc;
            try {
                doc = JSON.readTree(json.toFile());
            } catch (IOException e) {
                warnings.add(json.getFileName() + ": not readable JSON (" + firstLine(e.getMessage()) + "); ignored");
                continue;
            }
            if (!(doc instanceof ObjectNode obj) || !doc.has("shapes")) {
                if (doc.has("images") && doc.has("annotations")) {
                    warnings.add(json.getFileName() + ": a COCO file; ignored in folder mode (pass it as --input to use it)");
                } else {
                    warnings.add(json.getFileName() + ": not a LabelMe file (no \"shapes\"); ignored");
                }
                continue;
            }
            Path image = labelmeImage(folder, json, obj, imageFiles);
            if (image == null) {
                warnings.add(json.getFileName() + ": its image " + (obj.hasNonNull("imagePath") ? "'" + obj.get("imagePath").asText() + "' " : "")
                        + "is not in the folder; ignored");
                continue;
            }
            ObjectNode previous = labelmeByImage.putIfAbsent(image, obj);
            if (previous != null) {
                warnings.add(json.getFileName() + ": a second LabelMe file for " + image.getFileName() + "; ignored");
            }
        }

        boolean labelme = !labelmeByImage.isEmpty();
        Map<String, String> stems = uniqueStems(imageFiles.stream().map(p -> p.getFileName().toString()).toList());
        List<SourceImage> images = new ArrayList<>();
        for (Path image : imageFiles) {
            String name = image.getFileName().toString();
            ObjectNode doc = labelmeByImage.get(image);
            Annotation a = !labelme ? Annotation.NONE : (doc != null ? Annotation.LABELME : Annotation.MISSING);
            if (a == Annotation.MISSING) {
                warnings.add(name + ": no LabelMe annotation (" + stem(name) + ".json); degraded without one, listed as 'missing' in the manifest");
            }
            images.add(new SourceImage(image, name, stems.get(name), a, doc, null));
        }
        return new SourceDataset(folder, labelme ? Kind.LABELME : Kind.IMAGES, images, warnings, null);
    }

    /** The image a LabelMe json describes: its imagePath if that is one of ours, else the same stem. */
    private static Path labelmeImage(Path folder, Path json, ObjectNode doc, List<Path> images) {
        if (doc.hasNonNull("imagePath")) {
            String ref = doc.get("imagePath").asText().replace('\\', '/');
            try {
                Path candidate = folder.resolve(ref).normalize();
                if (images.contains(candidate)) {
                    return candidate;
                }
            } catch (java.nio.file.InvalidPathException ignored) {
                // fall through to the stem
            }
        }
        String stem = stem(json.getFileName().toString());
        for (Path p : images) {
            if (stem(p.getFileName().toString()).equals(stem)) {
                return p;
            }
        }
        return null;
    }

    private static SourceDataset scanCoco(Path json) throws DatasetException {
        JsonNode doc;
        try {
            doc = JSON.readTree(json.toFile());
        } catch (AccessDeniedException e) {
            throw new DatasetException(json, "permission denied", e);
        } catch (IOException e) {
            throw new DatasetException(json, "not readable JSON (" + firstLine(e.getMessage()) + ")", e);
        }
        if (!(doc instanceof ObjectNode root) || !doc.path("images").isArray()) {
            throw new DatasetException(json, "not a COCO file (no \"images\" list)");
        }
        Path folder = json.getParent();
        Map<String, Integer> annotationCount = new HashMap<>();
        for (JsonNode a : doc.path("annotations")) {
            annotationCount.merge(a.path("image_id").asText(), 1, Integer::sum);
        }
        List<String> warnings = new ArrayList<>();
        Map<String, JsonNode> entries = new LinkedHashMap<>();
        for (JsonNode img : doc.get("images")) {
            String fileName = img.path("file_name").asText("");
            if (fileName.isEmpty() || !img.has("id")) {
                warnings.add(json.getFileName() + ": an image entry without file_name or id; ignored");
                continue;
            }
            entries.putIfAbsent(fileName.replace('\\', '/'), img);
        }
        if (entries.isEmpty()) {
            throw new DatasetException(json, "the COCO file lists no images");
        }
        Map<String, String> stems = uniqueStems(new ArrayList<>(entries.keySet()));
        List<SourceImage> images = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : entries.entrySet()) {
            String name = e.getKey();
            JsonNode id = e.getValue().get("id");
            Path file = findCocoImage(folder, name);
            if (file == null) {
                warnings.add(name + ": listed in " + json.getFileName() + " but not found beside it (or in images/); skipped");
            }
            Annotation a = annotationCount.getOrDefault(id.asText(), 0) > 0 ? Annotation.COCO : Annotation.MISSING;
            if (a == Annotation.MISSING && file != null) {
                warnings.add(name + ": no annotations in " + json.getFileName() + "; degraded anyway, listed as 'missing' in the manifest");
            }
            images.add(new SourceImage(file, name, stems.get(name), a, null, id));
        }
        return new SourceDataset(json, Kind.COCO, images, warnings, root);
    }

    private static Path findCocoImage(Path folder, String name) {
        for (Path base : List.of(folder, folder.resolve("images"))) {
            try {
                Path p = base.resolve(name).normalize();
                if (Files.isRegularFile(p)) {
                    return p;
                }
            } catch (java.nio.file.InvalidPathException ignored) {
                return null;
            }
        }
        return null;
    }

    /**
     * Output stems: the file stem, or stem + "_" + extension where two sources share a stem
     * (a.jpg and a.png), with sub-folders flattened by "__".
     */
    static Map<String, String> uniqueStems(List<String> names) {
        Map<String, Integer> count = new HashMap<>();
        for (String n : names) {
            count.merge(flatStem(n), 1, Integer::sum);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String n : names) {
            String s = flatStem(n);
            if (count.get(s) > 1) {
                int dot = n.lastIndexOf('.');
                s = s + "_" + (dot > n.lastIndexOf('/') ? n.substring(dot + 1) : "noext");
            }
            out.put(n, s);
        }
        return out;
    }

    private static String flatStem(String name) {
        return stem(name).replace("/", "__");
    }

    static String stem(String name) {
        int dot = name.lastIndexOf('.');
        return dot > name.lastIndexOf('/') && dot > 0 ? name.substring(0, dot) : name;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
