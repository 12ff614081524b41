package org.robustsam.studio.ui;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.image.WritableImage;
import javafx.scene.paint.Color;
import org.robustsam.studio.annotate.mask.BinaryMask;
import org.robustsam.studio.annotate.project.AnnotatedObject;

/** Draws the accepted objects of the photo in their label colours; decoded overlays are kept per object. */
final class ObjectsPainter implements ImageCanvas.OverlayPainter {
    private final AnnotationViewModel annotation;
    private final java.util.function.Supplier<BinaryMask> liveEdit;
    private Map<AnnotatedObject, WritableImage> cache = new IdentityHashMap<>();
    private Map<AnnotatedObject, List<org.robustsam.studio.annotate.mask.Polygon>> polygons = new IdentityHashMap<>();
    private boolean showPolygons;

    /**
     * @param liveEdit the selected object's mask while a brush stroke is in progress (drawn instead of
     *     the stored one), or null
     */
    ObjectsPainter(AnnotationViewModel annotation, java.util.function.Supplier<BinaryMask> liveEdit) {
        this.annotation = annotation;
        this.liveEdit = liveEdit;
    }

    /** Also draws each object's outline as the simplified polygon that exports write. */
    void setShowPolygons(boolean show) {
        showPolygons = show;
    }

    @Override
    public void paint(GraphicsContext g, Viewport v) {
        List<AnnotatedObject> objects = annotation.objects();
        Map<AnnotatedObject, WritableImage> next = new IdentityHashMap<>();
        g.setImageSmoothing(false);
        Map<AnnotatedObject, List<org.robustsam.studio.annotate.mask.Polygon>> nextPolygons = new IdentityHashMap<>();
        BinaryMask live = liveEdit.get();
        for (AnnotatedObject o : objects) {
            WritableImage img = cache.get(o);
            if (live != null && o == annotation.selectedObjectProperty().get()) {
                img = MaskOverlayPainter.render(new MaskOverlayPainter.Shown(live.width(), live.height(), live.toRowMajor(),
                        Color.web(annotation.labelOf(o).color())));
                g.drawImage(img, v.toViewX(0), v.toViewY(0), img.getWidth() * v.scale(), img.getHeight() * v.scale());
                continue; // the stroke's preview is not cached: it changes with every drag event
            }
            if (img == null) {
                BinaryMask m = o.mask().decode();
                img = MaskOverlayPainter.render(new MaskOverlayPainter.Shown(m.width(), m.height(), m.toRowMajor(),
                        Color.web(annotation.labelOf(o).color())));
            }
            next.put(o, img);
            if (annotation.isVisible(o)) {
                g.setGlobalAlpha(o == annotation.selectedObjectProperty().get() ? 1.0 : 0.8);
                g.drawImage(img, v.toViewX(0), v.toViewY(0), img.getWidth() * v.scale(), img.getHeight() * v.scale());
            }
        }
        g.setGlobalAlpha(1.0);
        if (showPolygons) {
            for (AnnotatedObject o : objects) {
                if (!annotation.isVisible(o)) {
                    continue;
                }
                List<org.robustsam.studio.annotate.mask.Polygon> ps = polygons.get(o);
                if (ps == null) {
                    ps = org.robustsam.studio.annotate.mask.MaskPolygons.fromMask(o.mask().decode(),
                            org.robustsam.studio.annotate.mask.MaskPolygons.DEFAULT_TOLERANCE);
                }
                nextPolygons.put(o, ps);
                g.setStroke(Color.web(annotation.labelOf(o).color()).brighter());
                g.setLineWidth(1.5);
                for (var poly : ps) {
                    int n = poly.size();
                    double[] xs = new double[n];
                    double[] ys = new double[n];
                    for (int i = 0; i < n; i++) {
                        xs[i] = v.toViewX(poly.x(i));
                        ys[i] = v.toViewY(poly.y(i));
                    }
                    g.strokePolygon(xs, ys, n);
                    g.setFill(Color.WHITE);
                    for (int i = 0; i < n; i++) {
                        g.fillRect(xs[i] - 1.5, ys[i] - 1.5, 3, 3);
                    }
                }
            }
        }
        polygons = nextPolygons;
        cache = next; // drop overlays of objects that are gone
    }
}
