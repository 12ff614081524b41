package org.robustsam.studio.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.geometry.Point2D;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.paint.Color;
import org.robustsam.studio.annotate.mask.BinaryMask;
import org.robustsam.studio.annotate.mask.MaskBrush;

/**
 * Brush and eraser on the selected object's mask: a left drag paints (or clears) a round brush in
 * image pixels, the result is previewed live and committed as one edit when the button is released.
 */
public final class MaskEditInteraction {
    /** Which way strokes change the mask. */
    public enum Mode { OFF, BRUSH, ERASER }

    private final ImageCanvas canvas;
    private final Supplier<BinaryMask> selectedMask;
    private final Consumer<BinaryMask> onCommit;
    private Mode mode = Mode.OFF;
    private double radius = 8;
    private BinaryMask working;
    private final List<Point2D> path = new ArrayList<>();
    private Point2D hover;

    public MaskEditInteraction(ImageCanvas canvas, Supplier<BinaryMask> selectedMask, Consumer<BinaryMask> onCommit) {
        this.canvas = canvas;
        this.selectedMask = selectedMask;
        this.onCommit = onCommit;
        canvas.addEventHandler(MouseEvent.MOUSE_PRESSED, this::pressed);
        canvas.addEventHandler(MouseEvent.MOUSE_DRAGGED, this::dragged);
        canvas.addEventHandler(MouseEvent.MOUSE_RELEASED, this::released);
        canvas.addEventHandler(MouseEvent.MOUSE_MOVED, e -> {
            if (mode != Mode.OFF) {
                hover = new Point2D(e.getX(), e.getY());
                canvas.repaintOverlay();
            }
        });
        canvas.addOverlayPainter(this::paint);
    }

    public void setMode(Mode mode) {
        this.mode = mode;
        working = null;
        path.clear();
        canvas.repaintOverlay();
    }

    public Mode mode() {
        return mode;
    }

    /** Brush radius in image pixels. */
    public double radius() {
        return radius;
    }

    public void setRadius(double r) {
        radius = Math.max(1, Math.min(200, r));
        canvas.repaintOverlay();
    }

    /** The mask being edited, while a stroke is in progress (for the live preview). */
    public BinaryMask workingMask() {
        return working;
    }

    private void pressed(MouseEvent e) {
        if (mode == Mode.OFF || e.getButton() != MouseButton.PRIMARY || canvas.isPanGesture(e)) {
            return;
        }
        BinaryMask base = selectedMask.get();
        if (base == null) {
            return;
        }
        working = base.copy();
        path.clear();
        addPoint(e);
        e.consume();
    }

    private void dragged(MouseEvent e) {
        if (working != null) {
            addPoint(e);
            e.consume();
        }
    }

    private void released(MouseEvent e) {
        if (working != null) {
            BinaryMask result = working;
            working = null;
            path.clear();
            onCommit.accept(result);
            canvas.repaintOverlay();
            e.consume();
        }
    }

    /** Paints the segment from the previous point to this one, so fast drags leave no gaps. */
    private void addPoint(MouseEvent e) {
        Point2D p = canvas.toImage(e.getX(), e.getY());
        Point2D prev = path.isEmpty() ? p : path.get(path.size() - 1);
        path.add(p);
        MaskBrush.stroke(working, new double[] {prev.getX(), p.getX()}, new double[] {prev.getY(), p.getY()}, radius, mode == Mode.BRUSH);
        hover = new Point2D(e.getX(), e.getY());
        canvas.repaintOverlay();
    }

    private void paint(GraphicsContext g, Viewport v) {
        if (mode == Mode.OFF || hover == null) {
            return;
        }
        double r = radius * v.scale();
        g.setStroke(mode == Mode.BRUSH ? Color.web("#2ecc71") : Color.web("#e74c3c"));
        g.setLineWidth(1.5);
        g.strokeOval(hover.getX() - r, hover.getY() - r, 2 * r, 2 * r);
    }
}
