package org.robustsam.studio.image;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Pattern;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads photos from disk into upright {@link RgbImage}s, with a clear error for anything it cannot
 * read. Headers are checked before decoding so a 30000x20000 header on a tiny file is refused
 * instead of allocating gigabytes.
 */
public final class ImageLoader {
    /** Default ceiling: 20000 x 15000 (300 MP) still opens; beyond that the file is refused. */
    public static final long DEFAULT_MAX_PIXELS = 320_000_000L;

    /**
     * Peak bytes per pixel while opening: the decoder's raster (up to 4 bytes for 8-bit RGBA) plus the
     * packed RGB copy (4). An image whose peak cannot fit in the heap at all is refused up front.
     */
    static final long PEAK_BYTES_PER_PIXEL = 8;

    /**
     * No codec packs more than about a thousand pixels into a byte, even of a single flat colour
     * (deflate tops out near 1032:1); a header claiming a hundred times more than that over the file's
     * size is a damaged or hostile file, refused before its pixels are allocated.
     */
    static final long MAX_PIXELS_PER_BYTE = 100_000;
    /** Below this the check above is pointless: decoding is cheap whatever the file says. */
    private static final long SMALL_PIXELS = 1L << 20;

    /** Decoder warnings that mean pixels are missing or made up. */
    private static final Pattern DAMAGE = Pattern.compile(
            "(?i)corrupt (jpeg )?data|premature end|truncated|bad huffman|unexpected end of (file|data|stream)");
    /** ...except a missing end marker alone: every pixel was read. */
    private static final Pattern HARMLESS = Pattern.compile("(?i)missing EOI");

    private final long maxPixels;

    public ImageLoader() {
        this(DEFAULT_MAX_PIXELS);
    }

    public ImageLoader(long maxPixels) {
        this.maxPixels = maxPixels;
        ImageIO.scanForPlugins();
    }

    /** Size and format from the file header, without decoding pixels. */
    public ImageHeader readHeader(Path file) throws ImageLoadException {
        checkRegularFile(file);
        try (ImageInputStream in = open(file)) {
            ImageReader reader = firstReader(file, in);
            try {
                reader.setInput(in, true, true);
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                if (w <= 0 || h <= 0) {
                    throw new ImageLoadException(file, "header gives an empty size " + w + "x" + h);
                }
                return new ImageHeader(w, h, reader.getFormatName().toLowerCase(java.util.Locale.ROOT));
            } finally {
                reader.dispose();
            }
        } catch (ImageLoadException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new ImageLoadException(file, "unreadable image header (" + describe(e) + ")", e);
        }
    }

    /**
     * Decodes the first frame, converts to 8-bit RGB and applies the EXIF orientation. A file the
     * decoder finds cut short or corrupt is refused rather than shown with a grey or smeared part
     * (decoders fill what is missing and only warn), since masks drawn on such a picture would be
     * masks of a picture that does not exist.
     */
    public RgbImage load(Path file) throws ImageLoadException {
        ImageHeader header = readHeader(file);
        if (header.pixels() > maxPixels) {
            throw new ImageLoadException(file, String.format(
                    "image is %d x %d (%.0f megapixels), more than the %.0f megapixels this app opens",
                    header.width(), header.height(), header.pixels() / 1e6, maxPixels / 1e6));
        }
        long fileBytes = sizeOf(file);
        if (header.pixels() > SMALL_PIXELS && header.pixels() / Math.max(1, fileBytes) > MAX_PIXELS_PER_BYTE) {
            // Decoding would allocate the whole picture before finding the data missing.
            throw new ImageLoadException(file, String.format("the header says %d x %d but the file is only %,d bytes, far too"
                    + " small to hold that picture (truncated or damaged)", header.width(), header.height(), fileBytes));
        }
        long needed = header.pixels() * PEAK_BYTES_PER_PIXEL;
        long heap = Runtime.getRuntime().maxMemory();
        if (needed > heap) {
            throw new ImageLoadException(file, String.format(
                    "image is %d x %d (%.0f megapixels); opening it needs about %d MB of memory, more than the %d MB"
                            + " this app may use on this computer",
                    header.width(), header.height(), header.pixels() / 1e6, needed >> 20, heap >> 20));
        }
        List<String> damage = new ArrayList<>();
        RgbImage rgb;
        try (ImageInputStream in = open(file)) {
            ImageReader reader = firstReader(file, in);
            try {
                reader.addIIOReadWarningListener((source, warning) -> {
                    if (warning != null && DAMAGE.matcher(warning).find() && !HARMLESS.matcher(warning).find()) {
                        damage.add(warning);
                    }
                });
                reader.setInput(in, true, true);
                BufferedImage decoded = reader.read(0);
                if (decoded == null) {
                    throw new ImageLoadException(file, "decoder returned no image");
                }
                if (!damage.isEmpty()) {
                    throw new ImageLoadException(file, "the " + header.format() + " data is truncated or corrupt ("
                            + String.join("; ", damage) + "); only part of the picture could be read");
                }
                rgb = RgbImage.fromBufferedImage(decoded);
            } finally {
                reader.dispose();
            }
        } catch (ImageLoadException e) {
            throw e;
        } catch (OutOfMemoryError e) {
            throw new ImageLoadException(file, String.format("not enough free memory to open %d x %d (%.0f megapixels);"
                    + " close other photos or windows and try again", header.width(), header.height(), header.pixels() / 1e6));
        } catch (IIOException e) {
            throw new ImageLoadException(file, "corrupt or truncated " + header.format() + " data (" + describe(e) + ")", e);
        } catch (IOException | RuntimeException e) {
            throw new ImageLoadException(file, "cannot decode " + header.format() + " data (" + describe(e) + ")", e);
        }
        int orientation = ExifOrientation.read(file);
        return ExifOrientation.apply(rgb, orientation);
    }

    private static long sizeOf(Path file) throws ImageLoadException {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new ImageLoadException(file, "cannot read file size (" + describe(e) + ")", e);
        }
    }

    private static ImageInputStream open(Path file) throws ImageLoadException {
        try {
            return new ChannelImageInputStream(file);
        } catch (IOException e) {
            throw new ImageLoadException(file, "cannot be opened for reading (" + describe(e) + ")", e);
        }
    }

    private static void checkRegularFile(Path file) throws ImageLoadException {
        if (!Files.exists(file)) {
            if (Files.isSymbolicLink(file)) {
                throw new ImageLoadException(file, "is a symbolic link that leads nowhere (to a missing file, or in a loop)");
            }
            throw new ImageLoadException(file, "file does not exist");
        }
        if (Files.isDirectory(file)) {
            throw new ImageLoadException(file, "is a folder, not an image file");
        }
        if (!Files.isReadable(file)) {
            throw new ImageLoadException(file, "permission denied");
        }
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new ImageLoadException(file, "cannot read file size (" + describe(e) + ")", e);
        }
        if (size == 0) {
            throw new ImageLoadException(file, "file is empty (0 bytes)");
        }
    }

    private static ImageReader firstReader(Path file, ImageInputStream in) throws ImageLoadException {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        if (!readers.hasNext()) {
            throw new ImageLoadException(file, "not a supported image format (jpg, png, tiff, webp, bmp)");
        }
        return readers.next();
    }

    private static String describe(Throwable e) {
        if (e instanceof java.io.EOFException) {
            return "the file ends before the image data does";
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
