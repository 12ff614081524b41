package org.robustsam.studio.hardening;

import static org.robustsam.studio.hardening.Colors.check;
import static org.robustsam.studio.hardening.Colors.corners;
import static org.robustsam.studio.hardening.Colors.name;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import org.robustsam.studio.annotate.FolderException;
import org.robustsam.studio.annotate.PhotoEntry;
import org.robustsam.studio.annotate.PhotoFolder;
import org.robustsam.studio.hardening.HardeningCase.EntryPoint;
import org.robustsam.studio.image.ImageLoadException;
import org.robustsam.studio.image.ImageLoader;
import org.robustsam.studio.image.RgbImage;

/**
 * Photos as they come off cameras, phones, scanners and broken disks, each through
 * {@link ImageLoader#load} (what the canvas, the embedder and every batch tool call), plus the folder
 * listing ({@link PhotoFolder}). A photo either opens upright and in the right colours, or is refused
 * with a message naming it.
 */
final class ImageCorpus {
    private static final int W = 40;
    private static final int H = 20;
    private static final int RED = 0xFF0000;
    private static final int GREEN = 0x00FF00;
    private static final int BLUE = 0x0000FF;
    private static final int WHITE = 0xFFFFFF;
    /** An expected pixel whose colour is not defined. */
    private static final int ANY = -1;

    private final Path dir;
    private final ImageLoader loader = new ImageLoader();
    private final CaseList cases = new CaseList(EntryPoint.IMAGE, Duration.ofSeconds(20),
            Set.of(ImageLoadException.class, FolderException.class));

    private ImageCorpus(Path dir) {
        this.dir = dir;
    }

    static List<HardeningCase> build(Path dir) throws Exception {
        Files.createDirectories(dir);
        ImageCorpus c = new ImageCorpus(dir);
        c.empty();
        c.truncated();
        c.wrongExtension();
        c.adobeJpegs();
        c.pngVariants();
        c.exifOrientations();
        c.tiny();
        c.hugeHeaders();
        c.animationsAndPages();
        c.notFiles();
        c.names();
        c.folder();
        return c.cases.cases();
    }

    /** Red top-left, green top-right, blue bottom-left, white bottom-right. */
    static BufferedImage quad(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean left = x < w / 2;
                boolean top = y < h / 2;
                img.setRGB(x, y, top ? (left ? RED : GREEN) : (left ? BLUE : WHITE));
            }
        }
        return img;
    }

    static byte[] encode(BufferedImage img, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(img, format, out)) {
            throw new IOException("no writer for " + format);
        }
        return out.toByteArray();
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path f = dir.resolve(name);
        Files.createDirectories(f.getParent());
        Files.write(f, bytes);
        return f;
    }

    private void rejects(String what, Path file) {
        cases.rejects(what + " (" + file.getFileName() + ")", file, List.of(file), () -> loader.load(file));
    }

    private void rejects(String what, Path file, String mustSay) {
        cases.rejects(what + " (" + file.getFileName() + ")", file, mustSay, List.of(file), () -> loader.load(file));
    }

    /** Must open as the quad pattern at {@code w x h}, corners in the given colours. */
    private void opensAs(String what, Path file, int w, int h, String corners) {
        cases.handles(what + " (" + file.getFileName() + ")", List.of(file), () -> {
            RgbImage img = loader.load(file);
            check(img.width() == w && img.height() == h, "size " + img.width() + "x" + img.height() + ", expected " + w + "x" + h);
            check(corners(img).equals(corners), "corners " + corners(img) + ", expected " + corners);
        });
    }

    private void empty() throws IOException {
        for (String name : List.of("empty.jpg", "empty.png", "empty.tif", "empty.webp")) {
            rejects("zero bytes", write("empty/" + name, new byte[0]), "empty");
        }
    }

    private void truncated() throws IOException {
        BufferedImage noise = new BufferedImage(128, 96, BufferedImage.TYPE_INT_RGB);
        Random rng = new Random(11);
        for (int y = 0; y < 96; y++) {
            for (int x = 0; x < 128; x++) {
                noise.setRGB(x, y, rng.nextInt(0x1000000));
            }
        }
        byte[] jpg = JpegBytes.encode(noise, 0.9f);
        Path fullJpg = write("truncated/full.jpg", jpg);
        for (int cut : offsets(jpg.length, 1, 2, 4, 10, 20, 100, 300)) {
            rejects("JPEG cut at byte " + cut + " of " + jpg.length, write("truncated/jpeg-" + cut + ".jpg", Arrays.copyOf(jpg, cut)));
        }
        // Only the end-of-image marker missing: every pixel is there, so it must open exactly as the whole file.
        Path noEoi = write("truncated/jpeg-no-eoi.jpg", Arrays.copyOf(jpg, jpg.length - 2));
        cases.handles("JPEG without its end marker, all data present", List.of(noEoi, fullJpg), () -> {
            RgbImage whole = loader.load(fullJpg);
            RgbImage cut = loader.load(noEoi);
            check(Arrays.equals(whole.pixels(), cut.pixels()), "pixels differ from the whole file's");
        });

        byte[] png = encode(noise, "png");
        Path fullPng = write("truncated/full.png", png);
        for (int cut : offsets(png.length, 1, 8, 16, 33, 60)) {
            rejects("PNG cut at byte " + cut + " of " + png.length, write("truncated/png-" + cut + ".png", Arrays.copyOf(png, cut)));
        }
        Path noIend = write("truncated/png-no-iend.png", Arrays.copyOf(png, png.length - 12));
        cases.handles("PNG without its IEND chunk, all data present", List.of(noIend, fullPng), () -> {
            RgbImage whole = loader.load(fullPng);
            RgbImage cut = loader.load(noIend);
            check(Arrays.equals(whole.pixels(), cut.pixels()), "pixels differ from the whole file's");
        });
        // A flipped byte in the middle of the compressed data.
        byte[] flipped = png.clone();
        flipped[png.length / 2] ^= 0x5a;
        rejects("PNG with a damaged byte in its image data", write("truncated/png-flipped.png", flipped));

        for (String format : List.of("bmp", "gif", "tiff")) {
            byte[] whole = encode(noise, format);
            for (double f : new double[] {0.1, 0.5, 0.9}) {
                int cut = (int) (whole.length * f);
                rejects(format.toUpperCase() + " cut at " + (int) (f * 100) + "%",
                        write("truncated/" + format + "-" + cut + "." + format, Arrays.copyOf(whole, cut)));
            }
        }
    }

    /** The absolute offsets given plus 25, 50, 75, 90 and 99 percent of {@code length}. */
    private static int[] offsets(int length, int... absolute) {
        return Stream.concat(Arrays.stream(absolute).boxed(),
                        Stream.of(0.25, 0.5, 0.75, 0.9, 0.99).map(f -> (int) (length * f)))
                .mapToInt(Integer::intValue).filter(n -> n > 0 && n < length).distinct().sorted().toArray();
    }

    private void wrongExtension() throws IOException {
        BufferedImage q = quad(W, H);
        opensAs("PNG named .jpg", write("ext/png-named.jpg", encode(q, "png")), W, H, "RGBW");
        opensAs("JPEG named .png", write("ext/jpeg-named.png", JpegBytes.encode(q, 0.95f)), W, H, "RGBW");
        opensAs("TIFF named .png", write("ext/tiff-named.png", encode(q, "tiff")), W, H, "RGBW");
        opensAs("BMP named .jpg", write("ext/bmp-named.jpg", encode(q, "bmp")), W, H, "RGBW");
        opensAs("PNG named .webp", write("ext/png-named.webp", encode(q, "png")), W, H, "RGBW");
        rejects("text named .jpg", write("ext/notes.jpg", "shopping list: milk, eggs\n".getBytes(StandardCharsets.UTF_8)));
        rejects("HTML error page named .png", write("ext/download.png",
                "<!DOCTYPE html><html><body>404 Not Found</body></html>".getBytes(StandardCharsets.UTF_8)));
        rejects("PDF named .jpg", write("ext/scan.jpg", "%PDF-1.7\n%\u00e2\u00e3\n1 0 obj\n".getBytes(StandardCharsets.ISO_8859_1)));
        rejects("zip named .png", write("ext/archive.png", new byte[] {'P', 'K', 3, 4, 20, 0, 0, 0, 8, 0}));
        byte[] noise = new byte[4096];
        new Random(3).nextBytes(noise);
        noise[0] = 0x13;
        rejects("random bytes named .jpg", write("ext/random.jpg", noise));
        byte[] soiGarbage = noise.clone();
        soiGarbage[0] = (byte) 0xFF;
        soiGarbage[1] = (byte) 0xD8;
        soiGarbage[2] = (byte) 0xFF;
        soiGarbage[3] = (byte) 0x13;
        rejects("JPEG start marker then garbage", write("ext/soi-garbage.jpg", soiGarbage));
        rejects("PNG signature only", write("ext/signature.png", PngBytes.SIGNATURE));
        rejects("WebP RIFF header over garbage", write("ext/broken.webp",
                concat("RIFF\u0010\0\0\0WEBPVP8 ".getBytes(StandardCharsets.ISO_8859_1), Arrays.copyOf(noise, 64))));
    }

    private void adobeJpegs() throws IOException {
        int[][][] inverted = new int[H][W][];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                boolean red = x < W / 2 && y < H / 2;
                // Adobe stores CMYK inverted: 255 means no ink. Red = magenta + yellow; blue = cyan + magenta.
                int[] ink = red ? new int[] {0, 255, 255, 0} : new int[] {255, 255, 0, 0};
                inverted[y][x] = new int[] {255 - ink[0], 255 - ink[1], 255 - ink[2], 255 - ink[3]};
            }
        }
        for (int transform : new int[] {0, 2}) {
            String kind = transform == 0 ? "cmyk" : "ycck";
            Path f = write("adobe/" + kind + ".jpg", JpegBytes.adobe(inverted, transform));
            cases.handles(kind.toUpperCase() + " JPEG with an Adobe APP14 marker (" + f.getFileName() + ")", List.of(f), () -> {
                RgbImage img = loader.load(f);
                check(img.width() == W && img.height() == H, "size " + img.width() + "x" + img.height());
                check(name(img.rgb(5, 5)).equals("R"), "top-left should be red, is " + Integer.toHexString(img.rgb(5, 5)));
                check(name(img.rgb(35, 15)).equals("B"), "bottom-right should be blue, is " + Integer.toHexString(img.rgb(35, 15)));
            });
        }
    }

    /** Hand-built PNGs in every colour type and bit depth; expected pixels written out. */
    private void pngVariants() throws IOException {
        // 16-bit RGB: full red, half grey, black, white.
        png("16-bit RGB", "rgb16", 2, 16, new int[][][] {{{65535, 0, 0}, {0x8080, 0x8080, 0x8080}}, {{0, 0, 0}, {65535, 65535, 65535}}},
                null, null, RED, 0x808080, 0, WHITE);
        png("16-bit RGBA, transparent pixel over white", "rgba16", 6, 16,
                new int[][][] {{{65535, 0, 0, 65535}, {0, 0, 65535, 0}}, {{0, 65535, 0, 65535}, {0, 0, 0, 65535}}},
                null, null, RED, WHITE, GREEN, 0);
        png("16-bit grey", "gray16", 0, 16, new int[][][] {{{65535}, {0x8080}}, {{0}, {0x4040}}}, null, null,
                WHITE, 0x808080, 0, 0x404040);
        png("16-bit grey + alpha", "gray-alpha16", 4, 16, new int[][][] {{{0, 65535}, {0, 0}}, {{65535, 65535}, {0x8080, 65535}}},
                null, null, 0, WHITE, WHITE, 0x808080);
        png("8-bit grey + alpha", "gray-alpha8", 4, 8, new int[][][] {{{0, 255}, {0, 0}}, {{255, 255}, {128, 255}}},
                null, null, 0, WHITE, WHITE, 0x808080);
        png("8-bit RGBA, half-transparent red over white", "rgba8", 6, 8,
                new int[][][] {{{255, 0, 0, 255}, {255, 0, 0, 0}}, {{0, 0, 255, 255}, {0, 0, 0, 255}}},
                null, null, RED, WHITE, BLUE, 0);
        byte[] plte = {(byte) 255, 0, 0, 0, (byte) 255, 0, 0, 0, (byte) 255, (byte) 255, (byte) 255, (byte) 255};
        for (int depth : new int[] {1, 2, 4, 8}) {
            int[][][] idx = depth == 1
                    ? new int[][][] {{{0}, {1}}, {{1}, {0}}}
                    : new int[][][] {{{0}, {1}}, {{2}, {3}}};
            int[] expect = depth == 1 ? new int[] {RED, GREEN, GREEN, RED} : new int[] {RED, GREEN, BLUE, WHITE};
            png(depth + "-bit palette", "palette" + depth, 3, depth, idx, depth == 1 ? Arrays.copyOf(plte, 6) : plte, null, expect);
        }
        png("palette with a transparent entry (tRNS)", "palette-trns", 3, 8, new int[][][] {{{0}, {1}}, {{2}, {3}}}, plte,
                new byte[] {(byte) 255, 0}, RED, WHITE, BLUE, WHITE);
        for (int depth : new int[] {1, 2, 4}) {
            int max = (1 << depth) - 1;
            png(depth + "-bit grey", "gray" + depth, 0, depth, new int[][][] {{{0}, {max}}, {{max}, {0}}}, null, null,
                    0, WHITE, WHITE, 0);
        }
        // Palette index 7 with a four-entry palette: the spec leaves that pixel's colour undefined (browsers
        // show black, Java white); the valid pixels must still be right.
        png("palette index beyond the palette (that pixel undefined)", "palette-out-of-range", 3, 8,
                new int[][][] {{{0}, {7}}, {{2}, {3}}}, plte, null, RED, ANY, BLUE, WHITE);
        rejects("palette image without PLTE", write("png/palette-missing.png",
                PngBytes.image(3, 8, new int[][][] {{{0}, {1}}, {{2}, {3}}}, null, null)));
        rejects("bit depth 16 with a palette (not allowed)", write("png/palette16.png",
                PngBytes.image(3, 16, new int[][][] {{{0}, {1}}, {{2}, {3}}}, plte, null)));
    }

    private void png(String what, String name, int colorType, int depth, int[][][] samples, byte[] plte, byte[] trns,
                     int... expected) throws IOException {
        Path f = write("png/" + name + ".png", PngBytes.image(colorType, depth, samples, plte, trns));
        cases.handles(what + " (" + f.getFileName() + ")", List.of(f), () -> {
            RgbImage img = loader.load(f);
            check(img.width() == 2 && img.height() == 2, "size " + img.width() + "x" + img.height());
            int[] got = {img.rgb(0, 0), img.rgb(1, 0), img.rgb(0, 1), img.rgb(1, 1)};
            for (int i = 0; i < 4; i++) {
                check(expected[i] == ANY || close(got[i], expected[i]), "pixel " + i + " is " + Integer.toHexString(got[i]) + ", expected "
                        + Integer.toHexString(expected[i]));
            }
        });
    }

    /** Within 1 per channel: 16-bit to 8-bit rounding may go either way. */
    private static boolean close(int a, int b) {
        for (int s = 0; s < 24; s += 8) {
            if (Math.abs(((a >> s) & 0xff) - ((b >> s) & 0xff)) > 1) {
                return false;
            }
        }
        return true;
    }

    private void exifOrientations() throws IOException {
        byte[] jpg = JpegBytes.encode(quad(W, H), 0.95f);
        // Where the stored corners (R top-left, G top-right, B bottom-left, W bottom-right) must show,
        // per the EXIF 2.3 table: TL, TR, BL, BR of the displayed picture.
        String[] shown = {null, "RGBW", "GRWB", "WBGR", "BWRG", "RBGW", "BRWG", "WGBR", "GWRB"};
        for (int o = 1; o <= 8; o++) {
            Path f = write("exif/orientation-" + o + ".jpg", JpegBytes.insertAfterHeader(jpg, 0xE1, JpegBytes.exifOrientation(o)));
            boolean swap = o >= 5;
            opensAs("EXIF orientation " + o, f, swap ? H : W, swap ? W : H, shown[o]);
        }
        for (int o : new int[] {0, 9, 65535}) {
            opensAs("EXIF orientation " + o + " (invalid: shown as stored)",
                    write("exif/orientation-invalid-" + o + ".jpg", JpegBytes.insertAfterHeader(jpg, 0xE1, JpegBytes.exifOrientation(o))),
                    W, H, "RGBW");
        }
        opensAs("EXIF block cut short (ignored)", write("exif/exif-truncated.jpg",
                JpegBytes.insertAfterHeader(jpg, 0xE1, JpegBytes.exifTruncated())), W, H, "RGBW");
        opensAs("EXIF block of random bytes (ignored)", write("exif/exif-garbage.jpg",
                JpegBytes.insertAfterHeader(jpg, 0xE1, concat("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1), randomBytes(200, 5)))),
                W, H, "RGBW");
    }

    private void tiny() throws IOException {
        BufferedImage one = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        one.setRGB(0, 0, 0x123456);
        for (String format : List.of("png", "bmp", "tiff", "gif")) {
            Path f = write("tiny/one." + format, encode(one, format));
            int tolerance = format.equals("gif") ? 16 : 0;
            cases.handles("1x1 " + format.toUpperCase() + " (" + f.getFileName() + ")", List.of(f), () -> {
                RgbImage img = loader.load(f);
                check(img.width() == 1 && img.height() == 1, "size " + img.width() + "x" + img.height());
                int p = img.rgb(0, 0);
                for (int s = 0; s < 24; s += 8) {
                    check(Math.abs(((p >> s) & 0xff) - ((0x123456 >> s) & 0xff)) <= tolerance, "pixel " + Integer.toHexString(p));
                }
            });
        }
        Path oneJpg = write("tiny/one.jpg", JpegBytes.encode(one, 1f));
        cases.handles("1x1 JPEG (one.jpg)", List.of(oneJpg), () -> {
            RgbImage img = loader.load(oneJpg);
            check(img.width() == 1 && img.height() == 1, "size " + img.width() + "x" + img.height());
        });
        for (int[] size : new int[][] {{1, 5000}, {5000, 1}}) {
            Path f = write("tiny/line-" + size[0] + "x" + size[1] + ".png", encode(quad(size[0], size[1]), "png"));
            cases.handles(size[0] + "x" + size[1] + " PNG (" + f.getFileName() + ")", List.of(f), () -> {
                RgbImage img = loader.load(f);
                check(img.width() == size[0] && img.height() == size[1], "size " + img.width() + "x" + img.height());
            });
        }
    }

    private void hugeHeaders() throws IOException {
        rejects("PNG header claims 30000x20000, no pixel data", write("huge/header-only.png", PngBytes.headerOnly(30000, 20000)),
                "megapixels");
        rejects("PNG header claims 30000x20000 over a tiny body", write("huge/tiny-body.png",
                PngBytes.hugeHeaderTinyBody(30000, 20000)), "megapixels");
        rejects("PNG header claims 16000x16000 (under the cap) over a tiny body", write("huge/under-cap.png",
                PngBytes.hugeHeaderTinyBody(16000, 16000)), "far too small");
        rejects("JPEG frame header claims 16000x16000 (under the cap), no data", write("huge/under-cap.jpg",
                JpegBytes.headerOnly(16000, 16000)), "far too small");
        rejects("PNG header claims 2147483647x1", write("huge/wide.png", PngBytes.hugeHeaderTinyBody(Integer.MAX_VALUE, 1)));
        rejects("PNG header claims 65535x65535", write("huge/square.png", PngBytes.hugeHeaderTinyBody(65535, 65535)), "megapixels");
        rejects("PNG header claims a negative width", write("huge/negative.png", PngBytes.hugeHeaderTinyBody(0x80000010, 10)));
        rejects("PNG header claims 0x0", write("huge/zero.png", PngBytes.hugeHeaderTinyBody(0, 0)));
        rejects("JPEG frame header claims 30000x20000", write("huge/header-only.jpg", JpegBytes.headerOnly(30000, 20000)),
                "megapixels");
        rejects("JPEG frame header claims 65535x65535", write("huge/square.jpg", JpegBytes.headerOnly(65535, 65535)), "megapixels");
        rejects("JPEG frame header claims 0x0", write("huge/zero.jpg", JpegBytes.headerOnly(0, 0)));
        rejects("BMP header claims 30000x20000", write("huge/header.bmp", bmpHeader(30000, 20000)), "megapixels");
        rejects("GIF header claims 65535x65535", write("huge/header.gif", gifHeader(65535, 65535)), "megapixels");
    }

    /** A 24-bit BMP file header and info header claiming {@code w x h}, followed by 16 bytes of pixels. */
    private static byte[] bmpHeader(int w, int h) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(54 + 16).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'B').put((byte) 'M').putInt(54 + 16).putInt(0).putInt(54);
        b.putInt(40).putInt(w).putInt(h).putShort((short) 1).putShort((short) 24).putInt(0).putInt(0).putInt(2835).putInt(2835)
                .putInt(0).putInt(0);
        return b.array();
    }

    /** GIF89a with a {@code w x h} screen and one image descriptor of that size, then the trailer. */
    private static byte[] gifHeader(int w, int h) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(64).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put("GIF89a".getBytes(StandardCharsets.US_ASCII)).putShort((short) w).putShort((short) h).put((byte) 0x80).put((byte) 0)
                .put((byte) 0);
        b.put(new byte[] {0, 0, 0, (byte) 255, (byte) 255, (byte) 255}); // two-colour table
        b.put((byte) 0x2C).putShort((short) 0).putShort((short) 0).putShort((short) w).putShort((short) h).put((byte) 0);
        b.put((byte) 2).put((byte) 2).put((byte) 0x4C).put((byte) 0x01).put((byte) 0); // a few LZW bytes
        b.put((byte) 0x3B);
        return Arrays.copyOf(b.array(), b.position());
    }

    private void animationsAndPages() throws IOException {
        Path gif = write("multi/animated.gif", animatedGif());
        Path gifAsPng = write("multi/animated-named.png", Files.readAllBytes(gif));
        for (Path f : List.of(gif, gifAsPng)) {
            cases.handles("animated GIF, three frames: the first is shown (" + f.getFileName() + ")", List.of(f), () -> {
                RgbImage img = loader.load(f);
                check(img.width() == 16 && img.height() == 12, "size " + img.width() + "x" + img.height());
                check(name(img.rgb(8, 6)).equals("R"), "first frame is red, got " + Integer.toHexString(img.rgb(8, 6)));
            });
        }
        Path tiff = write("multi/two-pages.tif", multipageTiff());
        cases.handles("TIFF with two pages: the first is shown (" + tiff.getFileName() + ")", List.of(tiff), () -> {
            RgbImage img = loader.load(tiff);
            check(img.width() == W && img.height() == H, "size " + img.width() + "x" + img.height());
            check(corners(img).equals("RGBW"), "corners " + corners(img));
        });
    }

    private static byte[] animatedGif() throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.prepareWriteSequence(null);
            for (int color : new int[] {RED, GREEN, BLUE}) {
                BufferedImage frame = new BufferedImage(16, 12, BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < 12; y++) {
                    for (int x = 0; x < 16; x++) {
                        frame.setRGB(x, y, color);
                    }
                }
                ImageWriteParam param = writer.getDefaultWriteParam();
                IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(frame), param);
                IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(meta.getNativeMetadataFormatName());
                IIOMetadataNode control = new IIOMetadataNode("GraphicControlExtension");
                control.setAttribute("disposalMethod", "none");
                control.setAttribute("userInputFlag", "FALSE");
                control.setAttribute("transparentColorFlag", "FALSE");
                control.setAttribute("delayTime", "10");
                control.setAttribute("transparentColorIndex", "0");
                root.appendChild(control);
                meta.setFromTree(meta.getNativeMetadataFormatName(), root);
                writer.writeToSequence(new IIOImage(frame, null, meta), param);
            }
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    private static byte[] multipageTiff() throws IOException {
        ImageWriter writer = null;
        for (Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("tiff"); it.hasNext();) {
            ImageWriter w = it.next();
            if (w.canWriteSequence() && (writer == null || w.getClass().getName().contains("twelvemonkeys"))) {
                writer = w;
            }
        }
        if (writer == null) {
            throw new IOException("no TIFF writer that writes several pages");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.prepareWriteSequence(null);
            writer.writeToSequence(new IIOImage(quad(W, H), null, null), null);
            BufferedImage second = new BufferedImage(10, 10, BufferedImage.TYPE_INT_RGB);
            writer.writeToSequence(new IIOImage(second, null, null), null);
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    private void notFiles() throws IOException {
        Path folderJpg = Files.createDirectories(dir.resolve("links/x.jpg"));
        rejects("a folder named x.jpg", folderJpg, "folder");
        Path full = Files.createDirectories(dir.resolve("links/album.png"));
        Files.write(full.resolve("inside.png"), encode(quad(W, H), "png"));
        rejects("a folder named album.png with a photo in it", full, "folder");
        Path a = dir.resolve("links/loop-a.jpg");
        Path b = dir.resolve("links/loop-b.jpg");
        Files.createSymbolicLink(a, b.getFileName());
        Files.createSymbolicLink(b, a.getFileName());
        rejects("symbolic link loop a -> b -> a", a);
        rejects("symbolic link loop b -> a -> b", b);
        Path self = dir.resolve("links/self.jpg");
        Files.createSymbolicLink(self, self.getFileName());
        rejects("symbolic link to itself", self);
        Path dangling = dir.resolve("links/dangling.jpg");
        Files.createSymbolicLink(dangling, Path.of("gone-for-good.jpg"));
        rejects("symbolic link to a missing file", dangling);
        Path target = write("links/real.png", encode(quad(W, H), "png"));
        Path good = dir.resolve("links/good-link.png");
        Files.createSymbolicLink(good, target.getFileName());
        opensAs("symbolic link to a photo", good, W, H, "RGBW");
        Path toDir = dir.resolve("links/to-folder.jpg");
        Files.createSymbolicLink(toDir, folderJpg.getFileName());
        rejects("symbolic link to a folder", toDir, "folder");
        rejects("a file that does not exist", dir.resolve("links/never-was.jpg"));
    }

    private void names() throws Exception {
        byte[] png = encode(quad(W, H), "png");
        for (String name : List.of("фото 1.png", "写真.png", "emoji \uD83D\uDE00.png", "new\nline.png", "-rf.png",
                " leading space.png", "x".repeat(240) + ".png", "semi;colon$(id).png")) {
            opensAs("unusual but valid file name", write("names/" + name, png), W, H, "RGBW");
        }
        // Names that are not valid UTF-8, as old cameras and Windows-1252 zips leave them.
        Path raw = Files.createDirectories(dir.resolve("names-raw"));
        Process p = new ProcessBuilder("/bin/sh", "-c",
                "cd \"$1\" && cp \"$2\" \"$(printf 'photo-\\377\\376.png')\" && cp \"$2\" \"$(printf 'caf\\351.png')\""
                        + " && printf 'garbage' > \"$(printf 'broken-\\377.png')\"", "sh", raw.toString(),
                dir.resolve("names/-rf.png").toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("cannot make non-UTF-8 file names: " + log);
        }
        List<Path> listed;
        try (Stream<Path> s = Files.list(raw)) {
            listed = s.sorted().toList();
        }
        if (listed.size() != 3) {
            throw new IOException("expected 3 files with raw names, found " + listed);
        }
        for (Path f : listed) {
            if (f.toString().contains("broken")) {
                rejects("non-UTF-8 file name, not an image", f);
            } else {
                opensAs("non-UTF-8 file name", f, W, H, "RGBW");
            }
        }
    }

    private void folder() throws IOException {
        cases.handles("listing and probing every file of this corpus", List.of(dir.resolve("exif"), dir.resolve("png")), () -> {
            int broken = 0;
            int total = 0;
            try (Stream<Path> folders = Files.list(dir)) {
                for (Path f : folders.filter(Files::isDirectory).toList()) {
                    PhotoFolder folder = PhotoFolder.scan(f);
                    for (PhotoEntry e : folder.entries()) {
                        PhotoEntry probed = PhotoFolder.probe(e, loader);
                        total++;
                        if (probed.health() == PhotoEntry.Health.BROKEN) {
                            broken++;
                            check(probed.problem() != null && probed.problem().contains(e.fileName()),
                                    "broken entry without a message naming it: " + probed.problem());
                        }
                    }
                }
            }
            check(total > 100 && broken > 20, "listed " + total + " photos, " + broken + " broken");
        });
        Path nowhere = dir.resolve("no-such-folder");
        cases.rejects("open a folder that does not exist", nowhere, List.of(), () -> PhotoFolder.scan(nowhere));
        Path file = dir.resolve("png/rgb16.png");
        cases.rejects("open a file as a folder", file, List.of(file), () -> PhotoFolder.scan(file));
        Path loopDir = dir.resolve("folder-loop");
        Files.createSymbolicLink(loopDir, loopDir.getFileName());
        cases.rejects("open a folder that is a symbolic link loop", loopDir, List.of(), () -> PhotoFolder.scan(loopDir));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }
}
