package org.robustsam.studio.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.robustsam.studio.annotate.format.CocoImporter;
import org.robustsam.studio.annotate.format.ImportBatch;
import org.robustsam.studio.annotate.format.ImportException;
import org.robustsam.studio.annotate.format.ImportedImage;
import org.robustsam.studio.annotate.format.ImportedObject;
import org.robustsam.studio.annotate.format.LabelMeImporter;
import org.robustsam.studio.annotate.mask.BinaryMask;
import org.robustsam.studio.annotate.mask.CocoRle;
import org.robustsam.studio.annotate.project.AnnotatedObject;
import org.robustsam.studio.annotate.project.ImageRecord;
import org.robustsam.studio.annotate.project.ImageStatus;
import org.robustsam.studio.annotate.project.Project;
import org.robustsam.studio.annotate.project.ProjectFile;
import org.robustsam.studio.annotate.project.ProjectFileException;
import org.robustsam.studio.annotate.project.ProjectPaths;
import org.robustsam.studio.eval.EvalDataset;
import org.robustsam.studio.eval.EvalImage;
import org.robustsam.studio.eval.GroundTruthObject;
import org.robustsam.studio.image.ImageLoadException;
import org.robustsam.studio.image.ImageLoader;
import org.robustsam.studio.image.RgbImage;
import org.robustsam.studio.inference.ResizeLongestSide;

/**
 * The labelled images of a job, split into training and validation by image (never one image's
 * objects on both sides), each image scaled once so its long side is at most {@code data.maxSide}
 * (Pillow-exact bilinear, as the reference's own resize) and its object masks scaled with it
 * (nearest, at pixel centres). Every object with at least {@code minArea} pixels is one sample;
 * labelme's {@code __ignore__} regions are not objects.
 */
public final class TrainingData {
    /**
     * One image at training size with its object masks, and where it came from: the photo file at
     * its own size and the same objects as ground truth at that size (what the job's closing
     * evaluation scores against, as {@code studio eval} would).
     *
     * @param objects the objects behind {@code masks}, in the same order, numbered by their position
     *     in the annotation (1-based, as {@link org.robustsam.studio.eval.EvalDataset} numbers them)
     */
    public record TrainingImage(String id, RgbImage image, List<BinaryMask> masks, Path file, int width, int height,
            List<GroundTruthObject> objects) {}

    /** One object of one image: the unit the job samples. */
    public record Sample(int image, int object) {}

    private final Path source;
    private final List<TrainingImage> images;
    private final List<Sample> train;
    private final List<Sample> validation;
    private final List<String> warnings;
    private final int trainImages;
    private final int validationImages;

    private TrainingData(Path source, List<TrainingImage> images, List<Sample> train, List<Sample> validation,
            List<String> warnings, int trainImages, int validationImages) {
        this.source = source;
        this.images = images;
        this.train = train;
        this.validation = validation;
        this.warnings = warnings;
        this.trainImages = trainImages;
        this.validationImages = validationImages;
    }

    public List<TrainingImage> images() {
        return images;
    }

    public TrainingImage image(int index) {
        return images.get(index);
    }

    public List<Sample> train() {
        return train;
    }

    public List<Sample> validation() {
        return validation;
    }

    public List<String> warnings() {
        return warnings;
    }

    public int trainImages() {
        return trainImages;
    }

    public int validationImages() {
        return validationImages;
    }

    /** The data source (project folder, LabelMe folder or COCO file). */
    public Path source() {
        return source;
    }

    /**
     * The validation split as an evaluation dataset: each held-out photo at its own size, from its
     * file, with the job's objects of it (label filter and minimum area applied) as ground truth.
     */
    public EvalDataset validationSet() {
        Set<Integer> held = new TreeSet<>();
        validation.forEach(s -> held.add(s.image()));
        List<EvalImage> out = new ArrayList<>();
        for (int i : held) {
            TrainingImage t = images.get(i);
            out.add(new EvalImage(t.id(), t.file(), t.width(), t.height(), t.objects()));
        }
        return new EvalDataset(source, out, List.of());
    }

    /** Names of the validation photos, in split order. */
    public List<String> validationImageNames() {
        return validationSet().images().stream().map(EvalImage::name).toList();
    }

    /** Images already in memory, every object a training sample (the training benchmark's synthetic photos). */
    static TrainingData ofImages(List<TrainingImage> images) {
        List<Sample> train = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            for (int k = 0; k < images.get(i).masks().size(); k++) {
                train.add(new Sample(i, k));
            }
        }
        return new TrainingData(null, List.copyOf(images), List.copyOf(train), List.of(), List.of(), images.size(), 0);
    }

    /** Reads the job's data source; {@code configFile} anchors relative paths. */
    public static TrainingData load(TrainingConfig.Data c, Path configFile) throws TrainingException {
        Path source = TrainingConfig.resolve(configFile, c.source);
        String format = detect(source, c.format);
        List<String> warnings = new ArrayList<>();
        List<RawImage> raw = switch (format) {
            case "project" -> fromProject(source, c.doneImagesOnly);
            case "coco" -> fromBatch(read(source, true), source.toAbsolutePath().getParent(), warnings);
            default -> fromBatch(read(source, false), source, warnings);
        };
        Set<String> labels = c.labels == null || c.labels.isEmpty() ? null : new TreeSet<>(c.labels);
        ImageLoader loader = new ImageLoader();
        List<TrainingImage> images = new ArrayList<>();
        for (RawImage r : raw) {
            if (r.masks.stream().noneMatch(m -> wanted(m.label, labels))) {
                continue;
            }
            RgbImage full;
            try {
                full = loader.load(r.file);
            } catch (ImageLoadException e) {
                warnings.add(e.getMessage() + ": image left out");
                continue;
            }
            if (full.width() != r.width || full.height() != r.height) {
                warnings.add(r.id + ": the annotations are for " + r.width + "x" + r.height + " but the photo is "
                        + full.width() + "x" + full.height() + ": image left out");
                continue;
            }
            int[] hw = Math.max(full.width(), full.height()) > c.maxSide
                    ? ResizeLongestSide.getPreprocessShape(full.height(), full.width(), c.maxSide)
                    : new int[] {full.height(), full.width()};
            RgbImage scaled = hw[0] == full.height() && hw[1] == full.width() ? full
                    : ResizeLongestSide.resizeBilinear(full, hw[1], hw[0]);
            List<BinaryMask> scaledMasks = new ArrayList<>();
            List<GroundTruthObject> objects = new ArrayList<>();
            for (int k = 0; k < r.masks.size(); k++) {
                RawMask o = r.masks.get(k);
                if (!wanted(o.label, labels)) {
                    continue;
                }
                BinaryMask m = scale(o.mask.decode(), hw[1], hw[0]);
                if (m.area() >= c.minArea) {
                    scaledMasks.add(m);
                    objects.add(new GroundTruthObject(k + 1, o.label, o.mask));
                }
            }
            if (!scaledMasks.isEmpty()) {
                images.add(new TrainingImage(r.id, scaled, List.copyOf(scaledMasks), r.file, r.width, r.height,
                        List.copyOf(objects)));
            }
        }
        if (images.isEmpty()) {
            throw new TrainingException("data.source: " + source + " has no usable labelled object"
                    + (labels != null ? " with the labels " + labels : "") + (warnings.isEmpty() ? "" : " (" + warnings.get(0) + ")"));
        }
        // Split by image, seeded.
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(c.splitSeed));
        int nVal = images.size() < 2 ? 0 : (int) Math.round(images.size() * c.validationFraction);
        if (c.validationFraction > 0 && images.size() >= 2) {
            nVal = Math.max(1, Math.min(images.size() - 1, nVal));
        }
        Set<Integer> valImages = new TreeSet<>(order.subList(0, nVal));
        List<Sample> train = new ArrayList<>();
        List<Sample> validation = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            for (int k = 0; k < images.get(i).masks().size(); k++) {
                (valImages.contains(i) ? validation : train).add(new Sample(i, k));
            }
        }
        return new TrainingData(source, List.copyOf(images), List.copyOf(train), List.copyOf(validation), List.copyOf(warnings),
                images.size() - nVal, nVal);
    }

    /** Objects of the chosen labels (all when none are chosen), never labelme's ignore regions. */
    private static boolean wanted(String label, Set<String> labels) {
        return !EvalDataset.IGNORE_LABEL.equals(label) && (labels == null || labels.contains(label));
    }

    private record RawMask(String label, CocoRle mask) {}

    private record RawImage(String id, Path file, int width, int height, List<RawMask> masks) {}

    private static String detect(Path source, String format) throws TrainingException {
        String f = format == null ? "auto" : format.toLowerCase(Locale.ROOT);
        if (!Files.exists(source)) {
            throw new TrainingException("data.source: " + source + " does not exist");
        }
        if (!f.equals("auto")) {
            return f;
        }
        if (Files.isDirectory(source)) {
            return Files.isRegularFile(source.resolve(ProjectFile.FILE_NAME)) ? "project" : "labelme";
        }
        return "coco";
    }

    private static ImportBatch read(Path source, boolean coco) throws TrainingException {
        try {
            return coco ? CocoImporter.read(source, source.toAbsolutePath().getParent())
                    : LabelMeImporter.read(source, source);
        } catch (ImportException e) {
            throw new TrainingException("data.source: " + e.getMessage(), e);
        }
    }

    private static List<RawImage> fromBatch(ImportBatch batch, Path folder, List<String> warnings) {
        warnings.addAll(batch.warnings());
        List<RawImage> out = new ArrayList<>();
        for (ImportedImage img : batch.images()) {
            List<RawMask> masks = new ArrayList<>();
            for (ImportedObject o : img.objects()) {
                masks.add(new RawMask(o.label(), o.mask()));
            }
            out.add(new RawImage(img.path(), ProjectPaths.resolve(folder, img.path()), img.width(), img.height(), masks));
        }
        return out;
    }

    private static List<RawImage> fromProject(Path folder, boolean doneOnly) throws TrainingException {
        Project project;
        try {
            project = new ProjectFile(folder).load();
        } catch (ProjectFileException e) {
            throw new TrainingException("data.source: " + e.getMessage(), e);
        }
        List<RawImage> out = new ArrayList<>();
        for (ImageRecord r : project.images()) {
            if (r.status() == ImageStatus.SKIPPED || (doneOnly && r.status() != ImageStatus.DONE)) {
                continue;
            }
            List<RawMask> masks = new ArrayList<>();
            for (AnnotatedObject o : r.objects()) {
                masks.add(new RawMask(o.label(), o.mask()));
            }
            out.add(new RawImage(r.path(), ProjectPaths.resolve(folder, r.path()), r.width(), r.height(), masks));
        }
        return out;
    }

    /** Nearest-neighbour scaling at pixel centres. */
    static BinaryMask scale(BinaryMask m, int w, int h) {
        if (m.width() == w && m.height() == h) {
            return m;
        }
        BinaryMask out = new BinaryMask(w, h);
        for (int y = 0; y < h; y++) {
            int sy = Math.min(m.height() - 1, (int) ((y + 0.5) * m.height() / h));
            for (int x = 0; x < w; x++) {
                int sx = Math.min(m.width() - 1, (int) ((x + 0.5) * m.width() / w));
                if (m.get(sx, sy)) {
                    out.set(x, y, true);
                }
            }
        }
        return out;
    }
}
