package org.robustsam.studio.hardening;

import static org.robustsam.studio.hardening.Colors.check;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.robustsam.studio.annotate.project.AtomicFiles;
import org.robustsam.studio.annotate.project.Project;
import org.robustsam.studio.annotate.project.ProjectFile;
import org.robustsam.studio.annotate.project.ProjectFileException;
import org.robustsam.studio.annotate.project.ProjectFixtures;
import org.robustsam.studio.annotate.project.Recovery;
import org.robustsam.studio.annotate.project.SessionLock;
import org.robustsam.studio.hardening.HardeningCase.EntryPoint;

/**
 * {@code project.json} files damaged by other programs, hand edits, newer versions and attackers,
 * each opened with {@link ProjectFile#load} (what opening a folder does), plus crash leftovers for
 * {@link Recovery}. Opening never changes the file; a bad one is refused with the file and the
 * place in it.
 */
final class ProjectCorpus {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final byte[] template;
    private final CaseList cases = new CaseList(EntryPoint.PROJECT, Duration.ofSeconds(20), Set.of(ProjectFileException.class));
    private int n;

    private ProjectCorpus(Path dir, byte[] template) {
        this.dir = dir;
        this.template = template;
    }

    static List<HardeningCase> build(Path dir) throws Exception {
        Path base = Files.createDirectories(dir.resolve("template"));
        ProjectFile file = new ProjectFile(base);
        file.save(ProjectFixtures.twoImages(base).snapshot());
        ProjectCorpus c = new ProjectCorpus(dir, Files.readAllBytes(file.file()));
        c.notJson();
        c.versions();
        c.numbers();
        c.masks();
        c.paths();
        c.schema();
        c.recovery();
        return c.cases.cases();
    }

    /** A project folder holding {@code bytes} as its project.json. */
    private Path folder(byte[] bytes) throws IOException {
        Path folder = Files.createDirectories(dir.resolve("p" + n++));
        Files.write(folder.resolve(ProjectFile.FILE_NAME), bytes);
        return folder;
    }

    private void rejects(String what, byte[] bytes, String mustSay) throws IOException {
        Path folder = folder(bytes);
        Path file = folder.resolve(ProjectFile.FILE_NAME);
        cases.rejects(what, file, mustSay, List.of(folder), () -> new ProjectFile(folder).load());
    }

    private void rejectsEdit(String what, Consumer<ObjectNode> edit, String mustSay) throws IOException {
        rejects(what, edited(edit), mustSay);
    }

    private byte[] edited(Consumer<ObjectNode> edit) throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(template);
        edit.accept(root);
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    }

    /** Must open, giving what {@code check} expects. */
    private void handles(String what, byte[] bytes, Consumer<Project> expect) throws IOException {
        Path folder = folder(bytes);
        cases.handles(what, List.of(folder), () -> expect.accept(new ProjectFile(folder).load()));
    }

    private static ObjectNode image(ObjectNode root, int i) {
        return (ObjectNode) root.get("images").get(i);
    }

    private static ObjectNode object(ObjectNode root, int image, int k) {
        return (ObjectNode) image(root, image).get("objects").get(k);
    }

    private void notJson() throws IOException {
        handles("the template project opens with its 3 objects", template, p -> check(p.snapshot().objectCount() == 3,
                "objects: " + p.snapshot().objectCount()));
        rejects("zero bytes", new byte[0], "empty");
        rejects("only spaces and newlines", "  \n\t \n".getBytes(StandardCharsets.UTF_8), "empty");
        rejects("a lone brace", "{".getBytes(StandardCharsets.UTF_8), null);
        rejects("a JSON list", "[]".getBytes(StandardCharsets.UTF_8), "schemaVersion");
        rejects("JSON null", "null".getBytes(StandardCharsets.UTF_8), null);
        rejects("a number", "42".getBytes(StandardCharsets.UTF_8), "schemaVersion");
        rejects("a string", "\"project\"".getBytes(StandardCharsets.UTF_8), "schemaVersion");
        byte[] noise = new byte[2000];
        new java.util.Random(9).nextBytes(noise);
        rejects("random bytes", noise, null);
        for (double f : new double[] {0.1, 0.5, 0.9, 0.999}) {
            rejects("cut at " + (f * 100) + "%", Arrays.copyOf(template, (int) (template.length * f)), null);
        }
        byte[] nul = template.clone();
        nul[template.length / 2] = 0;
        rejects("a NUL byte in the middle", nul, null);
        rejects("two projects one after the other", concat(template, template), null);
        rejects("trailing garbage after the project", concat(template, "}{\"x\":1}".getBytes(StandardCharsets.UTF_8)), null);
        handles("a UTF-8 byte order mark before the JSON", concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, template),
                p -> check(p.snapshot().objectCount() == 3, "objects: " + p.snapshot().objectCount()));
        rejects("5,000 nested lists", ("{\"schemaVersion\":1,\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}")
                .getBytes(StandardCharsets.UTF_8), null);
        rejectsEdit("a 30 MB label name", r -> ((ObjectNode) r.get("labels").get(0)).put("name", "x".repeat(30_000_000)), null);
    }

    private void versions() throws IOException {
        rejectsEdit("schemaVersion missing", r -> r.remove("schemaVersion"), "schemaVersion");
        rejectsEdit("schemaVersion null", r -> r.putNull("schemaVersion"), "schemaVersion");
        rejectsEdit("schemaVersion 0", r -> r.put("schemaVersion", 0), "version");
        rejectsEdit("schemaVersion -1", r -> r.put("schemaVersion", -1), "version");
        rejectsEdit("schemaVersion 2 (a newer app)", r -> r.put("schemaVersion", 2), "newer");
        rejectsEdit("schemaVersion 999", r -> r.put("schemaVersion", 999), "newer");
        rejectsEdit("schemaVersion \"1\" (text)", r -> r.put("schemaVersion", "1"), "schemaVersion");
        rejectsEdit("schemaVersion 1.5", r -> r.put("schemaVersion", 1.5), "schemaVersion");
        rejectsEdit("schemaVersion 2^70", r -> r.put("schemaVersion", BigInteger.TWO.pow(70)), "schemaVersion");
        rejectsEdit("schemaVersion 4294967297 (2^32 + 1)", r -> r.put("schemaVersion", 4294967297L), "schemaVersion");
    }

    private void numbers() throws IOException {
        rejectsEdit("image width 1e20", r -> image(r, 0).put("width", 1e20), "width");
        rejectsEdit("image width 2^31", r -> image(r, 0).put("width", 2147483648L), "width");
        rejectsEdit("image width -40", r -> image(r, 0).put("width", -40), "size");
        rejectsEdit("image height 0", r -> image(r, 0).put("height", 0), "size");
        rejectsEdit("image 100000 x 100000 (10 gigapixels)", r -> {
            image(r, 1).put("width", 100000).put("height", 100000);
            ((ArrayNode) image(r, 1).get("objects")).removeAll();
        }, "100000");
        rejectsEdit("image width 2.5", r -> image(r, 0).put("width", 2.5), "width");
        rejectsEdit("nextObjectId 2^70", r -> r.put("nextObjectId", BigInteger.TWO.pow(70)), "nextObjectId");
        handles("nextObjectId -5: the next id is still a fresh one", edited(r -> r.put("nextObjectId", -5)),
                p -> check(p.allocateObjectId() == 4, "next id should be 4"));
        rejectsEdit("object id 0", r -> object(r, 0, 0).put("id", 0), "id");
        rejectsEdit("object id -7", r -> object(r, 0, 0).put("id", -7), "id");
        rejectsEdit("object id 2^64", r -> object(r, 0, 0).put("id", BigInteger.TWO.pow(64)), "id");
        rejectsEdit("score 1e400 (infinite)", r -> object(r, 0, 0).put("score", new java.math.BigDecimal("1e400")), "score");
        rejectsEdit("score as text", r -> object(r, 0, 0).put("score", "high"), "score");
        rejectsEdit("prompt box of 3 numbers", r -> ((ArrayNode) object(r, 0, 0).get("prompts").get("box")).remove(3), "box");
        rejectsEdit("prompt box reaching 1e400", r -> ((ArrayNode) object(r, 0, 0).get("prompts").get("box"))
                .set(2, JSON.getNodeFactory().numberNode(new java.math.BigDecimal("1e400"))), "box");
        rejectsEdit("prompt point at x = 1e400", r -> ((ObjectNode) object(r, 0, 0).get("prompts").get("points").get(0))
                .put("x", new java.math.BigDecimal("1e400")), "point");
    }

    private void masks() throws IOException {
        rejectsEdit("RLE counts that overflow the image", r -> ((ObjectNode) object(r, 0, 0).get("mask")).put("counts", "0`0`0`0`0`"),
                "mask");
        rejectsEdit("RLE counts one pixel short", r -> ((ObjectNode) object(r, 0, 0).get("mask")).put("counts", "0h0"), "mask");
        rejectsEdit("RLE counts with a character outside the alphabet", r -> ((ObjectNode) object(r, 0, 0).get("mask"))
                .put("counts", "0~~"), "mask");
        rejectsEdit("RLE counts cut in the middle of a number", r -> ((ObjectNode) object(r, 0, 0).get("mask"))
                .put("counts", "0o"), "mask");
        rejectsEdit("RLE counts empty", r -> ((ObjectNode) object(r, 0, 0).get("mask")).put("counts", ""), "mask");
        rejectsEdit("mask size differs from the image", r -> ((ObjectNode) object(r, 0, 0).get("mask")).putArray("size").add(31).add(40),
                "mask");
        rejectsEdit("mask size of one number", r -> ((ObjectNode) object(r, 0, 0).get("mask")).putArray("size").add(30), "size");
        rejectsEdit("mask size negative", r -> ((ObjectNode) object(r, 0, 0).get("mask")).putArray("size").add(-30).add(-40), "mask");
        rejectsEdit("mask missing", r -> object(r, 0, 0).remove("mask"), "mask");
    }

    private void paths() throws IOException {
        for (String p : List.of("../outside.jpg", "../../../../etc/passwd", "/etc/passwd", "C:\\Windows\\win.ini", "c:/x.jpg",
                "\\\\server\\share\\x.jpg", "sub/../../x.jpg", "", ".", "sub/..", "a\u0000b.jpg")) {
            rejectsEdit("image path '" + p.replace("\u0000", "\\0") + "'", r -> image(r, 0).put("path", p), null);
        }
        handles("image path './a.jpg' is the same as 'a.jpg'", edited(r -> image(r, 0).put("path", "./a.jpg")),
                p -> check(p.image("a.jpg").isPresent(), "a.jpg present"));
        handles("image path 'sub\\\\b.png' (Windows separator) is 'sub/b.png'", edited(r -> image(r, 1).put("path", "sub\\b.png")),
                p -> check(p.image("sub/b.png").isPresent(), "sub/b.png present"));
        rejectsEdit("image path 'sub/../a.jpg' names a.jpg a second time", r -> image(r, 1).put("path", "sub/../a.jpg"), "twice");
    }

    private void schema() throws IOException {
        rejectsEdit("an unknown top-level field", r -> r.put("owner", "me"), "owner");
        rejectsEdit("an unknown field in an object", r -> object(r, 0, 0).put("colour", "red"), "colour");
        rejectsEdit("labels missing", r -> r.remove("labels"), "labels");
        rejectsEdit("images is not a list", r -> r.put("images", "a.jpg"), "images");
        rejectsEdit("label colour 'red'", r -> ((ObjectNode) r.get("labels").get(0)).put("color", "red"), "colour");
        rejectsEdit("label name with spaces around it", r -> ((ObjectNode) r.get("labels").get(0)).put("name", " cat"), "cat");
        rejectsEdit("the same label twice", r -> ((ArrayNode) r.get("labels")).add(r.get("labels").get(0).deepCopy()), "twice");
        rejectsEdit("the same image twice", r -> ((ArrayNode) r.get("images")).add(r.get("images").get(1).deepCopy()), "twice");
        rejectsEdit("the same object id twice", r -> object(r, 0, 1).put("id", object(r, 0, 0).get("id").asLong()), "twice");
        rejectsEdit("an object label not in the labels", r -> object(r, 0, 0).put("label", "unicorn"), "unicorn");
        rejectsEdit("status 'finished'", r -> image(r, 0).put("status", "finished"), "finished");
        rejectsEdit("status null", r -> image(r, 0).putNull("status"), "status");
        rejectsEdit("objects null", r -> image(r, 0).putNull("objects"), "objects");
        rejectsEdit("an image entry that is a number", r -> ((ArrayNode) r.get("images")).set(0, JSON.getNodeFactory().numberNode(7)),
                null);
    }

    /** Crash leftovers: what {@link Recovery} reports and restores, never losing a version. */
    private void recovery() throws IOException {
        byte[] corrupt = Arrays.copyOf(template, template.length / 2);
        Path a = folder(corrupt);
        Files.write(a.resolve(ProjectFile.FILE_NAME + ".bak1"), template);
        cases.handles("corrupt project.json with a good backup: recovery offers the backup", List.of(a), () -> {
            Recovery.Report r = Recovery.check(a);
            check(r.needsAttention(), "needs attention");
            check(r.best().orElseThrow().file().getFileName().toString().equals("project.json.bak1"), "best " + r.best());
        });
        Path b = folder(corrupt);
        Files.write(b.resolve(ProjectFile.FILE_NAME + ".bak1"), "{".getBytes(StandardCharsets.UTF_8));
        Files.write(b.resolve(ProjectFile.FILE_NAME + ".tmp"), new byte[0]);
        Files.write(b.resolve(SessionLock.FILE_NAME), "{\"pid\": \"garbage".getBytes(StandardCharsets.UTF_8));
        cases.handles("every copy corrupt and a torn lock: recovery reports, offers nothing, throws nothing", List.of(b), () -> {
            Recovery.Report r = Recovery.check(b);
            check(r.crashed() && r.needsAttention(), "crashed and needs attention");
            check(r.best().isEmpty(), "nothing to offer, got " + r.best());
            check(!r.describe().isBlank(), "a description");
        });
        Path c = folder(template);
        Path tmp = c.resolve(ProjectFile.FILE_NAME + ".tmp");
        Files.write(tmp, corrupt);
        Files.setLastModifiedTime(tmp, FileTime.from(Instant.now().plusSeconds(60)));
        cases.handles("a torn temp file newer than a good project.json: the project file stays the choice", List.of(c), () -> {
            Recovery.Report r = Recovery.check(c);
            check(r.best().orElseThrow().file().getFileName().toString().equals(ProjectFile.FILE_NAME), "best " + r.best());
        });
        Path d = folder(corrupt);
        Files.write(d.resolve(ProjectFile.FILE_NAME + ".bak1"), template);
        cases.handles("restoring a backup keeps the corrupt project.json aside", List.of(d.resolve(ProjectFile.FILE_NAME + ".bak1")), () -> {
            Recovery.Report r = Recovery.check(d);
            Path kept = Recovery.restore(d, r.best().orElseThrow());
            check(kept != null && Arrays.equals(Files.readAllBytes(kept), corrupt), "the corrupt file is kept as " + kept);
            check(Arrays.equals(Files.readAllBytes(d.resolve(ProjectFile.FILE_NAME)), template), "project.json is the backup");
            check(new ProjectFile(d).load().snapshot().objectCount() == 3, "it opens");
            try (Stream<Path> s = Files.list(d)) {
                check(s.noneMatch(p -> p.equals(AtomicFiles.tempFor(d.resolve(ProjectFile.FILE_NAME)))), "no temp file left");
            }
        });
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
