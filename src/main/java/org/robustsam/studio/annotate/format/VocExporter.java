package org.robustsam.studio.annotate.format;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.robustsam.studio.annotate.mask.BinaryMask;
import org.robustsam.studio.annotate.project.AnnotatedObject;
import org.robustsam.studio.annotate.project.ImageRecord;
import org.robustsam.studio.annotate.project.Label;
import org.robustsam.studio.annotate.project.ProjectSnapshot;

/**
 * Writes Pascal VOC segmentation PNGs: {@code SegmentationClass/<name>.png} (pixel = class index,
 * label n of the project is class n + 1, 0 = background) and {@code SegmentationObject/<name>.png}
 * (pixel = instance number 1, 2, ... in the image's object order), both 8-bit palette PNGs with
 * the VOC colour map; plus {@code class_names.txt} (line n is class n, {@code _background_} first)
 * and {@code ImageSets/Segmentation/default.txt} listing the image names.
 *
 * <p>One pixel holds one instance, so where objects overlap the later one (drawn on top) wins.
 * The void/border value 255 is not written.
 */
public final class VocExporter {
    /** Indices 1..254: 0 is background and 255 is VOC's void. */
    public static final int MAX_INDEX = 254;

    private VocExporter() {}

    public static ExportSummary export(ProjectSnapshot project, Path outDir) throws IOException {
        List<Label> labels = project.labels();
        if (labels.size() > MAX_INDEX) {
            throw new ExportException("cannot export to " + outDir + ": VOC PNGs hold at most " + MAX_INDEX
                    + " classes; the project has " + labels.size() + " labels");
        }
        ExportPaths.uniqueStems(project.images());
        List<String> warnings = new ArrayList<>();
        ExportWriter writer = new ExportWriter(outDir);
        StringBuilder classNames = new StringBuilder("_background_\n");
        labels.forEach(l -> classNames.append(l.name()).append('\n'));
        writer.write(outDir.resolve("class_names.txt"), classNames.toString().getBytes(StandardCharsets.UTF_8));
        StringBuilder list = new StringBuilder();
        int files = 2;
        int objects = 0;
        for (ImageRecord img : project.images()) {
            if (img.objects().size() > MAX_INDEX) {
                throw new ExportException(img.path() + " has " + img.objects().size() + " objects; a VOC object PNG holds at most " + MAX_INDEX);
            }
            byte[] classIdx = new byte[img.width() * img.height()];
            byte[] objectIdx = new byte[img.width() * img.height()];
            int instance = 0;
            for (AnnotatedObject o : img.objects()) {
                instance++;
                BinaryMask m = o.mask().decode();
                byte cls = (byte) (project.labelIndex(o.label()) + 1);
                byte[] on = m.toRowMajor();
                long hidden = 0;
                for (int i = 0; i < on.length; i++) {
                    if (on[i] != 0) {
                        hidden += objectIdx[i] != 0 ? 1 : 0;
                        classIdx[i] = cls;
                        objectIdx[i] = (byte) instance;
                    }
                }
                if (hidden > 0) {
                    warnings.add(img.path() + ": object " + o.id() + " (" + o.label() + ") covers " + hidden
                            + " pixels of earlier objects; VOC keeps one instance per pixel, so those pixels go to it");
                }
                objects++;
            }
            String stem = ExportPaths.stem(img.path());
            writer.write(ExportPaths.target(outDir.resolve("SegmentationClass"), stem + ".png"), palettePng(img.width(), img.height(), classIdx));
            writer.write(ExportPaths.target(outDir.resolve("SegmentationObject"), stem + ".png"), palettePng(img.width(), img.height(), objectIdx));
            files += 2;
            list.append(stem).append('\n');
        }
        writer.write(outDir.resolve("ImageSets").resolve("Segmentation").resolve("default.txt"), list.toString().getBytes(StandardCharsets.UTF_8));
        writer.finish();
        warnings.addAll(writer.warnings());
        return new ExportSummary(outDir, project.images().size(), objects, files + 1, warnings);
    }

    /** An 8-bit indexed PNG (colour type 3) with the VOC palette; the pixel values are the indices. */
    static byte[] palettePng(int width, int height, byte[] indices) throws IOException {
        BufferedImage png = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_INDEXED, VocPalette.colorModel());
        WritableRaster raster = png.getRaster();
        raster.setDataElements(0, 0, width, height, indices);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(png, "png", out)) {
            throw new IOException("no PNG writer available");
        }
        return out.toByteArray();
    }
}
