package org.robustsam.studio.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.robustsam.studio.annotate.NaturalOrder;
import org.robustsam.studio.annotate.format.CocoImporter;
import org.robustsam.studio.annotate.format.ImportBatch;
import org.robustsam.studio.annotate.format.ImportException;
import org.robustsam.studio.annotate.format.ImportedImage;
import org.robustsam.studio.annotate.format.ImportedObject;
import org.robustsam.studio.annotate.format.LabelMeImporter;
import org.robustsam.studio.annotate.project.ProjectFile;
import org.robustsam.studio.image.ImageFormats;

/**
 * Images with ground-truth instances to evaluate on, read with the project's own importers (so
 * masks are rasterised exactly as imported annotations are):
 * <ul>
 *   <li>a LabelMe folder (searched recursively): each {@code .json} with {@code shapes} annotates
 *       the image its {@code imagePath} names; a file that cannot be read is reported and its image
 *       skipped, the rest is used;</li>
 *   <li>a COCO instances file: images by {@code file_name} beside it; the file is read as a whole.</li>
 * </ul>
 * Images without annotations, objects with empty masks and labelme's {@code __ignore__} regions are
 * left out and reported as {@link EvalIssue}s, never silently.
 */
public final class EvalDataset {
    /** labelme's label for regions no one should be scored on. */
    public static final String IGNORE_LABEL = "__ignore__";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path source;
    private final List<EvalImage> images;
    private final List<EvalIssue> issues;

    public EvalDataset(Path source, List<EvalImage> images, List<EvalIssue> issues) {
        this.source = source;
        this.images = List.copyOf(images);
        this.issues = List.copyOf(issues);
    }

    /** The folder or COCO file it was read from. */
    public Path source() {
        return source;
    }

    /** Images with at least one object to evaluate, in natural name order (COCO: file order). */
    public List<EvalImage> images() {
        return images;
    }

    /** What was left out while reading, and why. */
    public List<EvalIssue> issues() {
        return issues;
    }

    public int objectCount() {
        return images.stream().mapToInt(i -> i.objects().size()).sum();
    }

    /** Reads a LabelMe folder, a single LabelMe json, or a COCO json. */
    public static EvalDataset load(Path input) throws EvalException {
        Path in = input.toAbsolutePath().normalize();
        if (Files.isDirectory(in)) {
            return loadLabelMeFolder(in);
        }
        if (!Files.isRegularFile(in)) {
            throw new EvalException(in + ": no such file or folder");
        }
        if (!in.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")) {
            throw new EvalException(in + ": expected a LabelMe folder or a COCO .json file");
        }
        JsonNode root = readJson(in);
        if (root != null && root.has("shapes")) {
            List<EvalIssue> issues = new ArrayList<>();
            List<EvalImage> images = new ArrayList<>();
            readLabelMe(in, in.getParent(), images, issues);
            if (images.isEmpty()) {
                throw new EvalException(in + ": nothing to evaluate (" + describe(issues) + ")");
            }
            return new EvalDataset(in, images, issues);
        }
        return loadCoco(in);
    }

    /**
     * The objects of an annotation project ({@code project.json}): every image with at least one
     * non-empty mask; images without objects and empty masks are reported. The images are the
     * project folder's files named in it.
     */
    public static EvalDataset loadProject(Path projectJson) throws EvalException {
        Path file = projectJson.toAbsolutePath().normalize();
        Path folder = file.getParent();
        org.robustsam.studio.annotate.project.Project project;
        try {
            project = ProjectFile.read(file, folder);
        } catch (java.io.IOException e) {
            throw new EvalException(e.getMessage(), e);
        }
        List<EvalIssue> issues = new ArrayList<>();
        List<EvalImage> images = new ArrayList<>();
        for (org.robustsam.studio.annotate.project.ImageRecord r : project.images()) {
            List<GroundTruthObject> objects = GroundTruthSources.fromProject(r.objects());
            if (objects.size() < r.objects().size()) {
                issues.add(new EvalIssue(EvalIssue.Kind.EMPTY_MASK, r.path(), (r.objects().size() - objects.size())
                        + " object(s) with an empty mask; skipped"));
            }
            if (objects.isEmpty()) {
                issues.add(new EvalIssue(EvalIssue.Kind.NO_ANNOTATIONS, r.path(), "no objects in " + file.getFileName() + "; skipped"));
                continue;
            }
            images.add(new EvalImage(r.path(), folder.resolve(r.path()), r.width(), r.height(), objects));
        }
        if (images.isEmpty()) {
            throw new EvalException(file + ": nothing to evaluate: no image has objects"
                    + (issues.isEmpty() ? "" : " (" + describe(issues) + ")"));
        }
        images.sort(Comparator.comparing(EvalImage::name, NaturalOrder.INSTANCE));
        return new EvalDataset(file, images, issues);
    }

    private static EvalDataset loadCoco(Path json) throws EvalException {
        ImportBatch batch;
        try {
            batch = CocoImporter.read(json, json.getParent());
        } catch (ImportException e) {
            throw new EvalException(e.getMessage(), e);
        }
        List<EvalIssue> issues = new ArrayList<>();
        warnings(json.getFileName().toString(), json, batch.warnings(), issues);
        List<EvalImage> images = new ArrayList<>();
        for (ImportedImage img : batch.images()) {
            toEvalImage(img, json.getParent(), json.getFileName().toString(), images, issues);
        }
        if (images.isEmpty()) {
            throw new EvalException(json + ": nothing to evaluate (" + describe(issues) + ")");
        }
        return new EvalDataset(json, images, issues);
    }

    private static EvalDataset loadLabelMeFolder(Path folder) throws EvalException {
        List<Path> jsons = new ArrayList<>();
        List<Path> imageFiles = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(folder)) {
            walk.filter(Files::isRegularFile).forEach(p -> {
                String n = p.getFileName().toString();
                if (n.toLowerCase(Locale.ROOT).endsWith(".json") && !n.startsWith(ProjectFile.FILE_NAME)) {
                    jsons.add(p);
                } else if (ImageFormats.hasImageExtension(p)) {
                    imageFiles.add(p);
                }
            });
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new EvalException(folder + ": cannot list the folder (" + e.getMessage() + ")", e);
        }
        Comparator<Path> natural = Comparator.comparing(p -> relative(folder, p), NaturalOrder.INSTANCE);
        jsons.sort(natural);
        imageFiles.sort(natural);
        List<EvalIssue> issues = new ArrayList<>();
        List<EvalImage> images = new ArrayList<>();
        Set<String> annotated = new LinkedHashSet<>();
        for (Path json : jsons) {
            JsonNode root = readJson(json);
            String name = relative(folder, json);
            if (root == null) {
                issues.add(new EvalIssue(EvalIssue.Kind.BAD_ANNOTATION, name, "not readable JSON; skipped"));
                markReported(folder, name, imageFiles, annotated);
                continue;
            }
            if (!root.has("shapes")) {
                String what = root.has("images") && root.has("annotations")
                        ? "a COCO file; pass it as the dataset to evaluate it" : "not a LabelMe file (no \"shapes\")";
                issues.add(new EvalIssue(EvalIssue.Kind.ANNOTATION_WARNING, name, what + "; ignored"));
                continue;
            }
            String imageName = readLabelMe(json, folder, images, issues);
            if (imageName != null) {
                annotated.add(imageName);
            } else {
                markReported(folder, name, imageFiles, annotated);
            }
        }
        for (Path img : imageFiles) {
            String name = relative(folder, img);
            if (!annotated.contains(name)) {
                issues.add(new EvalIssue(EvalIssue.Kind.NO_ANNOTATIONS, name, "no LabelMe annotation file; skipped"));
            }
        }
        if (images.isEmpty()) {
            throw new EvalException(folder + ": nothing to evaluate: no LabelMe-annotated images with objects"
                    + (issues.isEmpty() ? "" : " (" + describe(issues) + ")"));
        }
        images.sort(Comparator.comparing(EvalImage::name, NaturalOrder.INSTANCE));
        return new EvalDataset(folder, images, issues);
    }

    /** The images of a bad annotation file (same stem) are already reported: not again as images without one. */
    private static void markReported(Path folder, String jsonName, List<Path> imageFiles, Set<String> reported) {
        String stem = stem(jsonName);
        imageFiles.stream().map(p -> relative(folder, p)).filter(n -> stem(n).equals(stem)).forEach(reported::add);
    }

    /** Reads one LabelMe file; returns the name of the image it annotates (null when unreadable). */
    private static String readLabelMe(Path json, Path root, List<EvalImage> images, List<EvalIssue> issues) {
        String name = relative(root, json);
        ImportBatch batch;
        try {
            batch = LabelMeImporter.read(json, root);
        } catch (ImportException e) {
            issues.add(new EvalIssue(EvalIssue.Kind.BAD_ANNOTATION, name, stripPath(e.getMessage(), json) + "; its image is skipped"));
            return null;
        }
        warnings(name, json, batch.warnings(), issues);
        ImportedImage img = batch.images().get(0);
        toEvalImage(img, root, name, images, issues);
        return img.path();
    }

    private static void toEvalImage(ImportedImage img, Path root, String annotationName, List<EvalImage> images,
                                    List<EvalIssue> issues) {
        List<GroundTruthObject> objects = new ArrayList<>();
        int index = 0;
        for (ImportedObject o : img.objects()) {
            index++;
            if (o.label().equals(IGNORE_LABEL)) {
                issues.add(new EvalIssue(EvalIssue.Kind.IGNORED_REGION, img.path() + "#" + index,
                        "labelled " + IGNORE_LABEL + " (an ignore region); not evaluated"));
                continue;
            }
            if (o.mask().area() == 0) {
                issues.add(new EvalIssue(EvalIssue.Kind.EMPTY_MASK, img.path() + "#" + index, "'" + o.label() + "' mask is empty; skipped"));
                continue;
            }
            objects.add(new GroundTruthObject(index, o.label(), o.mask()));
        }
        if (objects.isEmpty()) {
            issues.add(new EvalIssue(EvalIssue.Kind.NO_ANNOTATIONS, img.path(),
                    "no objects to evaluate in " + annotationName + "; skipped"));
            return;
        }
        images.add(new EvalImage(img.path(), root.resolve(img.path()), img.width(), img.height(), objects));
    }

    /** Importer warnings become issues; objects dropped for covering no pixel are empty masks. */
    private static void warnings(String subject, Path file, List<String> warnings, List<EvalIssue> issues) {
        for (String w : warnings) {
            String text = stripPath(w, file);
            EvalIssue.Kind kind = text.contains("covers no pixel") ? EvalIssue.Kind.EMPTY_MASK : EvalIssue.Kind.ANNOTATION_WARNING;
            issues.add(new EvalIssue(kind, subject, text));
        }
    }

    private static String stripPath(String message, Path file) {
        String prefix = file + ": ";
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    private static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            return null;
        }
    }

    private static String stem(String name) {
        int dot = name.lastIndexOf('.');
        return dot > name.lastIndexOf('/') ? name.substring(0, dot) : name;
    }

    private static String relative(Path root, Path p) {
        return root.relativize(p).toString().replace('\\', '/');
    }

    /** "2 no annotations, 1 empty mask" */
    static String describe(List<EvalIssue> issues) {
        Map<EvalIssue.Kind, Integer> counts = new HashMap<>();
        for (EvalIssue i : issues) {
            counts.merge(i.kind(), 1, Integer::sum);
        }
        List<String> parts = new ArrayList<>();
        for (EvalIssue.Kind k : EvalIssue.Kind.values()) {
            if (counts.containsKey(k)) {
                parts.add(counts.get(k) + " " + k.words());
            }
        }
        return parts.isEmpty() ? "no issues" : String.join(", ", parts);
    }
}
