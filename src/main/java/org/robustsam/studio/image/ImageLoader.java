package org.robustsam.studio.image;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
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
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                throw new ImageLoadException(file, "cannot be opened for reading");
            }
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

    /** Decodes the first frame, converts to 8-bit RGB and applies the EXIF orientation. */
    public RgbImage load(Path file) throws ImageLoadException {
        ImageHeader header = readHeader(file);
        if (header.pixels() > maxPixels) {
            throw new ImageLoadException(file, String.format(
                    "image is %d x %d (%.0f megapixels), more than the %.0f megapixels this app opens",
                    header.width(), header.height(), header.pixels() / 1e6, maxPixels / 1e6));
        }
        BufferedImage decoded;
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            ImageReader reader = firstReader(file, in);
            try {
                reader.setInput(in, true, true);
                decoded = reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (ImageLoadException e) {
            throw e;
        } catch (OutOfMemoryError e) {
            throw new ImageLoadException(file, "not enough memory to decode " + header.width() + "x" + header.height());
        } catch (IIOException e) {
            throw new ImageLoadException(file, "corrupt or truncated " + header.format() + " data (" + describe(e) + ")", e);
        } catch (IOException | RuntimeException e) {
            throw new ImageLoadException(file, "cannot decode " + header.format() + " data (" + describe(e) + ")", e);
        }
        if (decoded == null) {
            throw new ImageLoadException(file, "decoder returned no image");
        }
        RgbImage rgb = RgbImage.fromBufferedImage(decoded);
        int orientation = ExifOrientation.read(file);
        return ExifOrientation.apply(rgb, orientation);
    }

    private static void checkRegularFile(Path file) throws ImageLoadException {
        if (!Files.exists(file)) {
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
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
