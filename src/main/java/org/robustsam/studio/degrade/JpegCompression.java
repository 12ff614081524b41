package org.robustsam.studio.degrade;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.robustsam.studio.image.RgbImage;

/**
 * JPEG artefacts: the image is encoded as a baseline JPEG (4:2:0, standard tables scaled by the
 * quality, as libjpeg does) and decoded again; 8 x 8 blocking and ringing remain in the pixels.
 * Reference ({@code augment.py compression}): albumentations {@code ImageCompression(quality 5..10)}
 * through OpenCV's libjpeg. The JDK's own codec (libjpeg 6b, integer DCT) does the work here, so
 * the result is the same on every platform; quality is drawn as a real number in the range
 * (the JDK scales its tables continuously), not only the integers.
 */
public final class JpegCompression extends BaseDegradation {
    /** Quality range (libjpeg 1..100 scale) per severity 1..5; level 3 is the reference [5, 10]. */
    static final Range[] QUALITY = {
        new Range(40, 30), new Range(20, 15), new Range(10, 5), new Range(5, 3), new Range(2.5, 1)};

    public JpegCompression() {
        super("compression", "JPEG compression");
    }

    /** The JPEG quality (1..100 scale) used for this severity and seed. */
    public double quality(int severity, long seed) {
        Degradation.checkSeverity(severity);
        return quality(severity, seeds(seed));
    }

    private static double quality(int severity, Seeds seeds) {
        return Range.level(QUALITY, severity).at(seeds.params().nextDouble());
    }

    @Override
    RgbImage degrade(RgbImage image, int severity, Seeds seeds) {
        return decode(encode(image, (float) (quality(severity, seeds) / 100.0)));
    }

    /** Baseline JPEG bytes at {@code quality} in (0, 1] (ImageIO's scale). */
    static byte[] encode(RgbImage image, float quality) {
        ImageWriter writer = jdkFirst(ImageIO.getImageWritersByFormatName("jpeg"));
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream(image.pixels().length / 4 + 1024);
             MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.setOutput(out);
            writer.write(null, new IIOImage(image.toBufferedImage(), null, null), param);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("JPEG encoding failed", e);
        } finally {
            writer.dispose();
        }
    }

    static RgbImage decode(byte[] jpeg) {
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(jpeg))) {
            ImageReader reader = jdkFirst(ImageIO.getImageReadersByFormatName("jpeg"));
            try {
                reader.setInput(in, true, true);
                return RgbImage.fromBufferedImage(reader.read(0));
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("JPEG decoding failed", e);
        }
    }

    /** The JDK's codec when present (the one whose output is pinned by tests), else the first offered. */
    private static <T> T jdkFirst(Iterator<T> it) {
        T first = null;
        while (it.hasNext()) {
            T next = it.next();
            if (next.getClass().getName().startsWith("com.sun.imageio.")) {
                return next;
            }
            if (first == null) {
                first = next;
            }
        }
        if (first == null) {
            throw new IllegalStateException("no JPEG codec registered with ImageIO");
        }
        return first;
    }
}
