package org.robustsam.studio.annotate.mask;

import java.util.Arrays;

/**
 * A width x height yes/no mask, one byte per pixel (0 or 1), row-major. Bytes rather than bits:
 * masks are edited pixel by pixel (brush, rasteriser) and a 12 MP mask is still only 12 MB; the
 * compact form for storage is {@link CocoRle}.
 */
public final class BinaryMask {
    private final int width;
    private final int height;
    private final byte[] pixels;

    public BinaryMask(int width, int height) {
        if (width < 0 || height < 0) {
            throw new IllegalArgumentException("mask size must not be negative, got " + width + "x" + height);
        }
        if ((long) width * height > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("mask " + width + "x" + height + " has too many pixels");
        }
        this.width = width;
        this.height = height;
        this.pixels = new byte[width * height];
    }

    /** A mask from row-major values; any non-zero value counts as set. The array is copied. */
    public static BinaryMask fromRowMajor(int width, int height, byte[] values) {
        BinaryMask m = new BinaryMask(width, height);
        if (values.length != m.pixels.length) {
            throw new IllegalArgumentException("expected " + m.pixels.length + " values for "
                    + width + "x" + height + ", got " + values.length);
        }
        for (int i = 0; i < values.length; i++) {
            m.pixels[i] = values[i] != 0 ? (byte) 1 : 0;
        }
        return m;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public boolean get(int x, int y) {
        checkInside(x, y);
        return pixels[y * width + x] != 0;
    }

    /** Like {@link #get} but false outside the mask, for neighbourhood walks. */
    public boolean getOrFalse(int x, int y) {
        return x >= 0 && y >= 0 && x < width && y < height && pixels[y * width + x] != 0;
    }

    public void set(int x, int y, boolean value) {
        checkInside(x, y);
        pixels[y * width + x] = value ? (byte) 1 : 0;
    }

    /** Sets pixels {@code x0 <= x < x1} of row {@code y}, clipped to the mask. */
    public void fillRow(int y, int x0, int x1, boolean value) {
        if (y < 0 || y >= height) {
            return;
        }
        int from = Math.max(0, x0);
        int to = Math.min(width, x1);
        if (from < to) {
            Arrays.fill(pixels, y * width + from, y * width + to, value ? (byte) 1 : 0);
        }
    }

    /** Number of set pixels. */
    public long area() {
        long n = 0;
        for (byte b : pixels) {
            n += b;
        }
        return n;
    }

    public boolean isEmpty() {
        for (byte b : pixels) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /** Tight box around the set pixels, or null when the mask is empty. */
    public PixelBox bbox() {
        int minX = width;
        int minY = height;
        int maxX = -1;
        int maxY = -1;
        for (int y = 0; y < height; y++) {
            int row = y * width;
            for (int x = 0; x < width; x++) {
                if (pixels[row + x] != 0) {
                    minX = Math.min(minX, x);
                    maxX = Math.max(maxX, x);
                    minY = Math.min(minY, y);
                    maxY = y;
                }
            }
        }
        return maxX < 0 ? null : new PixelBox(minX, minY, maxX - minX + 1, maxY - minY + 1);
    }

    public long intersectionArea(BinaryMask other) {
        checkSameSize(other);
        long n = 0;
        for (int i = 0; i < pixels.length; i++) {
            n += pixels[i] & other.pixels[i];
        }
        return n;
    }

    /**
     * Intersection over union. Two empty masks count as identical (1.0), so comparing a lost
     * instance with an empty one still reads as a perfect match only when both are empty.
     */
    public double iou(BinaryMask other) {
        long inter = intersectionArea(other);
        long union = area() + other.area() - inter;
        return union == 0 ? 1.0 : (double) inter / union;
    }

    /** Sets every pixel that is set in {@code other} (in place). */
    public void or(BinaryMask other) {
        checkSameSize(other);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] |= other.pixels[i];
        }
    }

    /** Clears every pixel that is set in {@code other} (in place). */
    public void andNot(BinaryMask other) {
        checkSameSize(other);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] &= (byte) (1 - other.pixels[i]);
        }
    }

    public BinaryMask copy() {
        return fromRowMajor(width, height, pixels);
    }

    /** Row-major 0/1 bytes (a copy). */
    public byte[] toRowMajor() {
        return pixels.clone();
    }

    private void checkInside(int x, int y) {
        if (x < 0 || y < 0 || x >= width || y >= height) {
            throw new IndexOutOfBoundsException("pixel (" + x + ", " + y + ") is outside the " + width + "x" + height + " mask");
        }
    }

    private void checkSameSize(BinaryMask other) {
        if (other.width != width || other.height != height) {
            throw new IllegalArgumentException("mask sizes differ: " + width + "x" + height + " vs " + other.width + "x" + other.height);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BinaryMask m && m.width == width && m.height == height && Arrays.equals(m.pixels, pixels);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(pixels);
    }

    @Override
    public String toString() {
        return "BinaryMask[" + width + "x" + height + ", area " + area() + "]";
    }
}
