package org.robustsam.studio.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.robustsam.studio.annotate.format.CocoExporter;
import org.robustsam.studio.annotate.format.ExportSummary;
import org.robustsam.studio.annotate.format.LabelMeExporter;
import org.robustsam.studio.annotate.format.VocExporter;
import org.robustsam.studio.annotate.format.YoloSegExporter;
import org.robustsam.studio.annotate.mask.MaskPolygons;
import org.robustsam.studio.annotate.project.Project;
import org.robustsam.studio.annotate.project.ProjectFile;
import org.robustsam.studio.annotate.project.ProjectSnapshot;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code studio export}: a project's annotations in a format other tools read. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export a project's annotations as COCO, YOLO-seg, Pascal VOC or LabelMe files.")
final class ExportCommand implements Callable<Integer> {
    enum Format { COCO, YOLO, VOC, LABELME }

    @Option(names = "--project", required = true, paramLabel = "FOLDER", description = "Project folder (holds project.json).")
    Path project;

    @Option(names = "--format", required = true, paramLabel = "FORMAT", converter = FormatConverter.class,
            description = "coco, yolo, voc or labelme.")
    Format format;

    @Option(names = "--out", required = true, paramLabel = "D",
            description = "Output folder (for coco: a folder gets annotations.json, or give a .json file name).")
    Path out;

    @Option(names = "--coco-segmentation", paramLabel = "KIND", defaultValue = "polygon",
            description = "COCO masks as polygon (most compatible; holes as keyhole cuts), rle (exact, compressed) or rle-uncompressed. Default: ${DEFAULT-VALUE}.")
    String cocoSegmentation;

    @Option(names = "--tolerance", paramLabel = "PX", defaultValue = "" + MaskPolygons.DEFAULT_TOLERANCE,
            description = "Polygon simplification in pixels for coco polygons, yolo and labelme (0 = exact pixel outlines). Default: ${DEFAULT-VALUE}.")
    double tolerance;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter outWriter = spec.commandLine().getOut();
        try {
            if (tolerance < 0 || Double.isNaN(tolerance)) {
                throw new IllegalArgumentException("--tolerance must be 0 or more pixels, got " + tolerance);
            }
            Project p = new ProjectFile(project).load();
            ProjectSnapshot s = p.snapshot();
            ExportSummary summary = switch (format) {
                case COCO -> CocoExporter.export(s, cocoTarget(), cocoKind(), tolerance);
                case YOLO -> YoloSegExporter.export(s, out, tolerance);
                case VOC -> VocExporter.export(s, out);
                case LABELME -> LabelMeExporter.export(s, p.folder(), out, tolerance);
            };
            summary.warnings().forEach(w -> err.println("warning: " + w));
            outWriter.printf("Exported %d objects on %d images as %s to %s (%d files)%n", summary.objects(), summary.images(),
                    format.name().toLowerCase(Locale.ROOT), summary.output(), summary.files());
            return 0;
        } catch (IOException | IllegalArgumentException e) {
            err.println("export failed: " + e.getMessage());
            return 1;
        } finally {
            err.flush();
            outWriter.flush();
        }
    }

    private Path cocoTarget() {
        return out.getFileName() != null && out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")
                ? out : out.resolve("annotations.json");
    }

    private CocoExporter.Segmentation cocoKind() {
        return switch (cocoSegmentation.toLowerCase(Locale.ROOT)) {
            case "polygon" -> CocoExporter.Segmentation.POLYGON;
            case "rle" -> CocoExporter.Segmentation.RLE;
            case "rle-uncompressed" -> CocoExporter.Segmentation.RLE_UNCOMPRESSED;
            default -> throw new IllegalArgumentException("--coco-segmentation must be polygon, rle or rle-uncompressed, got " + cocoSegmentation);
        };
    }

    static final class FormatConverter implements CommandLine.ITypeConverter<Format> {
        @Override
        public Format convert(String value) {
            try {
                return Format.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a format; use coco, yolo, voc or labelme");
            }
        }
    }
}
