package org.robustsam.studio.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.robustsam.studio.testutil.Pngs;
import org.robustsam.studio.testutil.SharedData;

class ImageLoaderTest {
    @TempDir
    Path tmp;

    private final ImageLoader loader = new ImageLoader();

    @Test
    void loadsTheSharedPhotosAtTheirTrueSize() throws IOException {
        Path folder = SharedData.labelmeFolder();
        RgbImage img = loader.load(folder.resolve("2011_000003.jpg"));
        BufferedImage direct = ImageIO.read(folder.resolve("2011_000003.jpg").toFile());
        assertEquals(direct.getWidth(), img.width());
        assertEquals(direct.getHeight(), img.height());
        assertEquals(direct.getRGB(10, 20) & 0xFFFFFF, img.rgb(10, 20));
        ImageHeader header = loader.readHeader(folder.resolve("2011_000003.jpg"));
        assertEquals(img.width(), header.width());
        assertEquals("jpeg", header.format());
    }

    @Test
    void zeroByteFileIsNamedAndCalledEmpty() throws IOException {
        Path f = Files.createFile(tmp.resolve("empty.jpg"));
        ImageLoadException e = assertThrows(ImageLoadException.class, () -> loader.load(f));
        assertEquals("empty.jpg: file is empty (0 bytes)", e.getMessage());
    }

    @Test
    void truncatedJpegGivesAClearErrorAtSeveralOffsets() throws IOException {
        Path folder = SharedData.labelmeFolder();
        byte[] full = Files.readAllBytes(folder.resolve("2011_000025.jpg"));
        for (int cut : new int[] {2, 20, 300}) {
            Path f = tmp.resolve("cut" + cut + ".jpg");
            Files.write(f, Arrays.copyOf(full, cut));
            ImageLoadException e = assertThrows(ImageLoadException.class, () -> loader.load(f), "cut at " + cut);
            assertTrue(e.getMessage().startsWith("cut" + cut + ".jpg: "), e.getMessage());
        }
    }

    @Test
    void randomBytesAreNotAnImage() throws IOException {
        byte[] noise = new byte[4096];
        new Random(1).nextBytes(noise);
        Path f = tmp.resolve("noise.png");
        Files.write(f, noise);
        ImageLoadException e = assertThrows(ImageLoadException.class, () -> loader.load(f));
        assertTrue(e.getMessage().contains("noise.png") && e.getMessage().contains("not a supported image format"), e.getMessage());
    }

    @Test
    void aFolderNamedLikeAnImageIsRefused() throws IOException {
        Path d = Files.createDirectory(tmp.resolve("x.jpg"));
        ImageLoadException e = assertThrows(ImageLoadException.class, () -> loader.load(d));
        assertEquals("x.jpg: is a folder, not an image file", e.getMessage());
    }

    @Test
    void hugeHeaderOverATinyBodyIsRefusedBeforeDecoding() throws IOException {
        Path f = tmp.resolve("huge.png");
        Files.write(f, Pngs.headerOnly(30000, 20000));
        assertEquals(new ImageHeader(30000, 20000, "png"), loader.readHeader(f));
        ImageLoadException e = assertThrows(ImageLoadException.class, () -> loader.load(f));
        assertTrue(e.getMessage().contains("30000 x 20000") && e.getMessage().contains("600 megapixels"), e.getMessage());
    }

    @Test
    void grayscaleSixteenBitAndAlphaPngsBecomeRgb() throws IOException {
        BufferedImage gray = new BufferedImage(4, 3, BufferedImage.TYPE_BYTE_GRAY);
        gray.getRaster().setSample(1, 2, 0, 200);
        ImageIO.write(gray, "png", tmp.resolve("gray.png").toFile());
        RgbImage g = loader.load(tmp.resolve("gray.png"));
        assertEquals(4, g.width());
        int p = g.rgb(1, 2);
        assertEquals((p >> 16) & 0xFF, p & 0xFF, "gray must stay neutral");
        assertTrue((p & 0xFF) > 150, "bright gray pixel kept bright: " + Integer.toHexString(p));

        BufferedImage deep = new BufferedImage(5, 5, BufferedImage.TYPE_USHORT_GRAY);
        deep.getRaster().setSample(3, 3, 0, 65535);
        ImageIO.write(deep, "png", tmp.resolve("deep.png").toFile());
        RgbImage d = loader.load(tmp.resolve("deep.png"));
        assertEquals(0xFFFFFF, d.rgb(3, 3));
        assertEquals(0x000000, d.rgb(0, 0));

        BufferedImage alpha = new BufferedImage(2, 2, BufferedImage.TYPE_INT_ARGB);
        alpha.setRGB(0, 0, 0x00000000); // fully transparent: composited over white
        alpha.setRGB(1, 0, 0xFFFF0000);
        ImageIO.write(alpha, "png", tmp.resolve("alpha.png").toFile());
        RgbImage a = loader.load(tmp.resolve("alpha.png"));
        assertEquals(0xFFFFFF, a.rgb(0, 0));
        assertEquals(0xFF0000, a.rgb(1, 0));
    }

    @Test
    void onePixelImageLoads() throws IOException {
        BufferedImage one = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        one.setRGB(0, 0, 0x123456);
        ImageIO.write(one, "png", tmp.resolve("one.png").toFile());
        RgbImage img = loader.load(tmp.resolve("one.png"));
        assertEquals(1, img.width());
        assertEquals(0x123456, img.rgb(0, 0));
    }

    @Test
    void exifOrientationsRotateAndMirrorAsTheStandardSays() {
        // Stored 3x2 image: row 0 = a b c, row 1 = d e f.
        RgbImage src = new RgbImage(3, 2, new int[] {1, 2, 3, 4, 5, 6});
        assertArrayEquals3(src, 1, 3, 2, 1, 2, 3, 4, 5, 6);
        assertArrayEquals3(src, 2, 3, 2, 3, 2, 1, 6, 5, 4);
        assertArrayEquals3(src, 3, 3, 2, 6, 5, 4, 3, 2, 1);
        assertArrayEquals3(src, 4, 3, 2, 4, 5, 6, 1, 2, 3);
        assertArrayEquals3(src, 5, 2, 3, 1, 4, 2, 5, 3, 6);
        assertArrayEquals3(src, 6, 2, 3, 4, 1, 5, 2, 6, 3);
        assertArrayEquals3(src, 7, 2, 3, 6, 3, 5, 2, 4, 1);
        assertArrayEquals3(src, 8, 2, 3, 3, 6, 2, 5, 1, 4);
    }

    private static void assertArrayEquals3(RgbImage src, int orientation, int w, int h, int... expected) {
        RgbImage out = ExifOrientation.apply(src, orientation);
        assertEquals(w, out.width(), "width for orientation " + orientation);
        assertEquals(h, out.height(), "height for orientation " + orientation);
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, out.pixels(), "orientation " + orientation);
    }
}
