package org.robustsam.studio.annotate.mask;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Douglas–Peucker simplification of closed polygons: drops vertices closer than {@code tolerance}
 * pixels to the simplified outline. Iterative (an explicit stack) because traced outlines of big
 * masks have thousands of vertices.
 */
public final class PolygonSimplifier {
    private PolygonSimplifier() {}

    /**
     * Simplified polygon; if simplification would leave fewer than 3 points (a tiny blob at a big
     * tolerance), the input is returned unchanged so the object is not lost.
     */
    public static Polygon simplify(Polygon polygon, double tolerance) {
        if (tolerance < 0 || Double.isNaN(tolerance)) {
            throw new IllegalArgumentException("tolerance must be a non-negative number of pixels, got " + tolerance);
        }
        int n = polygon.size();
        if (n <= 3) {
            return polygon;
        }
        // A closed outline has no natural ends: split it at vertex 0 and the vertex farthest from it.
        int far = 0;
        double best = -1;
        for (int i = 1; i < n; i++) {
            double d = Math.hypot(polygon.x(i) - polygon.x(0), polygon.y(i) - polygon.y(0));
            if (d > best) {
                best = d;
                far = i;
            }
        }
        boolean[] keep = new boolean[n + 1]; // index n is vertex 0 again, closing the second chain
        keep[0] = true;
        keep[far] = true;
        keep[n] = true;
        markChain(polygon, 0, far, tolerance, keep);
        markChain(polygon, far, n, tolerance, keep);
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (keep[i]) {
                count++;
            }
        }
        if (count < 3) {
            return polygon;
        }
        double[] xs = new double[count];
        double[] ys = new double[count];
        for (int i = 0, k = 0; i < n; i++) {
            if (keep[i]) {
                xs[k] = polygon.x(i);
                ys[k] = polygon.y(i);
                k++;
            }
        }
        return Polygon.of(xs, ys);
    }

    private static void markChain(Polygon p, int from, int to, double tolerance, boolean[] keep) {
        int n = p.size();
        Deque<int[]> work = new ArrayDeque<>();
        work.push(new int[] {from, to});
        while (!work.isEmpty()) {
            int[] span = work.pop();
            int a = span[0];
            int b = span[1];
            int worst = -1;
            double worstDist = tolerance;
            for (int i = a + 1; i < b; i++) {
                double d = distanceToSegment(p.x(i % n), p.y(i % n), p.x(a % n), p.y(a % n), p.x(b % n), p.y(b % n));
                if (d > worstDist) {
                    worstDist = d;
                    worst = i;
                }
            }
            if (worst >= 0) {
                keep[worst] = true;
                work.push(new int[] {a, worst});
                work.push(new int[] {worst, b});
            }
        }
    }

    static double distanceToSegment(double px, double py, double ax, double ay, double bx, double by) {
        double dx = bx - ax;
        double dy = by - ay;
        double len2 = dx * dx + dy * dy;
        double t = len2 == 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2));
        return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
    }
}
