package org.robustsam.studio.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files as cameras and other tools write them, made by Pillow: a CMYK JPEG, EXIF-rotated JPEGs and a
 * 16-bit PNG. They must open upright and in the right colours.
 */
class ImageLoaderPhotoFormatsTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void makeFiles() throws Exception {
        Path python = Path.of("/usr/bin/python3");
        assumeTrue(Files.isExecutable(python), "skipped: /usr/bin/python3 (Debian, with Pillow) not found");
        String script = String.join("\n",
                "import sys",
                "from PIL import Image",
                "d = sys.argv[1]",
                "im = Image.new('RGB', (40, 20), (0, 0, 255))",
                "for x in range(20):",
                "    for y in range(10):",
                "        im.putpixel((x, y), (255, 0, 0))",  // red top-left quarter, blue elsewhere
                "im.convert('CMYK').save(d + '/cmyk.jpg', quality=95)",
                "for o in (3, 6, 8):",
                "    ex = Image.Exif(); ex[0x0112] = o",
                "    im.save(d + '/exif%d.jpg' % o, quality=95, exif=ex.tobytes())",
                "g = Image.new('I;16', (8, 4), 0); g.putpixel((7, 3), 65535); g.save(d + '/deep16.png')");
        Process p = new ProcessBuilder(python.toString(), "-c", script, dir.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assumeTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "skipped: Pillow could not write the test files: " + out);
    }

    private static boolean reddish(int rgb) {
        return ((rgb >> 16) & 0xFF) > 180 && (rgb & 0xFF) < 90;
    }

    private static boolean bluish(int rgb) {
        return (rgb & 0xFF) > 180 && ((rgb >> 16) & 0xFF) < 90;
    }

    @Test
    void cmykJpegOpensInTheRightColours() throws Exception {
        RgbImage img = new ImageLoader().load(dir.resolve("cmyk.jpg"));
        assertEquals(40, img.width());
        assertTrue(reddish(img.rgb(5, 5)), Integer.toHexString(img.rgb(5, 5)));
        assertTrue(bluish(img.rgb(35, 15)), Integer.toHexString(img.rgb(35, 15)));
    }

    @Test
    void exifRotatedJpegsOpenUpright() throws Exception {
        ImageLoader loader = new ImageLoader();
        RgbImage r180 = loader.load(dir.resolve("exif3.jpg"));
        assertEquals(40, r180.width());
        assertTrue(reddish(r180.rgb(35, 15)), "orientation 3: the red corner moves to the bottom right");
        RgbImage cw = loader.load(dir.resolve("exif6.jpg"));
        assertEquals(20, cw.width());
        assertEquals(40, cw.height());
        assertTrue(reddish(cw.rgb(15, 5)), "orientation 6: rotated clockwise, red at the top right");
        RgbImage ccw = loader.load(dir.resolve("exif8.jpg"));
        assertEquals(20, ccw.width());
        assertTrue(reddish(ccw.rgb(5, 35)), "orientation 8: rotated counter-clockwise, red at the bottom left");
    }

    @Test
    void sixteenBitGrayPngKeepsItsRange() throws Exception {
        RgbImage img = new ImageLoader().load(dir.resolve("deep16.png"));
        assertEquals(0xFFFFFF, img.rgb(7, 3));
        assertEquals(0, img.rgb(0, 0));
    }
}
