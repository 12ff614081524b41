package org.robustsam.studio.ui;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.geometry.Point2D;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.image.Image;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;

/**
 * The zoomable, pannable photo view. The canvas is the size of the view and redraws only what is
 * visible, so zooming a 20-megapixel photo stays smooth. Wheel zooms around the cursor; dragging
 * with the middle button, or with the left button while space is held or the pan tool is active, pans.
 */
public final class ImageCanvas extends Region {
    /** Wheel notch to zoom factor: 1.15 per notch, as in common image viewers. */
    private static final double ZOOM_STEP = 1.15;

    private final Canvas canvas = new Canvas();
    /** Prompts, masks and rubber bands are painted here, above the photo, by {@link OverlayPainter}s. */
    private final Canvas overlay = new Canvas();
    private final java.util.List<OverlayPainter> painters = new java.util.ArrayList<>();
    private final java.util.List<Runnable> viewportListeners = new java.util.ArrayList<>();
    private final Viewport viewport = new Viewport();
    private final ObjectProperty<Image> image = new SimpleObjectProperty<>(this, "image");
    private final StringProperty placeholder = new SimpleStringProperty(this, "placeholder", "Open a folder of photos (Ctrl+O)");
    private final ReadOnlyDoubleWrapper scale = new ReadOnlyDoubleWrapper(this, "scale", 1);
    private final ReadOnlyObjectWrapper<Point2D> cursorImagePoint = new ReadOnlyObjectWrapper<>(this, "cursorImagePoint");
    private boolean panToolActive = true;
    /** True while the view shows the fitted image: resizing the window then re-fits, like image viewers do. */
    private boolean fitMode = true;
    private boolean spaceDown;
    private double dragLastX;
    private double dragLastY;
    private boolean panning;

    public ImageCanvas() {
        getStyleClass().add("image-canvas");
        overlay.setMouseTransparent(true);
        getChildren().addAll(canvas, overlay);
        setFocusTraversable(true);
        image.addListener((obs, old, img) -> {
            if (img != null) {
                fitToWindow();
            } else {
                redraw();
            }
        });
        placeholder.addListener((obs, o, n) -> redraw());
        addEventHandler(ScrollEvent.SCROLL, this::onScroll);
        addEventHandler(MouseEvent.MOUSE_PRESSED, this::onPressed);
        addEventHandler(MouseEvent.MOUSE_DRAGGED, this::onDragged);
        addEventHandler(MouseEvent.MOUSE_RELEASED, e -> panning = false);
        addEventHandler(MouseEvent.MOUSE_MOVED, this::trackCursor);
        addEventHandler(MouseEvent.MOUSE_EXITED, e -> cursorImagePoint.set(null));
        sceneProperty().addListener((obs, o, scene) -> {
            if (scene != null) {
                scene.addEventFilter(javafx.scene.input.KeyEvent.KEY_PRESSED, k -> {
                    if (k.getCode() == javafx.scene.input.KeyCode.SPACE) spaceDown = true;
                });
                scene.addEventFilter(javafx.scene.input.KeyEvent.KEY_RELEASED, k -> {
                    if (k.getCode() == javafx.scene.input.KeyCode.SPACE) spaceDown = false;
                });
            }
        });
    }

    public ObjectProperty<Image> imageProperty() {
        return image;
    }

    public StringProperty placeholderProperty() {
        return placeholder;
    }

    public ReadOnlyDoubleProperty scaleProperty() {
        return scale.getReadOnlyProperty();
    }

    /** The image pixel under the mouse, or null when the mouse is outside the image. */
    public ReadOnlyObjectProperty<Point2D> cursorImagePointProperty() {
        return cursorImagePoint.getReadOnlyProperty();
    }

    /** Whether a plain left drag pans (true until prompt tools take the left button). */
    public void setPanToolActive(boolean active) {
        this.panToolActive = active;
    }

    /** Read-only access for views and tests: where image pixels land on screen. */
    public Viewport viewport() {
        return viewport;
    }

    /** The canvas node that shows the photo (for snapshots in tests and PNG exports). */
    public Canvas canvas() {
        return canvas;
    }

    /** Paints something above the photo in view coordinates; called after every view change. */
    @FunctionalInterface
    public interface OverlayPainter {
        void paint(GraphicsContext g, Viewport viewport);
    }

    public void addOverlayPainter(OverlayPainter painter) {
        painters.add(painter);
        repaintOverlay();
    }

    /** Called after every zoom, pan, fit and resize, so another view can follow this one. */
    public void addViewportListener(Runnable listener) {
        viewportListeners.add(listener);
    }

    /**
     * Shows the image at {@code newScale} with image point ({@code imageX}, {@code imageY}) at the
     * centre of the view: how a linked view follows another of a different size.
     */
    public void showAt(double newScale, double imageX, double imageY) {
        fitMode = false;
        viewport.set(newScale, getWidth() / 2 - imageX * newScale, getHeight() / 2 - imageY * newScale);
        afterViewportChange();
    }

    /** Repaints only the overlay (prompt and mask changes), leaving the photo layer alone. */
    public void repaintOverlay() {
        GraphicsContext g = overlay.getGraphicsContext2D();
        g.clearRect(0, 0, overlay.getWidth(), overlay.getHeight());
        if (image.get() == null) {
            return;
        }
        for (OverlayPainter p : painters) {
            g.save();
            p.paint(g, viewport);
            g.restore();
        }
    }

    /** The image pixel coordinates (continuous) of a point in this node's coordinates. */
    public Point2D toImage(double viewX, double viewY) {
        return new Point2D(viewport.toImageX(viewX), viewport.toImageY(viewY));
    }

    public boolean isPanGesture(MouseEvent e) {
        return e.getButton() == MouseButton.MIDDLE || (e.getButton() == MouseButton.PRIMARY && (panToolActive || spaceDown));
    }

    public void fitToWindow() {
        fitMode = true;
        Image img = image.get();
        if (img != null) {
            viewport.fit(img.getWidth(), img.getHeight(), getWidth(), getHeight());
        }
        afterViewportChange();
    }

    public void actualSize() {
        fitMode = false;
        Image img = image.get();
        if (img != null) {
            viewport.actualSize(img.getWidth(), img.getHeight(), getWidth(), getHeight());
        }
        afterViewportChange();
    }

    /** Zooms around the centre of the view (toolbar and keyboard zoom). */
    public void zoomBy(double factor) {
        zoomAt(factor, getWidth() / 2, getHeight() / 2);
    }

    public void zoomAt(double factor, double viewX, double viewY) {
        if (image.get() == null) {
            return;
        }
        fitMode = false;
        viewport.zoomAt(factor, viewX, viewY);
        afterViewportChange();
    }

    private void onScroll(ScrollEvent e) {
        if (e.getDeltaY() == 0 || image.get() == null) {
            return;
        }
        double notches = e.getDeltaY() / (e.getMultiplierY() > 0 ? e.getMultiplierY() : 40);
        zoomAt(Math.pow(ZOOM_STEP, notches), e.getX(), e.getY());
        trackCursor(e.getX(), e.getY());
        e.consume();
    }

    private void onPressed(MouseEvent e) {
        requestFocus();
        if (isPanGesture(e)) {
            panning = true;
            dragLastX = e.getX();
            dragLastY = e.getY();
            e.consume();
        }
    }

    private void onDragged(MouseEvent e) {
        if (panning) {
            fitMode = false;
            viewport.panBy(e.getX() - dragLastX, e.getY() - dragLastY);
            dragLastX = e.getX();
            dragLastY = e.getY();
            afterViewportChange();
            e.consume();
        }
        trackCursor(e.getX(), e.getY());
    }

    private void trackCursor(MouseEvent e) {
        trackCursor(e.getX(), e.getY());
    }

    private void trackCursor(double viewX, double viewY) {
        Image img = image.get();
        if (img == null) {
            cursorImagePoint.set(null);
            return;
        }
        double ix = viewport.toImageX(viewX);
        double iy = viewport.toImageY(viewY);
        boolean inside = ix >= 0 && iy >= 0 && ix < img.getWidth() && iy < img.getHeight();
        cursorImagePoint.set(inside ? new Point2D(Math.floor(ix), Math.floor(iy)) : null);
    }

    private void afterViewportChange() {
        scale.set(viewport.scale());
        redraw();
        for (Runnable r : java.util.List.copyOf(viewportListeners)) {
            r.run();
        }
    }

    @Override
    protected void layoutChildren() {
        double w = getWidth();
        double h = getHeight();
        if (canvas.getWidth() != w || canvas.getHeight() != h) {
            canvas.setWidth(w);
            canvas.setHeight(h);
            overlay.setWidth(w);
            overlay.setHeight(h);
            if (fitMode && image.get() != null) {
                fitToWindow();
                return;
            }
            redraw();
        }
    }

    /** Paints the visible part of the photo; smoothing only when shrinking, so zoomed-in pixels stay sharp. */
    public void redraw() {
        repaintOverlay();
        GraphicsContext g = canvas.getGraphicsContext2D();
        double w = canvas.getWidth();
        double h = canvas.getHeight();
        g.setFill(Color.web("#2b2b2b"));
        g.fillRect(0, 0, w, h);
        Image img = image.get();
        if (img == null) {
            String text = placeholder.get();
            if (text != null && !text.isEmpty()) {
                g.setFill(Color.web("#c8c8c8"));
                g.setFont(Font.font(15));
                g.setTextAlign(TextAlignment.CENTER);
                g.fillText(text, w / 2, h / 2);
            }
            return;
        }
        g.setImageSmoothing(viewport.scale() < 1);
        // Source rectangle = visible part of the image, clamped to its bounds.
        double sx0 = Math.max(0, viewport.toImageX(0));
        double sy0 = Math.max(0, viewport.toImageY(0));
        double sx1 = Math.min(img.getWidth(), viewport.toImageX(w));
        double sy1 = Math.min(img.getHeight(), viewport.toImageY(h));
        if (sx1 <= sx0 || sy1 <= sy0) {
            return;
        }
        g.drawImage(img, sx0, sy0, sx1 - sx0, sy1 - sy0,
                viewport.toViewX(sx0), viewport.toViewY(sy0), (sx1 - sx0) * viewport.scale(), (sy1 - sy0) * viewport.scale());
    }
}
