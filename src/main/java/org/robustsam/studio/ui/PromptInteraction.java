package org.robustsam.studio.ui;

import java.util.function.Consumer;
import javafx.geometry.Point2D;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.paint.Color;
import org.robustsam.studio.inference.Prompt;

/**
 * Turns mouse gestures on the canvas into prompts, in image pixels whatever the zoom and pan:
 * left click = point inside the object, right click or shift+click = point outside, left drag = box.
 * Pan gestures (middle button, space+drag) are left to the canvas.
 */
public final class PromptInteraction {
    /** Drags shorter than this many screen pixels count as clicks (hands shake). */
    static final double DRAG_THRESHOLD = 4;

    private final ImageCanvas canvas;
    private final Consumer<Prompt.Point> onPoint;
    private final Consumer<Prompt.Box> onBox;
    private boolean enabled = true;
    private Point2D pressView;
    private MouseButton pressButton;
    private boolean pressShift;
    private Point2D dragView;

    public PromptInteraction(ImageCanvas canvas, Consumer<Prompt.Point> onPoint, Consumer<Prompt.Box> onBox) {
        this.canvas = canvas;
        this.onPoint = onPoint;
        this.onBox = onBox;
        canvas.addEventHandler(MouseEvent.MOUSE_PRESSED, this::pressed);
        canvas.addEventHandler(MouseEvent.MOUSE_DRAGGED, this::dragged);
        canvas.addEventHandler(MouseEvent.MOUSE_RELEASED, this::released);
        canvas.addOverlayPainter(this::paintRubberBand);
        canvas.setPanToolActive(false);
    }

    /** Off while another tool (pan, brush) owns the left button. */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
        canvas.setPanToolActive(!enabled);
        pressView = null;
        dragView = null;
    }

    private void pressed(MouseEvent e) {
        if (!enabled || canvas.imageProperty().get() == null || canvas.isPanGesture(e)) {
            pressView = null;
            return;
        }
        if (e.getButton() == MouseButton.PRIMARY || e.getButton() == MouseButton.SECONDARY) {
            pressView = new Point2D(e.getX(), e.getY());
            pressButton = e.getButton();
            pressShift = e.isShiftDown();
            dragView = null;
            e.consume();
        }
    }

    private void dragged(MouseEvent e) {
        if (pressView == null || pressButton != MouseButton.PRIMARY) {
            return;
        }
        Point2D now = new Point2D(e.getX(), e.getY());
        if (dragView != null || now.distance(pressView) >= DRAG_THRESHOLD) {
            dragView = now;
            canvas.repaintOverlay();
        }
        e.consume();
    }

    private void released(MouseEvent e) {
        if (pressView == null) {
            return;
        }
        Point2D start = pressView;
        Point2D end = dragView;
        pressView = null;
        dragView = null;
        double w = canvas.imageProperty().get().getWidth();
        double h = canvas.imageProperty().get().getHeight();
        if (end != null) {
            Point2D a = canvas.toImage(start.getX(), start.getY());
            Point2D b = canvas.toImage(end.getX(), end.getY());
            canvas.repaintOverlay();
            onBox.accept(new Prompt.Box(clamp(a.getX(), w), clamp(a.getY(), h), clamp(b.getX(), w), clamp(b.getY(), h)));
        } else {
            Point2D p = canvas.toImage(start.getX(), start.getY());
            if (p.getX() < 0 || p.getY() < 0 || p.getX() >= w || p.getY() >= h) {
                return; // a click beside the photo is not a prompt
            }
            boolean positive = pressButton == MouseButton.PRIMARY && !pressShift;
            onPoint.accept(new Prompt.Point(p.getX(), p.getY(), positive));
        }
        e.consume();
    }

    private void paintRubberBand(GraphicsContext g, Viewport v) {
        if (pressView == null || dragView == null) {
            return;
        }
        double x = Math.min(pressView.getX(), dragView.getX());
        double y = Math.min(pressView.getY(), dragView.getY());
        double bw = Math.abs(dragView.getX() - pressView.getX());
        double bh = Math.abs(dragView.getY() - pressView.getY());
        g.setStroke(Color.web("#4a9eff"));
        g.setLineWidth(1.5);
        g.setLineDashes(6, 4);
        g.strokeRect(x, y, bw, bh);
    }

    private static double clamp(double v, double max) {
        return Math.max(0, Math.min(max, v));
    }
}
