package org.robustsam.studio.ui;

import java.util.function.Supplier;
import javafx.geometry.Point2D;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.paint.Color;
import org.robustsam.studio.annotate.mask.BinaryMask;

/** Overlay painters of the compare view: the two models' difference, a ground-truth outline, the crosshair. */
final class CompareOverlays {
    /** Only the left model: blue; only the right one: orange (the chart colours of the report). */
    static final int ONLY_LEFT_ARGB = 0xD00072B2;
    static final int ONLY_RIGHT_ARGB = 0xD0E69F00;
    /** Where both agree: a light veil, so the disagreement stands out. */
    static final int BOTH_ARGB = 0x30FFFFFF;

    private CompareOverlays() {}

    /** Paints pixels only one model includes; an image per difference, rebuilt only when it changes. */
    static final class DifferencePainter implements ImageCanvas.OverlayPainter {
        private final Supplier<CompareViewModel.Difference> source;
        private final Supplier<byte[]> both;
        private CompareViewModel.Difference cachedFor;
        private WritableImage cached;

        /** @param both a mask of the pixels both include (for the veil), or null */
        DifferencePainter(Supplier<CompareViewModel.Difference> source, Supplier<byte[]> both) {
            this.source = source;
            this.both = both;
        }

        @Override
        public void paint(GraphicsContext g, Viewport v) {
            CompareViewModel.Difference d = source.get();
            if (d == null) {
                return;
            }
            if (d != cachedFor) {
                int[] argb = new int[d.width() * d.height()];
                byte[] inBoth = both.get();
                for (int i = 0; i < argb.length; i++) {
                    byte c = d.codes()[i];
                    argb[i] = c == 1 ? ONLY_LEFT_ARGB : c == 2 ? ONLY_RIGHT_ARGB : inBoth != null && inBoth[i] != 0 ? BOTH_ARGB : 0;
                }
                cached = image(argb, d.width(), d.height());
                cachedFor = d;
            }
            g.setImageSmoothing(false);
            g.drawImage(cached, v.toViewX(0), v.toViewY(0), d.width() * v.scale(), d.height() * v.scale());
        }
    }

    /** The outline of the ground-truth object under the prompt, in yellow. */
    static final class OutlinePainter implements ImageCanvas.OverlayPainter {
        private final Supplier<BinaryMask> source;
        private BinaryMask cachedFor;
        private WritableImage cached;

        OutlinePainter(Supplier<BinaryMask> source) {
            this.source = source;
        }

        @Override
        public void paint(GraphicsContext g, Viewport v) {
            BinaryMask m = source.get();
            if (m == null) {
                return;
            }
            if (m != cachedFor) {
                int w = m.width();
                int h = m.height();
                byte[] px = m.toRowMajor();
                int[] argb = new int[w * h];
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        int i = y * w + x;
                        if (px[i] != 0 && (x == 0 || y == 0 || x == w - 1 || y == h - 1
                                || px[i - 1] == 0 || px[i + 1] == 0 || px[i - w] == 0 || px[i + w] == 0)) {
                            argb[i] = 0xFFFFD400;
                        }
                    }
                }
                cached = image(argb, w, h);
                cachedFor = m;
            }
            g.setImageSmoothing(false);
            g.drawImage(cached, v.toViewX(0), v.toViewY(0), m.width() * v.scale(), m.height() * v.scale());
        }
    }

    /** Two thin lines through the pixel under the mouse, on both views. */
    static final class CrosshairPainter implements ImageCanvas.OverlayPainter {
        private final Supplier<Point2D> source;
        private final ImageCanvas canvas;

        CrosshairPainter(ImageCanvas canvas, Supplier<Point2D> source) {
            this.canvas = canvas;
            this.source = source;
        }

        @Override
        public void paint(GraphicsContext g, Viewport v) {
            Point2D p = source.get();
            if (p == null) {
                return;
            }
            double x = v.toViewX(p.getX() + 0.5);
            double y = v.toViewY(p.getY() + 0.5);
            double w = canvas.getWidth();
            double h = canvas.getHeight();
            g.setLineWidth(3);
            g.setStroke(Color.rgb(0, 0, 0, 0.45));
            g.strokeLine(x, 0, x, h);
            g.strokeLine(0, y, w, y);
            g.setLineWidth(1);
            g.setStroke(Color.rgb(255, 255, 255, 0.9));
            g.strokeLine(x, 0, x, h);
            g.strokeLine(0, y, w, y);
        }
    }

    static WritableImage image(int[] argb, int w, int h) {
        WritableImage img = new WritableImage(w, h);
        img.getPixelWriter().setPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), argb, 0, w);
        return img;
    }
}
