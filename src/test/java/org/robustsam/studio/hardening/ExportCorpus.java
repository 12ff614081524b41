package org.robustsam.studio.hardening;

import static org.robustsam.studio.hardening.Colors.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.robustsam.studio.annotate.format.CocoExporter;
import org.robustsam.studio.annotate.format.ExportException;
import org.robustsam.studio.annotate.format.ExportSummary;
import org.robustsam.studio.annotate.format.LabelMeExporter;
import org.robustsam.studio.annotate.format.VocExporter;
import org.robustsam.studio.annotate.format.YoloSegExporter;
import org.robustsam.studio.annotate.project.AnnotatedObject;
import org.robustsam.studio.annotate.project.FileWriteException;
import org.robustsam.studio.annotate.project.Label;
import org.robustsam.studio.annotate.project.Project;
import org.robustsam.studio.annotate.project.ProjectFile;
import org.robustsam.studio.annotate.project.ProjectFixtures;
import org.robustsam.studio.annotate.project.ProjectSnapshot;
import org.robustsam.studio.hardening.HardeningCase.EntryPoint;

/**
 * Exports into awkward places: the project folder itself (beside the user's own annotation files),
 * folders with links leading elsewhere, a file where a folder should be, names that collide, and
 * the command line's options. An export writes only inside its folder and never over a file it did
 * not write itself.
 */
final class ExportCorpus {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final CaseList cases = new CaseList(EntryPoint.EXPORT, Duration.ofSeconds(20),
            Set.of(ExportException.class, FileWriteException.class, CliRun.Refused.class));
    private int n;

    private ExportCorpus(Path dir) {
        this.dir = dir;
    }

    static List<HardeningCase> build(Path dir) throws Exception {
        ExportCorpus c = new ExportCorpus(Files.createDirectories(dir));
        c.plain();
        c.besideUserFiles();
        c.awkwardTargets();
        c.collisions();
        c.commandLine();
        return c.cases.cases();
    }

    /** A fresh project folder with the two-image project, its photos and its project.json on disk. */
    private Path project() throws IOException {
        Path p = Files.createDirectories(dir.resolve("p" + n++));
        png(p.resolve("a.jpg"), 40, 30);
        png(p.resolve("sub/b.png"), 20, 10);
        new ProjectFile(p).save(ProjectFixtures.twoImages(p).snapshot());
        return p;
    }

    private static void png(Path f, int w, int h) throws IOException {
        Files.createDirectories(f.getParent());
        ImageIO.write(new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB), f.toString().endsWith(".png") ? "png" : "jpg", f.toFile());
    }

    private static List<Path> userFiles(Path project) {
        return List.of(project.resolve("a.jpg"), project.resolve("sub/b.png"), project.resolve(ProjectFile.FILE_NAME));
    }

    private static ProjectSnapshot load(Path project) throws IOException {
        return new ProjectFile(project).load().snapshot();
    }

    private void plain() throws IOException {
        Path a = project();
        cases.handles("COCO polygons into a new folder", userFiles(a), () -> {
            Path out = a.resolveSibling("coco-out/instances.json");
            CocoExporter.export(load(a), out, CocoExporter.Segmentation.POLYGON, 0.5);
            JsonNode root = JSON.readTree(out.toFile());
            check(root.get("annotations").size() == 3 && root.get("images").size() == 2, "3 annotations on 2 images");
        });
        Path b = project();
        cases.handles("YOLO-seg into a new folder", userFiles(b), () -> {
            Path out = b.resolveSibling("yolo-out");
            YoloSegExporter.export(load(b), out, 0.5);
            check(Files.readAllLines(out.resolve("labels/a.txt")).size() == 2, "two lines for a.jpg");
            check(Files.readAllLines(out.resolve("labels/sub/b.txt")).size() == 1, "one line for sub/b.png");
        });
        Path c = project();
        cases.handles("Pascal VOC into a new folder", userFiles(c), () -> {
            Path out = c.resolveSibling("voc-out");
            VocExporter.export(load(c), out);
            check(Files.isRegularFile(out.resolve("SegmentationObject/a.png")) && Files.isRegularFile(out.resolve("SegmentationClass/b.png")),
                    "PNGs written");
        });
        Path d = project();
        cases.handles("LabelMe into a new folder", userFiles(d), () -> {
            Path out = d.resolveSibling("labelme-out");
            LabelMeExporter.export(load(d), d, out, 0.5);
            check(JSON.readTree(out.resolve("a.json").toFile()).get("shapes").size() == 2, "two shapes for a.jpg");
        });
        Path e = Files.createDirectories(dir.resolve("empty-project"));
        cases.handles("a project without images, every format", List.of(), () -> {
            ProjectSnapshot empty = Project.create(e).snapshot();
            CocoExporter.export(empty, e.resolve("out/coco.json"), CocoExporter.Segmentation.RLE, 0);
            YoloSegExporter.export(empty, e.resolve("out/yolo"), 0);
            VocExporter.export(empty, e.resolve("out/voc"));
            LabelMeExporter.export(empty, e, e.resolve("out/labelme"), 0);
            check(JSON.readTree(e.resolve("out/coco.json").toFile()).get("images").isEmpty(), "no images");
        });
    }

    /** Exports into the project folder, where the user's own files live. */
    private void besideUserFiles() throws IOException {
        Path a = project();
        byte[] mine = "{\"version\": \"4.5.6\", \"shapes\": [], \"flags\": {\"checked-by\": \"anna\"}}".getBytes(StandardCharsets.UTF_8);
        Files.write(a.resolve("a.json"), mine);
        cases.handles("LabelMe into the project folder over the user's own a.json: theirs is kept aside", userFiles(a), () -> {
            ExportSummary s = LabelMeExporter.export(load(a), a, a, 0.5);
            check(JSON.readTree(a.resolve("a.json").toFile()).get("shapes").size() == 2, "the export wrote a.json");
            check(Arrays.equals(Files.readAllBytes(kept(a, "a.json")), mine), "the user's a.json is kept with its bytes");
            check(s.warnings().stream().anyMatch(w -> w.contains("kept as a.json.kept-")), "warnings " + s.warnings());
        });
        Path b = project();
        cases.handles("LabelMe into the project folder twice: the second export replaces the first, keeps no copies", userFiles(b), () -> {
            LabelMeExporter.export(load(b), b, b, 0.5);
            Project p = new ProjectFile(b).load();
            p.setStatus("a.jpg", org.robustsam.studio.annotate.project.ImageStatus.SKIPPED);
            p.removeObject("a.jpg", p.image("a.jpg").orElseThrow().objects().get(0).id());
            ExportSummary s = LabelMeExporter.export(p.snapshot(), b, b, 0.5);
            check(s.warnings().stream().noneMatch(w -> w.contains("kept")), "warnings " + s.warnings());
            check(JSON.readTree(b.resolve("a.json").toFile()).get("shapes").size() == 1, "the second export's a.json");
            try (Stream<Path> files = Files.list(b)) {
                check(files.noneMatch(f -> f.getFileName().toString().contains(".kept-")), "no kept copies");
            }
        });
        Path c = project();
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere-" + n));
        Path precious = elsewhere.resolve("precious.txt");
        Files.writeString(precious, "do not touch\n");
        Files.createDirectories(c.resolve("yolo/labels"));
        Files.createSymbolicLink(c.resolve("yolo/labels/a.txt"), precious);
        List<Path> u = new ArrayList<>(userFiles(c));
        u.add(elsewhere);
        cases.handles("YOLO where labels/a.txt is a link to a file elsewhere: the link is kept aside, the file untouched", u, () -> {
            ExportSummary s = YoloSegExporter.export(load(c), c.resolve("yolo"), 0.5);
            check(!Files.isSymbolicLink(c.resolve("yolo/labels/a.txt")), "a.txt is now a plain file");
            check(Files.isSymbolicLink(kept(c.resolve("yolo/labels"), "a.txt")), "the link was kept aside");
            check(s.warnings().size() >= 1, "warnings " + s.warnings());
        });
        Path d = project();
        cases.handles("COCO, YOLO, VOC and LabelMe all into the project folder: photos and project.json untouched", userFiles(d), () -> {
            ProjectSnapshot s = load(d);
            CocoExporter.export(s, d.resolve("annotations.json"), CocoExporter.Segmentation.POLYGON, 0.5);
            YoloSegExporter.export(s, d, 0.5);
            VocExporter.export(s, d);
            LabelMeExporter.export(s, d, d, 0.5);
            check(new ProjectFile(d).load().snapshot().objectCount() == 3, "the project still opens");
        });
    }

    private static Path kept(Path folder, String name) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(f -> f.getFileName().toString().startsWith(name + ".kept-")).findFirst()
                    .orElseThrow(() -> new AssertionError("no kept copy of " + name + " in " + folder));
        }
    }

    private void awkwardTargets() throws IOException {
        Path a = project();
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere-" + n));
        Files.createDirectories(a.resolve("yolo"));
        Path link = a.resolve("yolo/labels");
        Files.createSymbolicLink(link, elsewhere);
        List<Path> u = new ArrayList<>(userFiles(a));
        u.add(elsewhere);
        cases.rejects("YOLO where labels/ is a link to a folder elsewhere", link, "outside the export folder", u, () -> {
            try {
                YoloSegExporter.export(load(a), a.resolve("yolo"), 0.5);
            } finally {
                try (Stream<Path> s = Files.list(elsewhere)) {
                    check(s.findAny().isEmpty(), "a file was written into " + elsewhere);
                }
            }
        });
        Path b = project();
        Path file = b.resolve("out.txt");
        Files.writeString(file, "a file, not a folder\n");
        List<Path> ub = new ArrayList<>(userFiles(b));
        ub.add(file);
        cases.rejects("YOLO into a path that is a file", file, "not a folder", ub, () -> YoloSegExporter.export(load(b), file, 0.5));
        cases.rejects("VOC into a folder below a file", file, null, ub, () -> VocExporter.export(load(b), file.resolve("voc")));
        Path c = project();
        Path folderJson = Files.createDirectories(c.resolve("out/instances.json"));
        cases.rejects("COCO into a file name that is a folder", folderJson, "folder", userFiles(c),
                () -> CocoExporter.export(load(c), folderJson, CocoExporter.Segmentation.RLE, 0.5));
    }

    private void collisions() throws IOException {
        Path a = project();
        png(a.resolve("a.png"), 40, 30);
        Project p = new ProjectFile(a).load();
        p.addImage("a.png", 40, 30);
        new ProjectFile(a).save(p.snapshot());
        List<Path> u = new ArrayList<>(userFiles(a));
        u.add(a.resolve("a.png"));
        cases.rejects("LabelMe of photos a.jpg and a.png (both a.json)", a.resolve("a.png"), "a.json", u,
                () -> LabelMeExporter.export(load(a), a, a.resolve("labelme"), 0.5));
        cases.rejects("YOLO of photos a.jpg and a.png (both a.txt)", a.resolve("a.png"), "a.txt", u,
                () -> YoloSegExporter.export(load(a), a.resolve("yolo"), 0.5));
        cases.rejects("VOC of photos a.jpg and a.png (both a.png)", a.resolve("a.png"), "same name", u,
                () -> VocExporter.export(load(a), a.resolve("voc")));
        Path b = Files.createDirectories(dir.resolve("many-labels"));
        Project many = Project.create(b);
        for (int i = 0; i < 300; i++) {
            many.insertLabel(i, new Label("label" + i, "#000000"));
        }
        cases.rejects("VOC of 300 labels (a PNG palette holds 254)", b.resolve("voc"), "254", List.of(),
                () -> VocExporter.export(many.snapshot(), b.resolve("voc")));
        Project objects = Project.create(b);
        objects.insertLabel(0, new Label("dot", "#ff0000"));
        objects.addImage("crowd.png", 20, 20);
        for (int i = 0; i < 300; i++) {
            objects.insertObject("crowd.png", i, AnnotatedObject.manual(objects.allocateObjectId(), "dot",
                    ProjectFixtures.rect(20, 20, i % 20, i / 20, i % 20 + 1, i / 20 + 1)));
        }
        cases.rejects("VOC of an image with 300 objects", b.resolve("crowd.png"), "254", List.of(),
                () -> VocExporter.export(objects.snapshot(), b.resolve("voc")));
    }

    private void commandLine() throws IOException {
        Path a = project();
        Path out = a.resolveSibling("cli-out-" + n);
        cases.handles("studio export --format coco (control)", userFiles(a), () -> {
            CliRun.runOrRefuse("export", "--project", a.toString(), "--format", "coco", "--out", out.toString());
            check(JSON.readTree(out.resolve("annotations.json").toFile()).get("annotations").size() == 3, "3 annotations");
        });
        String[][] bad = {
                {"--tolerance", "-1"}, {"--tolerance", "NaN"}, {"--coco-segmentation", "bitmap"}, {"--format", "bogus"},
        };
        for (String[] option : bad) {
            cases.rejects("studio export " + String.join(" ", option), Path.of(option[0]), null, userFiles(a), () -> {
                List<String> args = new ArrayList<>(List.of("export", "--project", a.toString(), "--format", "coco",
                        "--out", out.toString()));
                if (option[0].equals("--format")) {
                    args.set(4, option[1]);
                } else {
                    args.addAll(List.of(option));
                }
                CliRun.runOrRefuse(args.toArray(String[]::new));
            });
        }
        Path missing = dir.resolve("no-such-project");
        cases.rejects("studio export of a folder without a project", missing.resolve(ProjectFile.FILE_NAME), null, List.of(),
                () -> CliRun.runOrRefuse("export", "--project", missing.toString(), "--format", "yolo", "--out", out.toString()));
        Path broken = Files.createDirectories(dir.resolve("broken-project"));
        Files.writeString(broken.resolve(ProjectFile.FILE_NAME), "{\"schemaVersion\": 1, ");
        cases.rejects("studio export of a project whose project.json is cut off", broken.resolve(ProjectFile.FILE_NAME), null,
                List.of(broken), () -> CliRun.runOrRefuse("export", "--project", broken.toString(), "--format", "voc", "--out",
                        out.toString()));
    }
}
