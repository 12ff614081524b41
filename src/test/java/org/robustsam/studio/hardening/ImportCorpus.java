package org.robustsam.studio.hardening;

import static org.robustsam.studio.hardening.Colors.check;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.robustsam.studio.annotate.format.CocoImporter;
import org.robustsam.studio.annotate.format.ImportBatch;
import org.robustsam.studio.annotate.format.ImportException;
import org.robustsam.studio.annotate.format.LabelMeImporter;
import org.robustsam.studio.annotate.format.VocExporter;
import org.robustsam.studio.annotate.format.VocImporter;
import org.robustsam.studio.annotate.project.AnnotatedObject;
import org.robustsam.studio.annotate.project.Label;
import org.robustsam.studio.annotate.project.Project;
import org.robustsam.studio.annotate.project.ProjectFile;
import org.robustsam.studio.annotate.project.ProjectFixtures;
import org.robustsam.studio.hardening.HardeningCase.EntryPoint;

/**
 * LabelMe, COCO and VOC files as other tools, hand edits and attackers write them, each through its
 * importer (what {@code studio import} and the app's import call). Nothing is applied unless all of
 * a file is good, image references never leave the project folder, and an import through the
 * command line writes nothing outside it.
 */
final class ImportCorpus {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LABELME = "{\"version\":\"5.0.1\",\"flags\":{},\"imagePath\":\"a.png\",\"imageData\":null,"
            + "\"imageHeight\":30,\"imageWidth\":40,\"shapes\":[{\"label\":\"cat\",\"points\":[[2,3],[12,3],[12,14],[2,14]],"
            + "\"group_id\":null,\"shape_type\":\"polygon\",\"flags\":{}}]}";
    private static final String COCO = "{\"images\":[{\"id\":1,\"file_name\":\"a.png\",\"width\":40,\"height\":30}],"
            + "\"categories\":[{\"id\":1,\"name\":\"cat\"}],\"annotations\":[{\"id\":1,\"image_id\":1,\"category_id\":1,"
            + "\"segmentation\":[[2,3,12,3,12,14,2,14]],\"area\":110,\"bbox\":[2,3,10,11],\"iscrowd\":0}]}";

    private final Path sandbox;
    private final Path project;
    private final Path outside;
    private final List<Path> userFiles;
    private final CaseList cases = new CaseList(EntryPoint.IMPORT, Duration.ofSeconds(20),
            Set.of(ImportException.class, CliRun.Refused.class));
    private int n;

    private ImportCorpus(Path sandbox) throws IOException {
        this.sandbox = sandbox;
        this.project = Files.createDirectories(sandbox.resolve("project"));
        this.outside = Files.createDirectories(sandbox.resolve("outside"));
        png(project.resolve("a.png"), 40, 30);
        png(project.resolve("sub/b.png"), 20, 10);
        png(outside.resolve("outside.png"), 40, 30);
        Files.writeString(outside.resolve("secret.txt"), "not for the project\n");
        Files.createDirectories(project.resolve("ann"));
        this.userFiles = List.of(project.resolve("a.png"), project.resolve("sub"), outside);
    }

    static List<HardeningCase> build(Path dir) throws Exception {
        ImportCorpus c = new ImportCorpus(Files.createDirectories(dir));
        c.labelme();
        c.coco();
        c.voc();
        c.commandLine();
        return c.cases.cases();
    }

    private static void png(Path file, int w, int h) throws IOException {
        Files.createDirectories(file.getParent());
        ImageIO.write(new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB), "png", file.toFile());
    }

    private Path annotation(String text) throws IOException {
        Path f = project.resolve("ann/" + n++ + ".json");
        Files.writeString(f, text);
        return f;
    }

    private List<Path> user(Path annotation) {
        List<Path> u = new ArrayList<>(userFiles);
        u.add(annotation);
        return u;
    }

    private static String edit(String json, Consumer<ObjectNode> change) {
        try {
            ObjectNode root = (ObjectNode) JSON.readTree(json);
            change.accept(root);
            return JSON.writeValueAsString(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- LabelMe

    private void labelmeRejects(String what, String text, String mustSay) throws IOException {
        Path f = annotation(text);
        cases.rejects("LabelMe: " + what, f, mustSay, user(f), () -> LabelMeImporter.read(f, project));
    }

    private void labelmeEdit(String what, Consumer<ObjectNode> change, String mustSay) throws IOException {
        labelmeRejects(what, edit(LABELME, change), mustSay);
    }

    private void labelmeHandles(String what, String text, Consumer<ImportBatch> expect) throws IOException {
        Path f = annotation(text);
        cases.handles("LabelMe: " + what, user(f), () -> expect.accept(LabelMeImporter.read(f, project)));
    }

    private static ObjectNode shape(ObjectNode root) {
        return (ObjectNode) root.get("shapes").get(0);
    }

    private static Consumer<ImportBatch> oneObject(String path, long area) {
        return b -> {
            check(b.images().size() == 1 && b.images().get(0).path().equals(path), "images " + b.images());
            check(b.objectCount() == 1, "objects " + b.objectCount());
            long a = b.images().get(0).objects().get(0).mask().area();
            check(a == area, "area " + a + ", expected " + area);
        };
    }

    private void labelme() throws IOException {
        labelmeHandles("a valid file (control)", LABELME, oneObject("a.png", 110));
        labelmeRejects("not JSON", "{\"imagePath\": \"a.png\", ", null);
        labelmeRejects("zero bytes", "", "empty");
        labelmeRejects("a JSON list", "[1, 2]", "object");
        labelmeEdit("imagePath missing", r -> r.remove("imagePath"), "imagePath");
        labelmeEdit("imagePath a number", r -> r.put("imagePath", 7), "imagePath");
        labelmeEdit("imageWidth missing", r -> r.remove("imageWidth"), "imageWidth");
        labelmeEdit("imageWidth -40", r -> r.put("imageWidth", -40), "imageWidth");
        labelmeEdit("imageHeight 0", r -> r.put("imageHeight", 0), "imageHeight");
        labelmeEdit("imageWidth 1e12", r -> r.put("imageWidth", 1e12), "imageWidth");
        labelmeEdit("imageWidth 2^64 + 40 (wraps to 40 if read carelessly)",
                r -> r.put("imageWidth", BigInteger.TWO.pow(64).add(BigInteger.valueOf(40))), "imageWidth");
        labelmeEdit("100000 x 100000 pixels", r -> r.put("imageWidth", 100000).put("imageHeight", 100000), "100000");
        labelmeEdit("40000 x 40000 pixels (1.6 gigapixels)", r -> r.put("imageWidth", 40000).put("imageHeight", 40000), "40000");
        labelmeEdit("a polygon of 2 points", r -> {
            ((ArrayNode) shape(r).get("points")).remove(3);
            ((ArrayNode) shape(r).get("points")).remove(2);
        }, "at least 3");
        labelmeEdit("a polygon of 1 point", r -> shape(r).putArray("points").addArray().add(1).add(1), "at least 3");
        labelmeEdit("a polygon of no points", r -> shape(r).putArray("points"), "at least 3");
        labelmeEdit("a point of three numbers", r -> ((ArrayNode) shape(r).get("points").get(0)).add(5), "point 0");
        labelmeEdit("a point given as text", r -> ((ArrayNode) shape(r).get("points")).set(0, JSON.getNodeFactory().textNode("2,3")),
                "point 0");
        labelmeEdit("a coordinate of 1e400", r -> ((ArrayNode) shape(r).get("points").get(1))
                .set(0, JSON.getNodeFactory().numberNode(new BigDecimal("1e400"))), "finite");
        labelmeHandles("a self-crossing (bow-tie) polygon: filled even-odd, with a warning",
                edit(LABELME, r -> shape(r).set("points", JSON.valueToTree(List.of(List.of(2, 3), List.of(12, 14), List.of(12, 3),
                        List.of(2, 14))))), b -> {
                    check(b.objectCount() == 1, "objects " + b.objectCount());
                    check(b.warnings().stream().anyMatch(w -> w.contains("crosses itself")), "warnings " + b.warnings());
                });
        labelmeHandles("a polygon far outside the image: skipped with a warning",
                edit(LABELME, r -> shape(r).set("points", JSON.valueToTree(List.of(List.of(-1e9, -1e9), List.of(-1e9 + 5, -1e9),
                        List.of(-1e9, -1e9 + 5))))), b -> {
                    check(b.objectCount() == 0, "objects " + b.objectCount());
                    check(b.warnings().stream().anyMatch(w -> w.contains("covers no pixel")), "warnings " + b.warnings());
                });
        labelmeHandles("a polygon larger than the image: clipped to it",
                edit(LABELME, r -> shape(r).set("points", JSON.valueToTree(List.of(List.of(-1e6, -1e6), List.of(1e6, -1e6),
                        List.of(1e6, 1e6), List.of(-1e6, 1e6))))), oneObject("a.png", 1200));
        labelmeEdit("a rectangle of 3 points", r -> shape(r).put("shape_type", "rectangle"), "2 corner points");
        labelmeEdit("a circle of 1 point", r -> {
            shape(r).put("shape_type", "circle");
            shape(r).putArray("points").addArray().add(5).add(5);
        }, "circle");
        labelmeHandles("an unknown shape type: skipped with a warning", edit(LABELME, r -> shape(r).put("shape_type", "hexagon")), b -> {
            check(b.objectCount() == 0, "objects " + b.objectCount());
            check(b.warnings().stream().anyMatch(w -> w.contains("hexagon")), "warnings " + b.warnings());
        });
        labelmeEdit("an empty label", r -> shape(r).put("label", "   "), "label");
        labelmeEdit("no label", r -> shape(r).remove("label"), "label");
        labelmeEdit("shapes not a list", r -> r.put("shapes", "cat"), "shapes");
        labelmeHandles("an image size that differs from the photo: imported with a warning",
                edit(LABELME, r -> r.put("imageWidth", 80).put("imageHeight", 60)), b -> check(b.warnings().stream()
                        .anyMatch(w -> w.contains("says the image is 80x60 but a.png is 40x30")), "warnings " + b.warnings()));
        for (String p : List.of("../../outside/outside.png", outside.resolve("outside.png").toString(), "../../../../../etc/passwd",
                "..\\..\\outside\\outside.png", "C:\\Windows\\win.ini", "/etc/passwd")) {
            labelmeEdit("imagePath '" + p + "' outside the project", r -> r.put("imagePath", p), "outside the project");
        }
        labelmeHandles("imagePath as an absolute path inside the project", edit(LABELME,
                r -> r.put("imagePath", project.resolve("a.png").toString())), oneObject("a.png", 110));
        labelmeHandles("imagePath '../sub/../a.png' (leaves ann/ but stays in the project)", edit(LABELME,
                r -> r.put("imagePath", "../sub/../a.png")), oneObject("a.png", 110));
        labelmeEdit("imagePath of a missing photo", r -> r.put("imagePath", "missing.png"), "missing");
        labelmeEdit("imagePath naming a folder", r -> r.put("imagePath", "../sub"), "sub");
        labelmeEdit("imagePath with a NUL character", r -> r.put("imagePath", "a.png\u0000.txt"), "a.png");
        labelmeEdit("imagePath empty", r -> r.put("imagePath", ""), "empty");
        Path folder = Files.createDirectories(project.resolve("ann-twice"));
        Files.writeString(folder.resolve("one.json"), LABELME.replace("\"a.png\"", "\"../a.png\""));
        Files.writeString(folder.resolve("two.json"), LABELME.replace("\"a.png\"", "\"../a.png\""));
        cases.rejects("LabelMe: two files annotating the same photo", folder.resolve("two.json"), "a.png", user(folder),
                () -> LabelMeImporter.read(folder, project));
        Path emptyFolder = Files.createDirectories(project.resolve("ann-empty"));
        cases.rejects("LabelMe: a folder without LabelMe files", emptyFolder, "no LabelMe", user(emptyFolder),
                () -> LabelMeImporter.read(emptyFolder, project));
    }

    // ---------------------------------------------------------------- COCO

    private void cocoRejects(String what, String text, String mustSay) throws IOException {
        Path f = annotation(text);
        cases.rejects("COCO: " + what, f, mustSay, user(f), () -> CocoImporter.read(f, project));
    }

    private void cocoEdit(String what, Consumer<ObjectNode> change, String mustSay) throws IOException {
        cocoRejects(what, edit(COCO, change), mustSay);
    }

    private void cocoHandles(String what, String text, Consumer<ImportBatch> expect) throws IOException {
        Path f = annotation(text);
        cases.handles("COCO: " + what, user(f), () -> expect.accept(CocoImporter.read(f, project)));
    }

    private static ObjectNode img(ObjectNode r) {
        return (ObjectNode) r.get("images").get(0);
    }

    private static ObjectNode ann(ObjectNode r) {
        return (ObjectNode) r.get("annotations").get(0);
    }

    private static ObjectNode rle(ObjectNode r, Object counts) {
        ObjectNode seg = ann(r).putObject("segmentation");
        seg.putArray("size").add(30).add(40);
        seg.set("counts", JSON.valueToTree(counts));
        return seg;
    }

    private void coco() throws IOException {
        cocoHandles("a valid file (control)", COCO, oneObject("a.png", 110));
        cocoRejects("not JSON", "{\"images\": [", null);
        cocoRejects("a JSON list", "[]", "object");
        cocoEdit("images missing", r -> r.remove("images"), "images");
        cocoEdit("categories not a list", r -> r.put("categories", 1), "categories");
        for (String p : List.of("../../outside/outside.png", outside.resolve("outside.png").toString(),
                "../../../../etc/passwd", "..\\..\\outside\\outside.png", "C:\\x.png")) {
            cocoEdit("file_name '" + p + "' outside the project", r -> img(r).put("file_name", p), "outside the project");
        }
        // Beside ann/ this is project/outside/outside.png, inside the project but not there; from the project
        // folder it would leave it. Either way it is not imported.
        cocoEdit("file_name '../outside/outside.png' (missing beside the file, outside from the project)",
                r -> img(r).put("file_name", "../outside/outside.png"), "missing");
        cocoHandles("file_name as an absolute path inside the project", edit(COCO,
                r -> img(r).put("file_name", project.resolve("a.png").toString())), oneObject("a.png", 110));
        cocoEdit("file_name empty", r -> img(r).put("file_name", ""), "empty");
        cocoEdit("file_name of a missing photo", r -> img(r).put("file_name", "nope.png"), "missing");
        cocoEdit("width -40", r -> img(r).put("width", -40), "width");
        cocoEdit("height 0", r -> img(r).put("height", 0), "height");
        cocoEdit("width 1e12", r -> img(r).put("width", 1e12), "width");
        cocoEdit("width 2.5", r -> img(r).put("width", 2.5), "width");
        cocoEdit("width 2^64 + 40 (wraps to 40 if read carelessly)",
                r -> img(r).put("width", BigInteger.TWO.pow(64).add(BigInteger.valueOf(40))), "width");
        cocoEdit("100000 x 100000 pixels", r -> img(r).put("width", 100000).put("height", 100000), "100000");
        cocoEdit("image id 2^64 + 1 (wraps to 1 if read carelessly)",
                r -> img(r).put("id", BigInteger.TWO.pow(64).add(BigInteger.ONE)), "id");
        cocoEdit("category id as text", r -> ((ObjectNode) r.get("categories").get(0)).put("id", "1"), "id");
        cocoEdit("two images with one id", r -> ((ArrayNode) r.get("images")).addObject().put("id", 1).put("file_name", "sub/b.png")
                .put("width", 20).put("height", 10), "used twice");
        cocoEdit("two categories with one name", r -> ((ArrayNode) r.get("categories")).addObject().put("id", 2).put("name", "cat"),
                "used twice");
        cocoEdit("an annotation for an image not listed", r -> ann(r).put("image_id", 9), "image_id 9");
        cocoEdit("an annotation of a category not listed", r -> ann(r).put("category_id", 9), "category_id 9");
        cocoEdit("a polygon of 2 points", r -> ann(r).set("segmentation", JSON.valueToTree(List.of(List.of(1, 1, 5, 5)))), "at least 3");
        cocoEdit("a polygon of 7 numbers", r -> ann(r).set("segmentation", JSON.valueToTree(List.of(List.of(1, 1, 5, 5, 9, 1, 3)))),
                "odd");
        cocoEdit("a polygon coordinate as text", r -> ann(r).set("segmentation", JSON.valueToTree(List.of(List.of(1, 1, 5, "5", 9, 1)))),
                "number");
        cocoEdit("a polygon coordinate of 1e400", r -> ((ArrayNode) ann(r).get("segmentation").get(0))
                .set(2, JSON.getNodeFactory().numberNode(new BigDecimal("1e400"))), "finite");
        cocoEdit("a polygon that is a number", r -> ann(r).set("segmentation", JSON.valueToTree(List.of(7))), "polygon 0");
        cocoHandles("a self-crossing (bow-tie) polygon: filled even-odd",
                edit(COCO, r -> ann(r).set("segmentation", JSON.valueToTree(List.of(List.of(2, 3, 12, 14, 12, 3, 2, 14))))),
                b -> check(b.objectCount() == 1, "objects " + b.objectCount()));
        cocoEdit("RLE counts that overflow the image", r -> rle(r, List.of(100, 1000, 200)), "overflow");
        cocoEdit("RLE counts one pixel short", r -> rle(r, List.of(100, 1099)), "cover");
        cocoEdit("a negative RLE count", r -> rle(r, List.of(100, -5, 1105)), "negative");
        cocoEdit("an RLE count of 2^40", r -> rle(r, List.of(1L << 40)), "RLE count 0");
        cocoEdit("an RLE count of 1.5", r -> rle(r, List.of(1.5, 1198.5)), "RLE count 0");
        cocoEdit("compressed RLE with a character outside the alphabet", r -> rle(r, "0~~"), "invalid character");
        cocoEdit("compressed RLE counts that overflow", r -> rle(r, "0`0`0`0`0`"), "RLE");
        cocoEdit("RLE size not the image's", r -> rle(r, List.of(1200)).putArray("size").add(40).add(30), "does not match");
        cocoEdit("RLE size negative", r -> rle(r, List.of(1200)).putArray("size").add(-30).add(-40), "negative");
        cocoEdit("RLE counts an object", r -> rle(r, Map.of("a", 1)), "counts");
        cocoHandles("an annotation with an empty segmentation: skipped with a warning",
                edit(COCO, r -> ann(r).putArray("segmentation")), b -> {
                    check(b.objectCount() == 0, "objects " + b.objectCount());
                    check(b.warnings().stream().anyMatch(w -> w.contains("no segmentation")), "warnings " + b.warnings());
                });
        cocoHandles("a polygon outside the image: skipped with a warning",
                edit(COCO, r -> ann(r).set("segmentation", JSON.valueToTree(List.of(List.of(500, 500, 510, 500, 510, 510))))), b -> {
                    check(b.objectCount() == 0, "objects " + b.objectCount());
                    check(b.warnings().stream().anyMatch(w -> w.contains("covers no pixel")), "warnings " + b.warnings());
                });
        StringBuilder many = new StringBuilder("{\"images\":[{\"id\":1,\"file_name\":\"a.png\",\"width\":40,\"height\":30}],"
                + "\"categories\":[{\"id\":1,\"name\":\"cat\"}],\"annotations\":[");
        for (int i = 0; i < 20_000; i++) {
            many.append(i == 0 ? "" : ",").append("{\"id\":").append(i).append(",\"image_id\":1,\"category_id\":1,")
                    .append("\"segmentation\":[[0,0,3,0,3,3]]}");
        }
        cocoHandles("20,000 annotations on one photo", many.append("]}").toString(), b -> check(b.objectCount() == 20_000,
                "objects " + b.objectCount()));
    }

    // ---------------------------------------------------------------- VOC

    /** A VOC folder as the app exports it for a.png (one cat) inside the project; then {@code damage} is done to it. */
    private Path vocFolder(String name, IoChange damage) throws IOException {
        Path voc = project.resolve("voc-" + name);
        Project p = Project.create(project);
        p.insertLabel(0, new Label("cat", "#800000"));
        p.addImage("a.png", 40, 30);
        p.insertObject("a.png", 0, AnnotatedObject.manual(p.allocateObjectId(), "cat", ProjectFixtures.rect(40, 30, 2, 3, 12, 14)));
        VocExporter.export(p.snapshot(), voc);
        damage.apply(voc);
        return voc;
    }

    @FunctionalInterface
    private interface IoChange {
        void apply(Path voc) throws IOException;
    }

    private void vocRejects(String what, String name, IoChange damage, String subject, String mustSay) throws IOException {
        Path voc = vocFolder(name, damage);
        List<Path> u = new ArrayList<>(userFiles);
        u.add(voc);
        cases.rejects("VOC: " + what, voc.resolve(subject), mustSay, u, () -> VocImporter.read(voc, project));
    }

    private void voc() throws IOException {
        Path good = vocFolder("good", v -> { });
        cases.handles("VOC: a folder as the app exports it (control)", List.of(good, project.resolve("a.png")),
                () -> oneObject("a.png", 110).accept(VocImporter.read(good, project)));
        vocRejects("class_names.txt missing", "no-names", v -> Files.delete(v.resolve("class_names.txt")), "class_names.txt", null);
        vocRejects("class_names.txt without _background_ first", "bad-names",
                v -> Files.writeString(v.resolve("class_names.txt"), "cat\n"), "class_names.txt", "_background_");
        vocRejects("class_names.txt empty", "empty-names", v -> Files.writeString(v.resolve("class_names.txt"), ""),
                "class_names.txt", "_background_");
        vocRejects("an object PNG in RGB colours", "rgb", v -> ImageIO.write(new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB),
                "png", v.resolve("SegmentationObject/a.png").toFile()), "SegmentationObject/a.png", "8-bit");
        vocRejects("an object PNG of 16-bit grey", "gray16", v -> ImageIO.write(new BufferedImage(40, 30, BufferedImage.TYPE_USHORT_GRAY),
                "png", v.resolve("SegmentationObject/a.png").toFile()), "SegmentationObject/a.png", "8-bit");
        vocRejects("an object PNG cut in half", "cut", v -> {
            Path f = v.resolve("SegmentationObject/a.png");
            byte[] b = Files.readAllBytes(f);
            Files.write(f, Arrays.copyOf(b, b.length / 2));
        }, "SegmentationObject/a.png", null);
        vocRejects("an object PNG that is text", "text", v -> Files.writeString(v.resolve("SegmentationObject/a.png"), "hello"),
                "SegmentationObject/a.png", null);
        vocRejects("the class PNG missing", "no-class", v -> Files.delete(v.resolve("SegmentationClass/a.png")),
                "SegmentationClass/a.png", null);
        vocRejects("class and object PNGs of different sizes", "sizes", v -> Files.write(v.resolve("SegmentationClass/a.png"),
                vocPng(20, 20, 1)), "SegmentationClass/a.png", "20x20");
        vocRejects("PNGs of another size than the photo", "photo-size", v -> {
            Files.write(v.resolve("SegmentationClass/a.png"), vocPng(20, 20, 1));
            Files.write(v.resolve("SegmentationObject/a.png"), vocPng(20, 20, 1));
        }, "SegmentationObject/a.png", "40x30");
        vocRejects("PNGs claiming 30000 x 20000 over a tiny body", "huge", v -> {
            Files.write(v.resolve("SegmentationClass/a.png"), PngBytes.hugeHeaderTinyBody(30000, 20000));
            Files.write(v.resolve("SegmentationObject/a.png"), PngBytes.hugeHeaderTinyBody(30000, 20000));
        }, "SegmentationObject/a.png", "30000");
        vocRejects("an instance whose class is beyond class_names.txt", "class-index", v -> Files.write(
                v.resolve("SegmentationClass/a.png"), vocPng(40, 30, 9)), "SegmentationObject/a.png", "class index 9");
        vocRejects("an instance on background only", "no-class-pixels", v -> Files.write(
                v.resolve("SegmentationClass/a.png"), vocPng(40, 30, 0)), "SegmentationObject/a.png", "no class");
        vocRejects("a PNG for a photo not in the project", "stranger", v -> {
            Files.copy(v.resolve("SegmentationObject/a.png"), v.resolve("SegmentationObject/zebra.png"));
            Files.copy(v.resolve("SegmentationClass/a.png"), v.resolve("SegmentationClass/zebra.png"));
        }, "SegmentationObject/zebra.png", "zebra");
    }

    /** An 8-bit palette PNG of {@code w x h} all of index {@code value}, the VOC way. */
    private static byte[] vocPng(int w, int h, int value) {
        int[][][] px = new int[h][w][1];
        for (int[][] row : px) {
            for (int[] p : row) {
                p[0] = value;
            }
        }
        byte[] plte = new byte[256 * 3];
        for (int i = 0; i < 256; i++) {
            plte[3 * i] = (byte) i;
        }
        return PngBytes.image(3, 8, px, plte, null);
    }

    // ---------------------------------------------------------------- studio import

    /**
     * The whole command: read, apply, save project.json. Whatever the input, nothing outside the
     * project folder may change or appear (the sandbox around it is fingerprinted).
     */
    private void commandLine() throws IOException {
        List<Path> around = List.of(outside, sandbox.resolve("sibling.txt"));
        Files.writeString(sandbox.resolve("sibling.txt"), "beside the project\n");
        Path evil = annotation(edit(COCO, r -> img(r).put("file_name", "../../outside/outside.png")));
        List<Path> u = new ArrayList<>(around);
        u.add(project.resolve("a.png"));
        cases.rejects("studio import: COCO naming a photo outside the project", evil, "outside the project", u, () -> {
            try {
                CliRun.runOrRefuse("import", "--format", "coco", "--input", evil.toString(), "--project", project.toString());
            } finally {
                checkNothingNewOutside();
            }
        });
        Path labelme = annotation(edit(LABELME, r -> r.put("imagePath", "../../../sibling.txt")));
        cases.rejects("studio import: LabelMe naming a file beside the project", labelme, "outside the project", u, () -> {
            try {
                CliRun.runOrRefuse("import", "--format", "labelme", "--input", labelme.toString(), "--project", project.toString());
            } finally {
                checkNothingNewOutside();
            }
        });
        Path copy = Files.createDirectories(sandbox.resolve("import-target"));
        png(copy.resolve("a.png"), 40, 30);
        Path good = copy.resolve("a.json");
        Files.writeString(good, LABELME);
        cases.handles("studio import: a good LabelMe file, then project.json is the only new file", List.of(outside, copy.resolve("a.png"),
                good), () -> {
                    CliRun.runOrRefuse("import", "--format", "labelme", "--input", good.toString(), "--project", copy.toString());
                    check(new ProjectFile(copy).load().snapshot().objectCount() == 1, "one object imported");
                    try (Stream<Path> s = Files.list(copy)) {
                        List<String> names = s.map(p -> p.getFileName().toString()).sorted().toList();
                        check(names.equals(List.of("a.json", "a.png", "project.json")), "files " + names);
                    }
                    checkNothingNewOutside();
                });
    }

    private void checkNothingNewOutside() throws IOException {
        try (Stream<Path> s = Files.list(sandbox)) {
            List<String> names = s.map(p -> p.getFileName().toString()).sorted().toList();
            check(names.equals(List.of("import-target", "outside", "project", "sibling.txt")), "the sandbox holds " + names);
        }
        try (Stream<Path> s = Files.list(outside)) {
            check(s.count() == 2, "files appeared in " + outside);
        }
        check(!Files.exists(project.getParent().resolve(ProjectFile.FILE_NAME)), "a project.json beside the project");
    }
}
