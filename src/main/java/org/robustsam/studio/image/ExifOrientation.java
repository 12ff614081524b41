package org.robustsam.studio.image;

import com.drew.imaging.ImageMetadataReader;
import com.drew.imaging.ImageProcessingException;
import com.drew.metadata.Metadata;
import com.drew.metadata.MetadataException;
import com.drew.metadata.exif.ExifIFD0Directory;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * EXIF orientation (tag 0x0112, values 1..8). Cameras store pixels as the sensor saw them and put
 * the rotation in this tag; annotators must see (and label) the photo upright, as every viewer shows it.
 */
public final class ExifOrientation {
    private ExifOrientation() {}

    /** The orientation tag of the file, 1 (upright) when absent or unreadable. */
    public static int read(Path file) {
        try {
            // Through a Path stream, not a File: names that are not valid in the system encoding still open.
            Metadata metadata;
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
                metadata = ImageMetadataReader.readMetadata(in, Files.size(file));
            }
            ExifIFD0Directory dir = metadata.getFirstDirectoryOfType(ExifIFD0Directory.class);
            if (dir != null && dir.containsTag(ExifIFD0Directory.TAG_ORIENTATION)) {
                int value = dir.getInt(ExifIFD0Directory.TAG_ORIENTATION);
                return value >= 1 && value <= 8 ? value : 1;
            }
        } catch (ImageProcessingException | IOException | MetadataException | RuntimeException e) {
            // Metadata is advisory: a broken EXIF block must not stop the image from opening.
        }
        return 1;
    }

    /**
     * Applies orientation 1..8 so the returned image is upright. Each case maps a stored pixel
     * (x, y) of a w x h image to its displayed position (values as in the EXIF 2.3 table).
     */
    public static RgbImage apply(RgbImage src, int orientation) {
        if (orientation <= 1 || orientation > 8) {
            return src;
        }
        int w = src.width();
        int h = src.height();
        boolean swap = orientation >= 5;
        int outW = swap ? h : w;
        int outH = swap ? w : h;
        int[] in = src.pixels();
        int[] out = new int[in.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int dx;
                int dy;
                switch (orientation) {
                    case 2 -> { dx = w - 1 - x; dy = y; }
                    case 3 -> { dx = w - 1 - x; dy = h - 1 - y; }
                    case 4 -> { dx = x; dy = h - 1 - y; }
                    case 5 -> { dx = y; dy = x; }
                    case 6 -> { dx = h - 1 - y; dy = x; }
                    case 7 -> { dx = h - 1 - y; dy = w - 1 - x; }
                    default -> { dx = y; dy = w - 1 - x; } // 8: rotate 90 degrees counter-clockwise
                }
                out[dy * outW + dx] = in[y * w + x];
            }
        }
        return new RgbImage(outW, outH, out);
    }
}
