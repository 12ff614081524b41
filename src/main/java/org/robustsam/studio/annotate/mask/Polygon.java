package org.robustsam.studio.annotate.mask;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A closed polygon in image coordinates (pixels, x right, y down; (0,0) is the top-left corner of
 * the top-left pixel, so pixel (x, y) spans [x, x+1) x [y, y+1)). The last point joins the first.
 *
 * <p>Construction checks what would make rasterising meaningless (fewer than 3 points, NaN or
 * infinite coordinates). Self-intersection is allowed and filled with the even-odd rule; use
 * {@link #findSelfIntersection()} to warn about it.
 */
public final class Polygon {
    private final double[] xs;
    private final double[] ys;

    private Polygon(double[] xs, double[] ys) {
        if (xs.length < 3) {
            throw new MaskFormatException("a polygon needs at least 3 points, got " + xs.length);
        }
        for (int i = 0; i < xs.length; i++) {
            if (!Double.isFinite(xs[i]) || !Double.isFinite(ys[i])) {
                throw new MaskFormatException("polygon point " + i + " is not a finite number (" + xs[i] + ", " + ys[i] + ")");
            }
        }
        this.xs = xs;
        this.ys = ys;
    }

    public static Polygon of(double[] xs, double[] ys) {
        if (xs.length != ys.length) {
            throw new MaskFormatException("polygon has " + xs.length + " x values but " + ys.length + " y values");
        }
        return new Polygon(xs.clone(), ys.clone());
    }

    /** From COCO's flat list {@code [x1, y1, x2, y2, ...]}. */
    public static Polygon fromFlat(double[] xy) {
        if (xy.length % 2 != 0) {
            throw new MaskFormatException("polygon has an odd number of coordinates (" + xy.length + ")");
        }
        int n = xy.length / 2;
        double[] xs = new double[n];
        double[] ys = new double[n];
        for (int i = 0; i < n; i++) {
            xs[i] = xy[2 * i];
            ys[i] = xy[2 * i + 1];
        }
        return new Polygon(xs, ys);
    }

    /** From {@code [[x, y], ...]} pairs, as LabelMe stores points. */
    public static Polygon fromPoints(List<double[]> points) {
        double[] xs = new double[points.size()];
        double[] ys = new double[points.size()];
        for (int i = 0; i < points.size(); i++) {
            double[] p = points.get(i);
            if (p.length != 2) {
                throw new MaskFormatException("polygon point " + i + " has " + p.length + " coordinates, expected 2");
            }
            xs[i] = p[0];
            ys[i] = p[1];
        }
        return new Polygon(xs, ys);
    }

    public int size() {
        return xs.length;
    }

    public double x(int i) {
        return xs[i];
    }

    public double y(int i) {
        return ys[i];
    }

    public double[] toFlat() {
        double[] out = new double[xs.length * 2];
        for (int i = 0; i < xs.length; i++) {
            out[2 * i] = xs[i];
            out[2 * i + 1] = ys[i];
        }
        return out;
    }

    public List<double[]> toPoints() {
        List<double[]> out = new ArrayList<>(xs.length);
        for (int i = 0; i < xs.length; i++) {
            out.add(new double[] {xs[i], ys[i]});
        }
        return out;
    }

    /** Signed shoelace area: positive when the points run clockwise on screen (y down). */
    public double signedArea() {
        double a = 0;
        for (int i = 0, j = xs.length - 1; i < xs.length; j = i++) {
            a += xs[j] * ys[i] - xs[i] * ys[j];
        }
        return a / 2;
    }

    /**
     * The first pair of non-adjacent edges that properly cross, described for a warning, or empty
     * when the polygon is simple. Touching at a point is not reported (traced masks do that at
     * diagonal corners, and the even-odd fill is unaffected). O(n^2): fine for annotation polygons.
     */
    public Optional<String> findSelfIntersection() {
        int n = xs.length;
        for (int a = 0; a < n; a++) {
            int a2 = (a + 1) % n;
            for (int b = a + 2; b < n; b++) {
                int b2 = (b + 1) % n;
                if (b2 == a) {
                    continue; // adjacent through the closing edge
                }
                if (properlyCross(a, a2, b, b2)) {
                    return Optional.of(String.format("edge %d-%d crosses edge %d-%d near (%.1f, %.1f)",
                            a, a2, b, b2, (xs[a] + xs[a2]) / 2, (ys[a] + ys[a2]) / 2));
                }
            }
        }
        return Optional.empty();
    }

    private boolean properlyCross(int a, int a2, int b, int b2) {
        double d1 = orient(a, a2, b);
        double d2 = orient(a, a2, b2);
        double d3 = orient(b, b2, a);
        double d4 = orient(b, b2, a2);
        return d1 * d2 < 0 && d3 * d4 < 0;
    }

    private double orient(int p, int q, int r) {
        return (xs[q] - xs[p]) * (ys[r] - ys[p]) - (ys[q] - ys[p]) * (xs[r] - xs[p]);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Polygon p && Arrays.equals(p.xs, xs) && Arrays.equals(p.ys, ys);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(xs) + Arrays.hashCode(ys);
    }

    @Override
    public String toString() {
        return "Polygon" + Arrays.toString(toFlat());
    }
}
