package org.robustsam.studio.annotate.mask;

/**
 * A tight box around mask pixels, in whole pixels: {@code x, y} is the top-left pixel and
 * {@code width x height} the number of pixels covered. Same numbers as a COCO {@code bbox}.
 */
public record PixelBox(int x, int y, int width, int height) {
    public PixelBox {
        if (width < 0 || height < 0) {
            throw new IllegalArgumentException("box size must not be negative, got " + width + "x" + height);
        }
    }

    public int right() {
        return x + width;
    }

    public int bottom() {
        return y + height;
    }
}
