package org.robustsam.studio.annotate.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.robustsam.studio.annotate.project.ProjectFixtures.rect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.robustsam.studio.annotate.mask.BinaryMask;
import org.robustsam.studio.annotate.mask.CocoRle;
import org.robustsam.studio.annotate.mask.MaskPolygons;
import org.robustsam.studio.annotate.project.AnnotatedObject;
import org.robustsam.studio.annotate.project.Label;
import org.robustsam.studio.annotate.project.Project;
import org.robustsam.studio.annotate.project.ProjectFixtures;
import org.robustsam.studio.annotate.project.ProjectSnapshot;

class AnnotExportersTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private ProjectSnapshot project() {
        return ProjectFixtures.twoImages(dir).snapshot();
    }

    @Test
    void cocoWithRleHasImagesCategoriesAreaBboxAndPycocotoolsCounts() throws IOException {
        Path out = dir.resolve("out").resolve("annotations.json");
        ExportSummary s = CocoExporter.export(project(), out, CocoExporter.Segmentation.RLE, 0.5);
        assertEquals(3, s.objects());
        JsonNode root = JSON.readTree(out.toFile());
        assertEquals(JSON.readTree("[{\"id\":1,\"file_name\":\"a.jpg\",\"width\":40,\"height\":30},"
                + "{\"id\":2,\"file_name\":\"sub/b.png\",\"width\":20,\"height\":10}]"), root.get("images"));
        assertEquals(JSON.readTree("[{\"id\":1,\"name\":\"cat\",\"supercategory\":\"object\"},"
                + "{\"id\":2,\"name\":\"dog\",\"supercategory\":\"object\"}]"), root.get("categories"));
        JsonNode cat = root.get("annotations").get(0);
        assertEquals(1, cat.get("image_id").asInt());
        assertEquals(1, cat.get("category_id").asInt());
        assertEquals(0, cat.get("iscrowd").asInt());
        assertEquals(110, cat.get("area").asInt(), "10 x 11 pixels");
        assertEquals(JSON.readTree("[2,3,10,11]"), cat.get("bbox"));
        assertEquals(JSON.readTree("[30,40]"), cat.get("segmentation").get("size"));
        assertEquals(rect(40, 30, 2, 3, 12, 14).toCompressedString(), cat.get("segmentation").get("counts").asText());
        JsonNode dog = root.get("annotations").get(1);
        assertEquals(2, dog.get("category_id").asInt());
        assertEquals(JSON.readTree("[20,5,15,20]"), dog.get("bbox"));
        assertEquals(2, root.get("annotations").get(2).get("image_id").asInt());
    }

    @Test
    void cocoUncompressedRleAndPolygons() throws IOException {
        Path rle = dir.resolve("rle.json");
        CocoExporter.export(project(), rle, CocoExporter.Segmentation.RLE_UNCOMPRESSED, 0.5);
        JsonNode counts = JSON.readTree(rle.toFile()).get("annotations").get(2).get("segmentation").get("counts");
        // 20x10 image, rectangle x 0..4, y 0..4: five columns of 5 set + 5 clear, then the rest clear.
        assertEquals(JSON.readTree("[0,5,5,5,5,5,5,5,5,5,155]"), counts);

        Path poly = dir.resolve("poly.json");
        CocoExporter.export(project(), poly, CocoExporter.Segmentation.POLYGON, 0.5);
        JsonNode cat = JSON.readTree(poly.toFile()).get("annotations").get(0);
        assertEquals(JSON.readTree("[[2,3,12,3,12,14,2,14]]"), cat.get("segmentation"), "pixel-corner outline, clockwise");
        assertEquals(110, cat.get("area").asInt());
    }

    @Test
    void yoloSegWritesClassesAndNormalisedPolygons() throws IOException {
        Path out = dir.resolve("yolo");
        YoloSegExporter.export(project(), out, 0.5);
        assertEquals("cat\ndog\n", Files.readString(out.resolve("classes.txt")));
        assertEquals(List.of(
                "0 0.050000 0.100000 0.300000 0.100000 0.300000 0.466667 0.050000 0.466667",
                "1 0.500000 0.166667 0.875000 0.166667 0.875000 0.833333 0.500000 0.833333"),
                Files.readAllLines(out.resolve("labels").resolve("a.txt")));
        assertEquals(List.of("0 0.000000 0.000000 0.250000 0.000000 0.250000 0.500000 0.000000 0.500000"),
                Files.readAllLines(out.resolve("labels").resolve("sub").resolve("b.txt")));
    }

    @Test
    void vocWritesPalettePngsWithClassAndInstanceIndices() throws IOException {
        Project p = ProjectFixtures.twoImages(dir);
        // A third object on a.jpg overlapping the dog: on top in the PNGs.
        p.insertObject("a.jpg", 2, AnnotatedObject.manual(p.allocateObjectId(), "cat", rect(40, 30, 30, 20, 40, 30)));
        Path out = dir.resolve("voc");
        ExportSummary s = VocExporter.export(p.snapshot(), out);
        assertEquals(1, s.warnings().size(), s.warnings().toString());
        assertTrue(s.warnings().get(0).contains("covers 25 pixels of earlier objects"), s.warnings().get(0));
        assertEquals("_background_\ncat\ndog\n", Files.readString(out.resolve("class_names.txt")));
        assertEquals("a\nb\n", Files.readString(out.resolve("ImageSets/Segmentation/default.txt")));

        BufferedImage cls = ImageIO.read(out.resolve("SegmentationClass/a.png").toFile());
        BufferedImage obj = ImageIO.read(out.resolve("SegmentationObject/a.png").toFile());
        IndexColorModel cm = assertInstanceOf(IndexColorModel.class, cls.getColorModel());
        assertEquals(256, cm.getMapSize());
        assertEquals(0x800000, cm.getRGB(1) & 0xFFFFFF);
        assertEquals(0x008000, cm.getRGB(2) & 0xFFFFFF);
        assertEquals(0xE0E0C0, cm.getRGB(255) & 0xFFFFFF);
        assertEquals(40, cls.getWidth());
        assertEquals(30, cls.getHeight());
        assertEquals(0, cls.getRaster().getSample(0, 0, 0));
        assertEquals(1, cls.getRaster().getSample(5, 5, 0));
        assertEquals(2, cls.getRaster().getSample(25, 10, 0));
        assertEquals(1, cls.getRaster().getSample(32, 22, 0), "the later cat covers the dog");
        assertEquals(1, obj.getRaster().getSample(5, 5, 0));
        assertEquals(2, obj.getRaster().getSample(25, 10, 0));
        assertEquals(3, obj.getRaster().getSample(32, 22, 0));
        assertEquals(0, obj.getRaster().getSample(39, 0, 0));
    }

    @Test
    void vocRefusesClashingImageNames() {
        Project p = Project.create(dir);
        p.addImage("x/a.jpg", 4, 4);
        p.addImage("y/a.png", 4, 4);
        ExportException e = assertThrows(ExportException.class, () -> VocExporter.export(p.snapshot(), dir.resolve("voc")));
        assertTrue(e.getMessage().contains("x/a.jpg and y/a.png have the same name 'a'"), e.getMessage());
    }

    @Test
    void labelMeWritesPolygonsImagePathAndGroupsForMultiPartObjects() throws IOException {
        Project p = ProjectFixtures.twoImages(dir);
        BinaryMask twoParts = rect(20, 10, 0, 0, 3, 3).decode();
        twoParts.or(rect(20, 10, 10, 5, 14, 9).decode());
        p.insertLabel(2, new Label("bird", "#000080"));
        p.insertObject("sub/b.png", 1, AnnotatedObject.manual(p.allocateObjectId(), "bird", CocoRle.encode(twoParts)));
        Path out = dir.resolve("labelme");
        LabelMeExporter.export(p.snapshot(), dir, out, 0.5);

        JsonNode a = JSON.readTree(out.resolve("a.json").toFile());
        assertEquals("../a.jpg", a.get("imagePath").asText());
        assertTrue(a.get("imageData").isNull());
        assertEquals(30, a.get("imageHeight").asInt());
        assertEquals(40, a.get("imageWidth").asInt());
        JsonNode cat = a.get("shapes").get(0);
        assertEquals("cat", cat.get("label").asText());
        assertEquals("polygon", cat.get("shape_type").asText());
        assertTrue(cat.get("group_id").isNull());
        assertEquals(JSON.readTree("[[2.0,3.0],[12.0,3.0],[12.0,14.0],[2.0,14.0]]"), cat.get("points"));

        JsonNode b = JSON.readTree(out.resolve("sub").resolve("b.json").toFile());
        assertEquals("../../sub/b.png", b.get("imagePath").asText());
        JsonNode shapes = b.get("shapes");
        assertEquals(3, shapes.size(), "cat + two parts of the bird");
        assertEquals("bird", shapes.get(1).get("label").asText());
        assertEquals(shapes.get(1).get("group_id"), shapes.get(2).get("group_id"));
        assertTrue(shapes.get(1).get("group_id").isInt());
    }

    @Test
    void labelMeRefusesToOverwriteTheProjectFile() {
        Project p = Project.create(dir);
        p.addImage("project.jpg", 4, 4);
        ExportException e = assertThrows(ExportException.class, () -> LabelMeExporter.export(p.snapshot(), dir, dir, 0.5));
        assertTrue(e.getMessage().contains("reserved for the project file"), e.getMessage());
    }

    @Test
    void defaultToleranceKeepsSmallShapesAndSimplifiesStaircases() {
        // A 45-degree staircase edge: exact outline has 2 corners per step.
        BinaryMask tri = new BinaryMask(30, 30);
        for (int y = 0; y < 30; y++) {
            tri.fillRow(y, 0, y + 1, true);
        }
        int exact = MaskPolygons.fromMask(tri, 0).get(0).size();
        int simplified = MaskPolygons.fromMask(tri, 1.0).get(0).size();
        assertEquals(62, exact, "(0,0), two corners for each of 30 steps, (0,30)");
        assertTrue(simplified <= 4, "a 1 px tolerance straightens the staircase: " + simplified);
    }
}
