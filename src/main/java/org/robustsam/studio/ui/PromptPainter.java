package org.robustsam.studio.ui;

import java.util.function.Supplier;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import org.robustsam.studio.inference.Prompt;

/** Draws the current prompt: green dots for "in", red for "out", the box as a solid outline. */
final class PromptPainter implements ImageCanvas.OverlayPainter {
    private static final double DOT_RADIUS = 5;
    private final Supplier<Prompt> prompt;

    PromptPainter(Supplier<Prompt> prompt) {
        this.prompt = prompt;
    }

    @Override
    public void paint(GraphicsContext g, Viewport v) {
        Prompt p = prompt.get();
        if (p == null) {
            return;
        }
        if (p.box() != null) {
            Prompt.Box b = p.box();
            g.setStroke(Color.web("#4a9eff"));
            g.setLineWidth(2);
            g.strokeRect(v.toViewX(b.x0()), v.toViewY(b.y0()), (b.x1() - b.x0()) * v.scale(), (b.y1() - b.y0()) * v.scale());
        }
        for (Prompt.Point pt : p.points()) {
            double x = v.toViewX(pt.x());
            double y = v.toViewY(pt.y());
            g.setFill(pt.positive() ? Color.web("#2ecc71") : Color.web("#e74c3c"));
            g.fillOval(x - DOT_RADIUS, y - DOT_RADIUS, 2 * DOT_RADIUS, 2 * DOT_RADIUS);
            g.setStroke(Color.WHITE);
            g.setLineWidth(1.5);
            g.strokeOval(x - DOT_RADIUS, y - DOT_RADIUS, 2 * DOT_RADIUS, 2 * DOT_RADIUS);
        }
    }
}
