package org.robustsam.studio.cli;

import static org.robustsam.studio.cli.CliRun.studio;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.robustsam.studio.annotate.project.Project;
import org.robustsam.studio.annotate.project.ProjectFile;
import org.robustsam.studio.annotate.project.SessionLock;

/** {@code studio import} and {@code studio export} end to end on a small LabelMe-annotated folder. */
class AnnotCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    Path project;

    @BeforeEach
    void folder() throws Exception {
        project = dir.resolve("photos");
        Files.createDirectories(project);
        ImageIO.write(new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB), "png", project.resolve("a.png").toFile());
        ImageIO.write(new BufferedImage(20, 10, BufferedImage.TYPE_INT_RGB), "png", project.resolve("b.png").toFile());
        Files.writeString(project.resolve("a.json"), "{\"version\": \"5.0.1\", \"flags\": {}, \"imagePath\": \"a.png\", \"imageData\": null,"
                + " \"imageHeight\": 30, \"imageWidth\": 40, \"shapes\": ["
                + "{\"label\": \"cat\", \"points\": [[2,3],[12,3],[12,14],[2,14]], \"group_id\": null, \"shape_type\": \"polygon\", \"flags\": {}},"
                + "{\"label\": \"dog\", \"points\": [[20,5],[35,25]], \"group_id\": null, \"shape_type\": \"rectangle\", \"flags\": {}}]}");
        Files.writeString(project.resolve("b.json"), "{\"version\": \"5.0.1\", \"flags\": {}, \"imagePath\": \"b.png\", \"imageData\": null,"
                + " \"imageHeight\": 10, \"imageWidth\": 20, \"shapes\": ["
                + "{\"label\": \"cat\", \"points\": [[0,0],[5,0],[5,5],[0,5]], \"group_id\": null, \"shape_type\": \"polygon\", \"flags\": {}}]}");
    }

    @Test
    void helpListsImportAndExport() {
        CliRun r = studio("--help");
        assertTrue(r.out().contains("import") && r.out().contains("export"), r.out());
    }

    @Test
    void importLabelMeThenExportEveryFormatThenImportCocoBack() throws Exception {
        CliRun imp = studio("import", "--format", "labelme", "--input", project.toString(), "--project", project.toString());
        assertEquals(0, imp.exit(), imp.err());
        assertTrue(imp.out().startsWith("Imported 3 objects on 2 images (2 new images, 2 new labels) into "), imp.out());
        Project p = new ProjectFile(project).load();
        assertEquals(3, p.snapshot().objectCount());

        Path out = dir.resolve("out");
        CliRun coco = studio("export", "--project", project.toString(), "--format", "coco", "--out", out.resolve("coco").toString(),
                "--coco-segmentation", "rle");
        assertEquals(0, coco.exit(), coco.err());
        assertTrue(coco.out().startsWith("Exported 3 objects on 2 images as coco to "), coco.out());
        JsonNode c = JSON.readTree(out.resolve("coco/annotations.json").toFile());
        assertEquals(3, c.get("annotations").size());
        assertEquals("dog", c.get("categories").get(1).get("name").asText());
        assertEquals(300, c.get("annotations").get(1).get("area").asInt(), "the 15 x 20 rectangle");

        assertEquals(0, studio("export", "--project", project.toString(), "--format", "YOLO", "--out", out.resolve("yolo").toString()).exit());
        assertEquals(List.of("cat", "dog"), Files.readAllLines(out.resolve("yolo/classes.txt")));
        assertEquals(2, Files.readAllLines(out.resolve("yolo/labels/a.txt")).size());

        assertEquals(0, studio("export", "--project", project.toString(), "--format", "voc", "--out", out.resolve("voc").toString()).exit());
        assertTrue(Files.isRegularFile(out.resolve("voc/SegmentationClass/a.png")));
        assertTrue(Files.isRegularFile(out.resolve("voc/SegmentationObject/b.png")));

        assertEquals(0, studio("export", "--project", project.toString(), "--format", "labelme", "--out", out.resolve("labelme").toString()).exit());
        assertEquals("../../photos/b.png", JSON.readTree(out.resolve("labelme/b.json").toFile()).get("imagePath").asText());

        // A second project over the same photos, filled from the COCO export: same masks.
        CliRun back = studio("import", "--format", "coco", "--input", out.resolve("coco/annotations.json").toString(), "--project", project.toString());
        assertEquals(0, back.exit(), back.err());
        Project twice = new ProjectFile(project).load();
        assertEquals(6, twice.snapshot().objectCount(), "import adds to the existing project");
        assertEquals(twice.images().get(0).objects().get(0).mask(), twice.images().get(0).objects().get(2).mask());
        assertTrue(Files.exists(new ProjectFile(project).backup(1)), "the previous project file was kept as a backup");
    }

    @Test
    void badInputGivesAMessageNamingTheFileAndExitCode1() throws Exception {
        Files.writeString(project.resolve("b.json"), "{\n\"shapes\": [}\n");
        CliRun r = studio("import", "--format", "labelme", "--input", project.toString(), "--project", project.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().startsWith("import failed: " + project.resolve("b.json") + ", line 2, column "), r.err());
        assertTrue(!Files.exists(project.resolve(ProjectFile.FILE_NAME)), "nothing written after a failed import");

        CliRun noProject = studio("export", "--project", dir.resolve("nowhere").toString(), "--format", "coco", "--out", dir.resolve("o").toString());
        assertEquals(1, noProject.exit());
        assertTrue(noProject.err().contains("project.json: file does not exist"), noProject.err());

        CliRun badFormat = studio("export", "--project", project.toString(), "--format", "tiff", "--out", dir.resolve("o").toString());
        assertEquals(2, badFormat.exit());
        assertTrue(badFormat.err().contains("'tiff' is not a format; use coco, yolo, voc or labelme"), badFormat.err());
    }

    @Test
    void importRefusesWhileTheAppHasTheProjectOpen() throws Exception {
        try (SessionLock lock = SessionLock.acquire(project)) {
            // A live process (this JVM stands in for the app) holds the session lock.
            assertTrue(SessionLock.read(project).orElseThrow().isAlive());
            CliRun r = studio("import", "--format", "labelme", "--input", project.toString(), "--project", project.toString());
            assertEquals(1, r.exit());
            assertTrue(r.err().contains("is open in RobustSAM Studio (process " + ProcessHandle.current().pid()), r.err());
        }
    }
}
