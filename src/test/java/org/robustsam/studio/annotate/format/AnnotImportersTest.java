package org.robustsam.studio.annotate.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.robustsam.studio.annotate.project.ProjectFixtures.rect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.robustsam.studio.annotate.mask.BinaryMask;
import org.robustsam.studio.annotate.project.AnnotatedObject;
import org.robustsam.studio.annotate.project.ImageRecord;
import org.robustsam.studio.annotate.project.Project;
import org.robustsam.studio.annotate.project.ProjectSnapshot;

class AnnotImportersTest {
    @TempDir
    Path dir;
    Path project;

    @BeforeEach
    void images() throws IOException {
        project = dir.resolve("project");
        FormatFixtures.image(project.resolve("a.jpg"), 40, 30);
        FormatFixtures.image(project.resolve("sub").resolve("b.png"), 20, 10);
    }

    private Path write(String name, String content) throws IOException {
        Path f = project.resolve(name);
        Files.createDirectories(f.getParent());
        Files.writeString(f, content);
        return f;
    }

    private static String labelMe(String imagePath, int w, int h, String shapes) {
        return "{\"version\": \"5.0.1\", \"flags\": {}, \"shapes\": [" + shapes + "], \"imagePath\": \"" + imagePath
                + "\", \"imageData\": null, \"imageHeight\": " + h + ", \"imageWidth\": " + w + "}";
    }

    private static String shape(String label, String points, String group, String type) {
        return "{\"label\": \"" + label + "\", \"points\": " + points + ", \"group_id\": " + group + ", \"shape_type\": \"" + type
                + "\", \"flags\": {}}";
    }

    @Test
    void labelMeGroupsShapesByLabelAndGroupIdAndReadsRectanglesAndCircles() throws IOException {
        write("a.json", labelMe("a.jpg", 40, 30, String.join(",",
                shape("cat", "[[2,3],[12,3],[12,14],[2,14]]", "null", "polygon"),
                shape("cat", "[[20,20],[24,20],[24,24]]", "7", "polygon"),
                shape("cat", "[[30,20],[34,24]]", "7", "rectangle"),
                shape("dog", "[[10,10],[10,12]]", "null", "circle"),
                shape("dog", "[[1,1],[5,5]]", "null", "line"))));
        write("sub/b.json", labelMe("b.png", 20, 10, shape("dog", "[[0,0],[5,0],[5,5],[0,5]]", "null", "polygon")));
        ImportBatch batch = LabelMeImporter.read(project, project);
        assertEquals(List.of("cat", "dog"), batch.labels());
        assertEquals(1, batch.warnings().size(), batch.warnings().toString());
        assertTrue(batch.warnings().get(0).contains("shape type 'line' has no area"), batch.warnings().get(0));
        ImportedImage a = batch.images().get(0);
        assertEquals("a.jpg", a.path());
        assertEquals(3, a.objects().size(), "polygon, group 7 (triangle + rectangle), circle");
        assertEquals(rect(40, 30, 2, 3, 12, 14), a.objects().get(0).mask());
        BinaryMask group = a.objects().get(1).mask().decode();
        // Triangle: rows of 4, 3, 2, 1 centres (centres on its left, diagonal edge count as inside), plus the 4x4 rectangle.
        assertEquals(10 + 16, group.area());
        assertEquals(12, a.objects().get(2).mask().area(), "disc of radius 2 by pixel centres");
        assertEquals("sub/b.png", batch.images().get(1).path());

        Project p = Project.create(project);
        batch.applyTo(p);
        assertEquals(4, p.snapshot().objectCount());
        assertEquals("#800000", p.labels().get(0).color(), "first label gets VOC colour 1");
    }

    @Test
    void labelMeBadInputNamesTheFile() throws IOException {
        Path broken = write("a.json", "{\n \"shapes\": [\n  {\"label\": \"x\",,}\n ]\n}");
        ImportException json = assertThrows(ImportException.class, () -> LabelMeImporter.read(project, project));
        assertTrue(json.getMessage().startsWith(broken + ", line 3, column "), json.getMessage());

        write("a.json", labelMe("missing.jpg", 40, 30, ""));
        ImportException missing = assertThrows(ImportException.class, () -> LabelMeImporter.read(project, project));
        assertTrue(missing.getMessage().startsWith(broken + ": imagePath: image 'missing.jpg' is missing"), missing.getMessage());

        write("a.json", labelMe("a.jpg", 40, 30, shape("cat", "[[2,3],[12,3]]", "null", "polygon")));
        ImportException two = assertThrows(ImportException.class, () -> LabelMeImporter.read(project, project));
        assertEquals(broken + ": shapes[0] ('cat'): a polygon needs at least 3 points, got 2", two.getMessage());

        write("a.json", labelMe("a.jpg", 40, -30, ""));
        ImportException negative = assertThrows(ImportException.class, () -> LabelMeImporter.read(project, project));
        assertEquals(broken + ": top level: \"imageHeight\" must be a positive number of pixels, found -30", negative.getMessage());

        FormatFixtures.image(dir.resolve("outside.jpg"), 40, 30);
        write("a.json", labelMe("../outside.jpg", 40, 30, ""));
        ImportException outside = assertThrows(ImportException.class, () -> LabelMeImporter.read(project, project));
        assertTrue(outside.getMessage().contains("is outside the project folder"), outside.getMessage());

        write("a.json", labelMe("a.jpg", 40, 30, shape("  ", "[[2,3],[12,3],[5,5]]", "null", "polygon")));
        assertTrue(assertThrows(ImportException.class, () -> LabelMeImporter.read(project, project)).getMessage()
                .contains("label name is empty"));
    }

    @Test
    void labelMeWarnsAboutSelfCrossingPolygonsAndSizeMismatch() throws IOException {
        write("a.json", labelMe("a.jpg", 50, 30, shape("cat", "[[0,0],[10,10],[10,0],[0,10]]", "null", "polygon")));
        ImportBatch b = LabelMeImporter.read(project.resolve("a.json"), project);
        assertEquals(2, b.warnings().size(), b.warnings().toString());
        assertTrue(b.warnings().stream().anyMatch(w -> w.contains("says the image is 50x30 but a.jpg is 40x30")), b.warnings().toString());
        assertTrue(b.warnings().stream().anyMatch(w -> w.contains("polygon crosses itself")), b.warnings().toString());
        assertEquals(50, b.images().get(0).objects().get(0).mask().area(), "bow tie: two triangles of 25 centres each");
    }

    private static final String CATEGORIES = "\"categories\": [{\"id\": 3, \"name\": \"cat\"}, {\"id\": 9, \"name\": \"dog\"}]";
    private static final String IMAGES = "\"images\": [{\"id\": 1, \"file_name\": \"a.jpg\", \"width\": 40, \"height\": 30},"
            + " {\"id\": 2, \"file_name\": \"sub/b.png\", \"width\": 20, \"height\": 10}]";

    private Path coco(String annotations) throws IOException {
        return write("coco/instances.json", "{" + IMAGES + ",\n" + CATEGORIES + ",\n\"annotations\": [" + annotations + "]}");
    }

    @Test
    void cocoReadsPolygonsAndBothRleForms() throws IOException {
        String rle = rect(40, 30, 2, 3, 12, 14).toCompressedString().replace("\\", "\\\\");
        Path f = coco("{\"id\": 1, \"image_id\": 1, \"category_id\": 9, \"segmentation\": [[2,3,12,3,12,14,2,14]], \"iscrowd\": 0},"
                + "{\"id\": 2, \"image_id\": 1, \"category_id\": 3, \"segmentation\": {\"size\": [30, 40], \"counts\": \"" + rle + "\"}},"
                + "{\"id\": 3, \"image_id\": 2, \"category_id\": 3, \"segmentation\": {\"size\": [10, 20], \"counts\": [0,5,5,5,5,5,5,5,5,5,155]}, \"iscrowd\": 1},"
                + "{\"id\": 4, \"image_id\": 2, \"category_id\": 3, \"bbox\": [1, 1, 2, 2]}");
        ImportBatch b = CocoImporter.read(f, project);
        assertEquals(List.of("cat", "dog"), b.labels());
        assertEquals(1, b.warnings().size());
        assertTrue(b.warnings().get(0).contains("annotations[3] (id 4): no segmentation"), b.warnings().get(0));
        ImportedImage a = b.images().get(0);
        assertEquals("a.jpg", a.path(), "file_name found in the project folder, not beside the COCO file");
        assertEquals("dog", a.objects().get(0).label());
        assertEquals(rect(40, 30, 2, 3, 12, 14), a.objects().get(0).mask());
        assertEquals(rect(40, 30, 2, 3, 12, 14), a.objects().get(1).mask());
        assertEquals(rect(20, 10, 0, 0, 5, 5), b.images().get(1).objects().get(0).mask());
    }

    @Test
    void cocoBadInputNamesTheFileAndTheAnnotation() throws IOException {
        Path f = write("coco/instances.json", "{\"images\": [\n{\"id\": 1,}\n]}");
        ImportException json = assertThrows(ImportException.class, () -> CocoImporter.read(f, project));
        assertTrue(json.getMessage().startsWith(f + ", line 2, column "), json.getMessage());

        coco("{\"id\": 5, \"image_id\": 1, \"category_id\": 3, \"segmentation\": [[2,3,12,3]]}");
        assertEquals(f + ": annotations[0] (id 5): segmentation polygon 0 has 2 points (4 numbers); a polygon needs at least 3",
                assertThrows(ImportException.class, () -> CocoImporter.read(f, project)).getMessage());

        coco("{\"id\": 5, \"image_id\": 1, \"category_id\": 3, \"segmentation\": {\"size\": [30, 40], \"counts\": [100, 1000, 200]}}");
        ImportException overflow = assertThrows(ImportException.class, () -> CocoImporter.read(f, project));
        assertTrue(overflow.getMessage().startsWith(f + ": annotations[0] (id 5): RLE counts overflow the 30x40 mask"), overflow.getMessage());

        coco("{\"id\": 5, \"image_id\": 1, \"category_id\": 3, \"segmentation\": {\"size\": [40, 30], \"counts\": [1200]}}");
        assertTrue(assertThrows(ImportException.class, () -> CocoImporter.read(f, project)).getMessage()
                .contains("RLE size [40, 30] does not match the image's 30x40"));

        coco("{\"id\": 5, \"image_id\": 1, \"category_id\": 4, \"segmentation\": [[2,3,12,3,5,5]]}");
        assertTrue(assertThrows(ImportException.class, () -> CocoImporter.read(f, project)).getMessage()
                .contains("category_id 4 is not in \"categories\""));

        write("coco/instances.json", "{\"images\": [{\"id\": 1, \"file_name\": \"a.jpg\", \"width\": -40, \"height\": 30}], "
                + CATEGORIES + ", \"annotations\": []}");
        assertEquals(f + ": images[0] ('a.jpg'): \"width\" must be a positive number of pixels, found -40",
                assertThrows(ImportException.class, () -> CocoImporter.read(f, project)).getMessage());

        write("coco/instances.json", "{\"images\": [{\"id\": 1, \"file_name\": \"gone.jpg\", \"width\": 40, \"height\": 30}], "
                + CATEGORIES + ", \"annotations\": []}");
        ImportException missing = assertThrows(ImportException.class, () -> CocoImporter.read(f, project));
        assertTrue(missing.getMessage().startsWith(f + ": images[0] ('gone.jpg'): image 'gone.jpg' is missing"), missing.getMessage());

        write("coco/instances.json", "{\"images\": [{\"id\": 1, \"file_name\": \"/etc/hostname\", \"width\": 40, \"height\": 30}], "
                + CATEGORIES + ", \"annotations\": []}");
        assertTrue(assertThrows(ImportException.class, () -> CocoImporter.read(f, project)).getMessage()
                .contains("outside the project folder"));
    }

    @Test
    void importIsAllOrNothingAndChecksSizesAgainstTheProject() throws IOException {
        write("a.json", labelMe("a.jpg", 40, 30, shape("cat", "[[2,3],[12,3],[12,14]]", "null", "polygon")));
        write("sub/b.json", labelMe("b.png", 20, 10, shape("cat", "[[2,3]]", "null", "polygon")));
        Project p = Project.create(project);
        ProjectSnapshot before = p.snapshot();
        assertThrows(ImportException.class, () -> LabelMeImporter.read(project, project).applyTo(p));
        assertEquals(before, p.snapshot(), "the good first file was not half-imported");

        p.addImage("a.jpg", 41, 30);
        Files.delete(project.resolve("sub/b.json"));
        ImportBatch b = LabelMeImporter.read(project, project);
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class, () -> b.applyTo(p));
        assertTrue(size.getMessage().contains("a.jpg is 41x30 in the project but 40x30"), size.getMessage());
        assertTrue(p.labels().isEmpty(), "nothing applied after a failed check");
    }

    @Test
    void aPlannedImportIsOneEditThatUndoTakesBackWhole() throws IOException {
        write("a.json", labelMe("a.jpg", 40, 30, String.join(",",
                shape("cat", "[[2,3],[12,3],[12,14],[2,14]]", "null", "polygon"),
                shape("bird", "[[20,20],[24,20],[24,24]]", "null", "polygon"))));
        write("sub/b.json", labelMe("b.png", 20, 10, shape("dog", "[[0,0],[5,0],[5,5],[0,5]]", "null", "polygon")));
        Project p = Project.create(project);
        p.insertLabel(0, new org.robustsam.studio.annotate.project.Label("cat", "#123456"));
        p.addImage("a.jpg", 40, 30);
        p.insertObject("a.jpg", 0, AnnotatedObject.manual(p.allocateObjectId(), "cat", rect(40, 30, 0, 0, 2, 2)));
        ProjectSnapshot before = p.snapshot();

        ImportBatch.Plan plan = ImportFormat.LABELME.read(project, project).plan(p);
        assertEquals(before.labels(), p.snapshot().labels(), "planning changes nothing");
        assertEquals(before.images(), p.snapshot().images(), "planning changes nothing");
        assertEquals(new ImportSummary(2, 1, 3, 2, List.of()), plan.summary(), "bird and dog are new, cat exists; sub/b.png is new");

        org.robustsam.studio.annotate.edit.UndoStack stack = new org.robustsam.studio.annotate.edit.UndoStack(p);
        stack.execute(plan.edit());
        ProjectSnapshot after = p.snapshot();
        assertEquals(List.of("cat", "bird", "dog"), p.labels().stream().map(l -> l.name()).toList());
        assertEquals(List.of("cat", "cat", "bird"), p.image("a.jpg").orElseThrow().objects().stream().map(o -> o.label()).toList(),
                "imported objects go on top of the existing one");
        assertEquals(rect(40, 30, 2, 3, 12, 14), p.image("a.jpg").orElseThrow().objects().get(1).mask());
        assertEquals(1, p.image("sub/b.png").orElseThrow().objects().size());
        assertEquals(1, stack.undoSize(), "the whole import is one undo step");

        assertTrue(stack.undo());
        ProjectSnapshot undone = p.snapshot();
        assertEquals(before.labels(), undone.labels());
        assertEquals(before.images(), undone.images(), "objects, the new image and the new labels are gone");
        assertTrue(stack.redo());
        assertEquals(after, p.snapshot(), "redo brings back the same objects with the same ids");
    }

    @Test
    void vocImportReadsInstancesWithTheirMajorityClass() throws IOException {
        Project p = FormatFixtures.twoImagesOnDisk(project);
        Path out = dir.resolve("voc");
        VocExporter.export(p.snapshot(), out);
        ImportBatch b = VocImporter.read(out, project);
        assertEquals(List.of("cat", "dog"), b.labels());
        for (ImageRecord img : p.images()) {
            ImportedImage back = b.images().stream().filter(i -> i.path().equals(img.path())).findFirst().orElseThrow();
            assertEquals(img.objects().stream().map(AnnotatedObject::label).toList(), back.objects().stream().map(ImportedObject::label).toList());
            for (int k = 0; k < img.objects().size(); k++) {
                assertEquals(img.objects().get(k).mask(), back.objects().get(k).mask());
            }
        }
        Files.delete(project.resolve("sub/b.png"));
        ImportException missing = assertThrows(ImportException.class, () -> VocImporter.read(out, project));
        assertTrue(missing.getMessage().contains("missing image: no image named 'b.*'"), missing.getMessage());
    }
}
