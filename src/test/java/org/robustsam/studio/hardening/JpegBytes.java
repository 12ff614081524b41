package org.robustsam.studio.hardening;

import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * JPEG files for the loader's corpus: ordinary ones from ImageIO, with marker segments spliced in
 * by hand (an EXIF orientation, an Adobe APP14), and four-channel CMYK and YCCK ones written as
 * raw rasters with the Adobe marker that tells readers how to read the channels.
 */
final class JpegBytes {
    private JpegBytes() {}

    static byte[] encode(BufferedImage image, float quality) throws IOException {
        ImageWriter writer = jdkWriter();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality);
        return write(writer, new IIOImage(image, null, null), param);
    }

    /**
     * A four-channel JPEG with an Adobe APP14 marker: transform 0 stores CMYK as is, transform 2
     * stores YCCK (the CMY part converted as inverted RGB to YCbCr, K as is), which is what Adobe
     * applications write. {@code inverted[y][x]} are the stored (Adobe-inverted, 255 = no ink) CMYK
     * values.
     */
    static byte[] adobe(int[][][] inverted, int transform) throws IOException {
        int h = inverted.length;
        int w = inverted[0].length;
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, 4, null);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int[] c = inverted[y][x];
                if (transform == 2) {
                    // libjpeg's cmyk -> ycck: R = 255 - C etc., then JFIF YCbCr.
                    double r = 255 - c[0];
                    double g = 255 - c[1];
                    double b = 255 - c[2];
                    raster.setSample(x, y, 0, clamp(0.299 * r + 0.587 * g + 0.114 * b));
                    raster.setSample(x, y, 1, clamp(128 - 0.168736 * r - 0.331264 * g + 0.5 * b));
                    raster.setSample(x, y, 2, clamp(128 + 0.5 * r - 0.418688 * g - 0.081312 * b));
                    raster.setSample(x, y, 3, c[3]);
                } else {
                    for (int k = 0; k < 4; k++) {
                        raster.setSample(x, y, k, c[k]);
                    }
                }
            }
        }
        ImageWriter writer = jdkWriter();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(0.95f);
        byte[] raw = write(writer, new IIOImage(raster, null, null), param);
        return insertAfterHeader(raw, 0xEE, adobeApp14(transform));
    }

    /** The APP14 "Adobe" payload: version 100, no flags, the colour transform. */
    static byte[] adobeApp14(int transform) {
        ByteBuffer b = ByteBuffer.allocate(12);
        b.put("Adobe".getBytes(StandardCharsets.US_ASCII)).putShort((short) 100).putShort((short) 0).putShort((short) 0)
                .put((byte) transform);
        return b.array();
    }

    /** An APP1 EXIF payload holding only IFD0 with the orientation tag (little-endian TIFF). */
    static byte[] exifOrientation(int orientation) {
        ByteBuffer b = ByteBuffer.allocate(6 + 8 + 2 + 12 + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.put("Exif\0\0".getBytes(StandardCharsets.US_ASCII));
        b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8); // TIFF header, IFD0 at 8
        b.putShort((short) 1); // one entry
        b.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        b.putInt(0); // no next IFD
        return b.array();
    }

    /** An EXIF payload whose IFD claims 500 entries but stops after the header: must be ignored, not fatal. */
    static byte[] exifTruncated() {
        ByteBuffer b = ByteBuffer.allocate(6 + 8 + 2).order(ByteOrder.LITTLE_ENDIAN);
        b.put("Exif\0\0".getBytes(StandardCharsets.US_ASCII));
        b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
        b.putShort((short) 500);
        return b.array();
    }

    /** Inserts a marker segment after SOI and any JFIF APP0, where APP1/APP14 belong. */
    static byte[] insertAfterHeader(byte[] jpeg, int marker, byte[] payload) {
        int at = 2;
        if ((jpeg[2] & 0xff) == 0xFF && (jpeg[3] & 0xff) == 0xE0) {
            at = 4 + (((jpeg[4] & 0xff) << 8) | (jpeg[5] & 0xff));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, at);
        out.write(0xFF);
        out.write(marker);
        int len = payload.length + 2;
        out.write(len >> 8);
        out.write(len);
        out.writeBytes(payload);
        out.write(jpeg, at, jpeg.length - at);
        return out.toByteArray();
    }

    /** SOI + a baseline SOF0 claiming {@code w x h} with three components + EOI: a header and no image. */
    static byte[] headerOnly(int w, int h) {
        ByteBuffer b = ByteBuffer.allocate(2 + 2 + 2 + 15 + 2);
        b.put((byte) 0xFF).put((byte) 0xD8);
        b.put((byte) 0xFF).put((byte) 0xC0).putShort((short) 17).put((byte) 8).putShort((short) h).putShort((short) w)
                .put((byte) 3);
        for (int c = 1; c <= 3; c++) {
            b.put((byte) c).put((byte) 0x11).put((byte) 0);
        }
        b.put((byte) 0xFF).put((byte) 0xD9);
        return b.array();
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }

    /** The JDK's own writer: it writes rasters as given (no colour conversion, no marker guessing). */
    private static ImageWriter jdkWriter() {
        for (Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("jpeg"); it.hasNext();) {
            ImageWriter w = it.next();
            if (w.getClass().getName().startsWith("com.sun.")) {
                return w;
            }
        }
        throw new IllegalStateException("the JDK JPEG writer is missing");
    }

    private static byte[] write(ImageWriter writer, IIOImage image, ImageWriteParam param) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(null, image, param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }
}
