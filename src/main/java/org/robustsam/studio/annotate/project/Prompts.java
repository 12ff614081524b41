package org.robustsam.studio.annotate.project;

import java.util.List;

/**
 * The clicks and box a mask was predicted from, kept so a mask can be refined later by adding
 * prompts. Image coordinates in pixels; {@code box} may be null.
 */
public record Prompts(List<Point> points, Box box) {
    public Prompts {
        points = points == null ? List.of() : List.copyOf(points);
    }

    /** A click: positive (include) or negative (exclude). */
    public record Point(double x, double y, boolean positive) {
        public Point {
            if (!Double.isFinite(x) || !Double.isFinite(y)) {
                throw new IllegalArgumentException("prompt point must have finite coordinates, got (" + x + ", " + y + ")");
            }
        }
    }

    /** A dragged box, corners (x0, y0) top-left and (x1, y1) bottom-right. */
    public record Box(double x0, double y0, double x1, double y1) {
        public Box {
            if (!Double.isFinite(x0) || !Double.isFinite(y0) || !Double.isFinite(x1) || !Double.isFinite(y1)) {
                throw new IllegalArgumentException("prompt box must have finite corners, got [" + x0 + ", " + y0 + ", " + x1 + ", " + y1 + "]");
            }
            if (!(x0 <= x1) || !(y0 <= y1)) {
                throw new IllegalArgumentException("prompt box must have x0 <= x1 and y0 <= y1, got [" + x0 + ", " + y0 + ", " + x1 + ", " + y1 + "]");
            }
        }
    }
}
