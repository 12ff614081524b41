package org.robustsam.studio.inference;

import java.util.ArrayList;
import java.util.List;

/**
 * What the user told the model about one object, in original image pixels: points that are in
 * (positive) or out (negative), an optional box, and optionally the low-res logits of the previous
 * prediction (SAM's mask input, used to refine an existing mask with more clicks).
 */
public record Prompt(List<Point> points, Box box, FloatTensor maskInput) {
    /** A click; (x, y) in original image pixels, continuous (pixel centres at +0.5). */
    public record Point(double x, double y, boolean positive) {}

    /** A dragged box, corners in original image pixels, normalised so x0 <= x1 and y0 <= y1. */
    public record Box(double x0, double y0, double x1, double y1) {
        public Box {
            if (x0 > x1) {
                double t = x0;
                x0 = x1;
                x1 = t;
            }
            if (y0 > y1) {
                double t = y0;
                y0 = y1;
                y1 = t;
            }
        }
    }

    public Prompt {
        points = List.copyOf(points);
    }

    public static Prompt empty() {
        return new Prompt(List.of(), null, null);
    }

    public boolean isEmpty() {
        return points.isEmpty() && box == null;
    }

    public Prompt withPoint(Point p) {
        List<Point> more = new ArrayList<>(points);
        more.add(p);
        return new Prompt(more, box, maskInput);
    }

    public Prompt withBox(Box b) {
        return new Prompt(points, b, maskInput);
    }

    public Prompt withMaskInput(FloatTensor logits) {
        return new Prompt(points, box, logits);
    }

    /** Coordinates as SAM's predictor takes them: x0, y0, x1, y1, ... */
    public double[] pointCoords() {
        double[] xy = new double[points.size() * 2];
        for (int i = 0; i < points.size(); i++) {
            xy[2 * i] = points.get(i).x();
            xy[2 * i + 1] = points.get(i).y();
        }
        return xy;
    }

    /** 1 for positive, 0 for negative, one per point. */
    public int[] pointLabels() {
        int[] labels = new int[points.size()];
        for (int i = 0; i < points.size(); i++) {
            labels[i] = points.get(i).positive() ? 1 : 0;
        }
        return labels;
    }

    public double[] boxCoords() {
        return box == null ? null : new double[] {box.x0(), box.y0(), box.x1(), box.y1()};
    }
}
