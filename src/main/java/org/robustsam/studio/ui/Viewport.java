package org.robustsam.studio.ui;

/**
 * Maps image pixels to view pixels: {@code view = image * scale + offset}. Plain Java, so zoom and
 * pan behaviour is tested without a window.
 */
public final class Viewport {
    public static final double MIN_SCALE = 0.01;
    public static final double MAX_SCALE = 64;

    private double scale = 1;
    private double offsetX;
    private double offsetY;

    public double scale() {
        return scale;
    }

    public double offsetX() {
        return offsetX;
    }

    public double offsetY() {
        return offsetY;
    }

    public double toViewX(double imageX) {
        return imageX * scale + offsetX;
    }

    public double toViewY(double imageY) {
        return imageY * scale + offsetY;
    }

    public double toImageX(double viewX) {
        return (viewX - offsetX) / scale;
    }

    public double toImageY(double viewY) {
        return (viewY - offsetY) / scale;
    }

    /** Fits the whole image, centred; small photos are enlarged to fill the view, which helps precise clicks. */
    public void fit(double imageW, double imageH, double viewW, double viewH) {
        if (imageW <= 0 || imageH <= 0 || viewW <= 0 || viewH <= 0) {
            return;
        }
        double s = Math.min(viewW / imageW, viewH / imageH);
        scale = clamp(s);
        offsetX = (viewW - imageW * scale) / 2;
        offsetY = (viewH - imageH * scale) / 2;
    }

    /** One image pixel per screen pixel, centred, on whole pixels so nothing is resampled. */
    public void actualSize(double imageW, double imageH, double viewW, double viewH) {
        scale = 1;
        offsetX = Math.round((viewW - imageW) / 2);
        offsetY = Math.round((viewH - imageH) / 2);
    }

    /** Multiplies the scale by {@code factor}, keeping the image point under (viewX, viewY) fixed. */
    public void zoomAt(double factor, double viewX, double viewY) {
        double imageX = toImageX(viewX);
        double imageY = toImageY(viewY);
        scale = clamp(scale * factor);
        offsetX = viewX - imageX * scale;
        offsetY = viewY - imageY * scale;
    }

    /** Sets the whole mapping at once (a linked view copying another's); the scale is clamped. */
    public void set(double newScale, double newOffsetX, double newOffsetY) {
        scale = clamp(newScale);
        offsetX = newOffsetX;
        offsetY = newOffsetY;
    }

    public void panBy(double dx, double dy) {
        offsetX += dx;
        offsetY += dy;
    }

    private static double clamp(double s) {
        return Math.max(MIN_SCALE, Math.min(MAX_SCALE, s));
    }
}
