package org.robustsam.studio.ui;

import java.util.function.Supplier;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.paint.Color;

/**
 * Paints a binary mask over the photo: a translucent fill and an opaque outline, both baked into
 * one image per mask (rebuilt only when the mask changes) and drawn with the view's transform.
 */
final class MaskOverlayPainter implements ImageCanvas.OverlayPainter {
    /** A mask to show: row-major 0/1 bytes of the photo's size, and its colour. */
    record Shown(int width, int height, byte[] mask, Color color) {}

    private final Supplier<Shown> source;
    private Shown cachedFor;
    private WritableImage cached;

    MaskOverlayPainter(Supplier<Shown> source) {
        this.source = source;
    }

    @Override
    public void paint(GraphicsContext g, Viewport v) {
        Shown s = source.get();
        if (s == null) {
            return;
        }
        if (s != cachedFor) {
            cached = render(s);
            cachedFor = s;
        }
        g.setImageSmoothing(false);
        g.drawImage(cached, v.toViewX(0), v.toViewY(0), s.width() * v.scale(), s.height() * v.scale());
    }

    static WritableImage render(Shown s) {
        int w = s.width();
        int h = s.height();
        byte[] m = s.mask();
        int r = (int) Math.round(s.color().getRed() * 255);
        int gr = (int) Math.round(s.color().getGreen() * 255);
        int b = (int) Math.round(s.color().getBlue() * 255);
        int fill = 0x73 << 24 | r << 16 | gr << 8 | b;
        int edge = 0xFF << 24 | Math.min(255, r + 60) << 16 | Math.min(255, gr + 60) << 8 | Math.min(255, b + 60);
        int[] argb = new int[w * h];
        for (int y = 0; y < h; y++) {
            int row = y * w;
            for (int x = 0; x < w; x++) {
                if (m[row + x] == 0) {
                    continue;
                }
                boolean border = x == 0 || y == 0 || x == w - 1 || y == h - 1
                        || m[row + x - 1] == 0 || m[row + x + 1] == 0 || m[row - w + x] == 0 || m[row + w + x] == 0;
                argb[row + x] = border ? edge : fill;
            }
        }
        WritableImage img = new WritableImage(w, h);
        img.getPixelWriter().setPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), argb, 0, w);
        return img;
    }
}
