package org.robustsam.studio.annotate.format;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageInputStream;
import org.robustsam.studio.annotate.NaturalOrder;
import org.robustsam.studio.annotate.mask.BinaryMask;
import org.robustsam.studio.annotate.mask.CocoRle;
import org.robustsam.studio.annotate.project.ProjectPaths;
import org.robustsam.studio.image.ChannelImageInputStream;
import org.robustsam.studio.image.ImageFormats;
import org.robustsam.studio.image.ImageHeader;
import org.robustsam.studio.image.ImageLoadException;
import org.robustsam.studio.image.ImageLoader;

/**
 * Reads what {@link VocExporter} writes (and VOC-style datasets laid out the same way):
 * {@code class_names.txt}, {@code SegmentationObject/*.png} and {@code SegmentationClass/*.png}.
 * Each instance number in an object PNG becomes an object whose label is the class most of its
 * pixels have. Images are matched by name: the project folder must hold exactly one image with the
 * PNG's name. 0 (background) and 255 (void) are not instances.
 */
public final class VocImporter {
    private VocImporter() {}

    public static ImportBatch read(Path vocFolder, Path projectFolder) throws ImportException {
        Path namesFile = vocFolder.resolve("class_names.txt");
        List<String> classNames = readClassNames(namesFile);
        Map<String, String> imagesByStem = imagesByStem(projectFolder, vocFolder);
        List<Path> objectPngs = list(vocFolder.resolve("SegmentationObject"));
        List<ImportedImage> images = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (Path objPng : objectPngs) {
            String stem = ExportPaths.stem(objPng.getFileName().toString());
            Path clsPng = vocFolder.resolve("SegmentationClass").resolve(objPng.getFileName());
            String image = imagesByStem.get(stem);
            if (image == null) {
                throw new ImportException(objPng, "missing image: no image named '" + stem + ".*' in the project folder " + projectFolder);
            }
            if (image.isEmpty()) {
                throw new ImportException(objPng, "more than one image named '" + stem + ".*' in the project folder; cannot tell which one");
            }
            checkSize(objPng, ProjectPaths.resolve(projectFolder.toAbsolutePath().normalize(), image));
            Raster objects = readIndexed(objPng);
            Raster classes = readIndexed(clsPng);
            int w = objects.getWidth();
            int h = objects.getHeight();
            if (classes.getWidth() != w || classes.getHeight() != h) {
                throw new ImportException(clsPng, "is " + classes.getWidth() + "x" + classes.getHeight() + " but " + objPng.getFileName()
                        + " is " + w + "x" + h);
            }
            images.add(new ImportedImage(image, w, h, instances(objPng, objects, classes, classNames, warnings)));
        }
        return new ImportBatch(classNames, images, warnings);
    }

    private static List<ImportedObject> instances(Path objPng, Raster objects, Raster classes, List<String> classNames,
                                                  List<String> warnings) throws ImportException {
        int w = objects.getWidth();
        int h = objects.getHeight();
        Map<Integer, BinaryMask> masks = new HashMap<>();
        Map<Integer, int[]> classVotes = new HashMap<>();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int k = objects.getSample(x, y, 0);
                if (k == 0 || k == 255) {
                    continue;
                }
                masks.computeIfAbsent(k, i -> new BinaryMask(w, h)).set(x, y, true);
                classVotes.computeIfAbsent(k, i -> new int[256])[classes.getSample(x, y, 0)]++;
            }
        }
        List<ImportedObject> out = new ArrayList<>();
        for (int k = 1; k < 255; k++) {
            if (!masks.containsKey(k)) {
                continue;
            }
            int[] votes = classVotes.get(k);
            int best = 1;
            for (int c = 1; c < 255; c++) {
                if (votes[c] > votes[best]) {
                    best = c;
                }
            }
            if (votes[best] == 0) {
                throw new ImportException(objPng, "instance " + k + " has no class (its pixels are background or void in SegmentationClass)");
            }
            if (best > classNames.size()) {
                throw new ImportException(objPng, "instance " + k + " has class index " + best + " but class_names.txt lists only "
                        + (classNames.size()) + " classes after _background_");
            }
            out.add(new ImportedObject(classNames.get(best - 1), CocoRle.encode(masks.get(k))));
        }
        return out;
    }

    /** Class names without the leading {@code _background_}; index i of the list is class i + 1. */
    private static List<String> readClassNames(Path file) throws ImportException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ImportException(file, "cannot read the class list (" + e.getMessage() + ")", e);
        }
        List<String> names = new ArrayList<>();
        for (String line : lines) {
            if (!line.isBlank()) {
                names.add(line.strip());
            }
        }
        if (names.isEmpty() || !names.get(0).equals("_background_")) {
            throw new ImportException(file, "the first class must be _background_ (class 0)");
        }
        return names.subList(1, names.size());
    }

    /**
     * The PNG must have the photo's size (either way round: EXIF rotation swaps them). Checked from
     * both headers before decoding, so a PNG claiming 30000 x 20000 is refused without allocating it.
     */
    private static void checkSize(Path png, Path photo) throws ImportException {
        ImageLoader loader = new ImageLoader();
        ImageHeader pngHeader;
        ImageHeader photoHeader;
        try {
            pngHeader = loader.readHeader(png);
        } catch (ImageLoadException e) {
            throw new ImportException(png, "cannot read the PNG (" + e.getMessage() + ")", e);
        }
        try {
            photoHeader = loader.readHeader(photo);
        } catch (ImageLoadException e) {
            throw new ImportException(png, "cannot check the size of its photo (" + e.getMessage() + ")", e);
        }
        boolean same = pngHeader.width() == photoHeader.width() && pngHeader.height() == photoHeader.height();
        boolean swapped = pngHeader.width() == photoHeader.height() && pngHeader.height() == photoHeader.width();
        if (!same && !swapped) {
            throw new ImportException(png, "is " + pngHeader.width() + "x" + pngHeader.height() + " but its photo "
                    + photo.getFileName() + " is " + photoHeader.width() + "x" + photoHeader.height()
                    + "; the masks were made for another version of the photo");
        }
    }

    private static Raster readIndexed(Path png) throws ImportException {
        if (!Files.exists(png)) {
            throw new ImportException(png, "file does not exist");
        }
        BufferedImage img;
        try (ImageInputStream in = new ChannelImageInputStream(png)) {
            img = ImageIO.read(in);
        } catch (IOException e) {
            throw new ImportException(png, "cannot read the PNG (" + e.getMessage() + ")", e);
        }
        if (img == null) {
            throw new ImportException(png, Files.exists(png) ? "not a PNG image" : "file does not exist");
        }
        if (img.getRaster().getNumBands() != 1 || img.getColorModel().getPixelSize() > 8) {
            throw new ImportException(png, "expected an 8-bit palette or grey PNG of class/instance numbers");
        }
        return img.getRaster();
    }

    private static List<Path> list(Path folder) throws ImportException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> p.getFileName().toString().toLowerCase().endsWith(".png"))
                    .sorted((a, b) -> NaturalOrder.INSTANCE.compare(a.getFileName().toString(), b.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new ImportException(folder, "cannot list the folder (" + e.getMessage() + ")", e);
        }
    }

    /** A mask PNG of some other VOC export inside the project (an earlier export, say): not a photo. */
    private static boolean isVocMask(Path p) {
        Path parent = p.getParent();
        String folder = parent == null || parent.getFileName() == null ? "" : parent.getFileName().toString();
        return folder.equals("SegmentationClass") || folder.equals("SegmentationObject");
    }

    /** Project path by image name; "" marks a name used by two images. */
    private static Map<String, String> imagesByStem(Path projectFolder, Path vocFolder) throws ImportException {
        Map<String, String> out = new HashMap<>();
        // The VOC PNGs themselves are not photos, even when exported inside the project folder.
        Path skip = vocFolder.toAbsolutePath().normalize();
        try (Stream<Path> s = Files.walk(projectFolder)) {
            for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile).filter(ImageFormats::hasImageExtension)
                    .filter(p -> !p.toAbsolutePath().normalize().startsWith(skip)).filter(p -> !isVocMask(p))::iterator) {
                String stem = ExportPaths.stem(p.getFileName().toString());
                out.merge(stem, ProjectPaths.relativize(projectFolder, p), (a, b) -> "");
            }
        } catch (IOException e) {
            throw new ImportException(projectFolder, "cannot list the project folder (" + e.getMessage() + ")", e);
        }
        return out;
    }
}
