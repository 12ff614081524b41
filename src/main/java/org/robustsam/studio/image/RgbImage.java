package org.robustsam.studio.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.Raster;
import java.awt.image.DataBufferInt;

/**
 * An upright 8-bit RGB photo as packed {@code 0xRRGGBB} ints, row-major: the one pixel format the
 * engine, degradations and views share, whatever the file held (gray, CMYK, 16-bit, palette, alpha).
 */
public final class RgbImage {
    private final int width;
    private final int height;
    private final int[] pixels;

    public RgbImage(int width, int height, int[] pixels) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        if (pixels.length != width * height) {
            throw new IllegalArgumentException("expected " + (width * height) + " pixels, got " + pixels.length);
        }
        this.width = width;
        this.height = height;
        this.pixels = pixels;
    }

    /** Copies any BufferedImage into packed RGB; alpha is composited over white like image viewers do. */
    public static RgbImage fromBufferedImage(BufferedImage src) {
        if (isGrayWithAlpha(src)) {
            return fromGrayWithAlpha(src);
        }
        BufferedImage rgb = src;
        if (src.getType() != BufferedImage.TYPE_INT_RGB) {
            rgb = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
            var g = rgb.createGraphics();
            try {
                g.setColor(java.awt.Color.WHITE);
                g.fillRect(0, 0, src.getWidth(), src.getHeight());
                g.drawImage(src, 0, 0, null);
            } finally {
                g.dispose();
            }
        }
        int[] data = ((DataBufferInt) rgb.getRaster().getDataBuffer()).getData();
        int[] copy = rgb == src ? data.clone() : data;
        return new RgbImage(src.getWidth(), src.getHeight(), copy);
    }

    /**
     * Grey with alpha (PNG colour type 4). Java gives these a linear grey colour space, so drawing one
     * into RGB would brighten mid-greys (128 becomes 188) although the file's grey values are meant as
     * displayed, like every other PNG's. Here the samples are taken as they are.
     */
    private static boolean isGrayWithAlpha(BufferedImage src) {
        ColorModel cm = src.getColorModel();
        return cm instanceof ComponentColorModel && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY
                && cm.hasAlpha() && src.getRaster().getNumBands() == 2;
    }

    private static RgbImage fromGrayWithAlpha(BufferedImage src) {
        int w = src.getWidth();
        int h = src.getHeight();
        Raster raster = src.getRaster();
        double grayMax = (1L << src.getColorModel().getComponentSize(0)) - 1;
        double alphaMax = (1L << src.getColorModel().getComponentSize(1)) - 1;
        int[] out = new int[w * h];
        int[] row = new int[w * 2];
        for (int y = 0; y < h; y++) {
            raster.getPixels(0, y, w, 1, row);
            for (int x = 0; x < w; x++) {
                double v = row[2 * x] / grayMax;
                double a = row[2 * x + 1] / alphaMax;
                int g = (int) Math.round(255 * (v * a + (1 - a))); // over white
                out[y * w + x] = g << 16 | g << 8 | g;
            }
        }
        return new RgbImage(w, h, out);
    }

    public BufferedImage toBufferedImage() {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] data = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
        System.arraycopy(pixels, 0, data, 0, pixels.length);
        return out;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** The packed pixel array itself (not a copy): callers must not modify it. */
    public int[] pixels() {
        return pixels;
    }

    public int rgb(int x, int y) {
        return pixels[y * width + x] & 0xFFFFFF;
    }

    /** From interleaved RGB bytes (H x W x 3, numpy's HWC uint8 layout). */
    public static RgbImage fromInterleavedRgb(int width, int height, byte[] rgb) {
        if (rgb.length != (long) width * height * 3) {
            throw new IllegalArgumentException("RGB image " + width + "x" + height + " needs "
                    + (long) width * height * 3 + " bytes, got " + rgb.length);
        }
        int[] px = new int[width * height];
        for (int i = 0, j = 0; i < px.length; i++, j += 3) {
            px[i] = (rgb[j] & 0xFF) << 16 | (rgb[j + 1] & 0xFF) << 8 | (rgb[j + 2] & 0xFF);
        }
        return new RgbImage(width, height, px);
    }

    /** Interleaved RGB bytes (H x W x 3), the layout of the reference's numpy image. */
    public byte[] toInterleavedRgb() {
        byte[] out = new byte[pixels.length * 3];
        for (int i = 0, j = 0; i < pixels.length; i++) {
            int p = pixels[i];
            out[j++] = (byte) (p >> 16);
            out[j++] = (byte) (p >> 8);
            out[j++] = (byte) p;
        }
        return out;
    }
}
