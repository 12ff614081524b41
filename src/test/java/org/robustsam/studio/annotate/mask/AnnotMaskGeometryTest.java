package org.robustsam.studio.annotate.mask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.robustsam.studio.annotate.mask.AnnotCocoRleTest.mask;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Binary mask basics, pixel-centre even-odd rasterising, contour tracing, simplification, brush. */
class AnnotMaskGeometryTest {
    @Test
    void areaBoxAndIou() {
        BinaryMask a = mask("##..", "##..", "....");
        BinaryMask b = mask(".##.", ".##.", "....");
        assertEquals(4, a.area());
        assertEquals(new PixelBox(0, 0, 2, 2), a.bbox());
        assertEquals(2, a.intersectionArea(b));
        assertEquals(2.0 / 6.0, a.iou(b), 1e-12);
        assertEquals(1.0, a.iou(a.copy()), 0);
        assertEquals(1.0, new BinaryMask(3, 3).iou(new BinaryMask(3, 3)), 0, "two empty masks are identical");
        assertThrows(IllegalArgumentException.class, () -> a.iou(new BinaryMask(3, 3)));
    }

    @Test
    void rectangleFillsThePixelsWhoseCentresItContains() {
        Polygon rect = Polygon.of(new double[] {1, 4, 4, 1}, new double[] {1, 1, 3, 3});
        assertEquals(mask("......", ".###..", ".###..", "......", "......"), PolygonRasterizer.rasterize(rect, 6, 5));
        // Shifted by 0.4 the same centres are inside; shifted by 0.6 the row and column move.
        Polygon shifted = Polygon.of(new double[] {1.4, 4.4, 4.4, 1.4}, new double[] {1.4, 1.4, 3.4, 3.4});
        assertEquals(mask("......", ".###..", ".###..", "......", "......"), PolygonRasterizer.rasterize(shifted, 6, 5));
        Polygon moved = Polygon.of(new double[] {1.6, 4.6, 4.6, 1.6}, new double[] {1.6, 1.6, 3.6, 3.6});
        assertEquals(mask("......", "......", "..###.", "..###.", "......"), PolygonRasterizer.rasterize(moved, 6, 5));
    }

    @Test
    void centresOnTheDiagonalEdgeFollowTheHalfOpenRule() {
        // Triangle (0,0),(4,0),(0,4): centre (x+.5, y+.5) inside when x + y + 1 < 4; centres on the edge are outside.
        Polygon tri = Polygon.of(new double[] {0, 4, 0}, new double[] {0, 0, 4});
        assertEquals(mask("###.", "##..", "#...", "...."), PolygonRasterizer.rasterize(tri, 4, 4));
    }

    @Test
    void selfCrossingPolygonIsFilledEvenOdd() {
        // A five-pointed star drawn in one stroke: even-odd leaves the inner pentagon empty.
        double[] xs = new double[5];
        double[] ys = new double[5];
        for (int k = 0; k < 5; k++) {
            double a = Math.toRadians(-90 + 144 * k);
            xs[k] = 12 + 10 * Math.cos(a);
            ys[k] = 12 + 10 * Math.sin(a);
        }
        Polygon star = Polygon.of(xs, ys);
        BinaryMask m = PolygonRasterizer.rasterize(star, 24, 24);
        assertFalse(m.get(11, 11), "centre of the star is a hole under even-odd");
        assertTrue(m.get(12, 4), "a point of the star is filled");
        assertTrue(star.findSelfIntersection().isPresent());
        assertEquals(bruteForceEvenOdd(star, 24, 24), m);
    }

    @Test
    void scanlineMatchesAPerPixelCrossingCountOnRandomPolygons() {
        Random rnd = new Random(42);
        for (int trial = 0; trial < 300; trial++) {
            int n = 3 + rnd.nextInt(12);
            double[] xs = new double[n];
            double[] ys = new double[n];
            for (int i = 0; i < n; i++) {
                xs[i] = rnd.nextDouble() * 40 - 5; // partly outside the 30x30 image: clipping is exercised
                ys[i] = rnd.nextDouble() * 40 - 5;
            }
            Polygon p = Polygon.of(xs, ys);
            assertEquals(bruteForceEvenOdd(p, 30, 30), PolygonRasterizer.rasterize(p, 30, 30), "trial " + trial + " " + p);
        }
    }

    /** Independent oracle: count edge crossings of a ray from each pixel centre to the right. */
    private static BinaryMask bruteForceEvenOdd(Polygon p, int w, int h) {
        BinaryMask m = new BinaryMask(w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double cx = x + 0.5;
                double cy = y + 0.5;
                boolean inside = false;
                for (int i = 0, j = p.size() - 1; i < p.size(); j = i++) {
                    if ((p.y(i) > cy) != (p.y(j) > cy)
                            && cx < (p.x(j) - p.x(i)) * (cy - p.y(i)) / (p.y(j) - p.y(i)) + p.x(i)) {
                        inside = !inside;
                    }
                }
                m.set(x, y, inside);
            }
        }
        return m;
    }

    @Test
    void polygonsWithFewerThanThreePointsOrNaNAreRefused() {
        MaskFormatException two = assertThrows(MaskFormatException.class, () -> Polygon.fromFlat(new double[] {0, 0, 5, 5}));
        assertEquals("a polygon needs at least 3 points, got 2", two.getMessage());
        assertThrows(MaskFormatException.class, () -> Polygon.fromFlat(new double[] {0, 0, 5}));
        assertThrows(MaskFormatException.class, () -> Polygon.of(new double[] {0, 1, Double.NaN}, new double[] {0, 1, 2}));
        assertTrue(Polygon.of(new double[] {0, 4, 4, 0}, new double[] {0, 0, 4, 4}).findSelfIntersection().isEmpty());
        assertTrue(Polygon.of(new double[] {0, 4, 4, 0}, new double[] {0, 4, 0, 4}).findSelfIntersection().isPresent(), "bow tie");
    }

    @Test
    void tracerFollowsPixelEdgesClockwise() {
        BinaryMask l = mask("##..", "####");
        List<Polygon> polys = MaskTracer.outerBoundaries(l);
        assertEquals(1, polys.size());
        assertEquals(Polygon.fromFlat(new double[] {0, 0, 2, 0, 2, 1, 4, 1, 4, 2, 0, 2}), polys.get(0));
        assertTrue(polys.get(0).signedArea() > 0);
        assertEquals(6.0, polys.get(0).signedArea(), 0, "pixel-edge outline encloses exactly the pixel area");
        assertEquals(l, PolygonRasterizer.rasterizeUnion(polys, 4, 2));
    }

    @Test
    void diagonalNeighboursAreSeparatePartsAndOuterBoundariesFillHoles() {
        assertEquals(2, MaskTracer.outerBoundaries(mask("#.", ".#")).size());
        assertEquals(2, MaskTracer.outlines(mask("#.", ".#")).size());
        BinaryMask ring = mask("#####", "#...#", "#...#", "#####");
        List<Polygon> polys = MaskTracer.outerBoundaries(ring);
        assertEquals(1, polys.size());
        assertEquals(20, PolygonRasterizer.rasterizeUnion(polys, 5, 4).area(), "the ring's 6-pixel hole is filled");
    }

    @Test
    void holesAreKeptAsAKeyholeCut() {
        BinaryMask ring = mask("#####", "#...#", "#...#", "#####");
        List<Polygon> polys = MaskTracer.outlines(ring);
        assertEquals(1, polys.size());
        // Outer ring clockwise; at (1,0) down the zero-width cut, round the hole counter-clockwise, back up the cut.
        assertEquals(Polygon.fromFlat(new double[] {0, 0, 1, 0, 1, 3, 4, 3, 4, 1, 1, 1, 1, 0, 5, 0, 5, 4, 0, 4}), polys.get(0));
        assertEquals(ring, PolygonRasterizer.rasterizeUnion(polys, 5, 4));
        assertEquals(14.0, polys.get(0).signedArea(), 0, "20 outer minus 6 hole");
        assertTrue(polys.get(0).findSelfIntersection().isEmpty(), "the cut's two sides touch but do not cross");
        // An island inside the hole is a part of its own.
        BinaryMask island = mask("#######", "#.....#", "#..#..#", "#.....#", "#######");
        assertEquals(island, PolygonRasterizer.rasterizeUnion(MaskTracer.outlines(island), 7, 5));
        assertEquals(2, MaskTracer.outlines(island).size());
    }

    @Test
    void tracedOutlinesRefillToTheMask() {
        Random rnd = new Random(3);
        for (int trial = 0; trial < 100; trial++) {
            int w = 5 + rnd.nextInt(30);
            int h = 5 + rnd.nextInt(30);
            BinaryMask m = randomBlobs(rnd, w, h);
            List<Polygon> outer = MaskTracer.outerBoundaries(m);
            assertEquals(holesFilled(m), PolygonRasterizer.rasterizeUnion(outer, w, h), "trial " + trial);
            List<Polygon> exact = MaskTracer.outlines(m);
            assertEquals(m, PolygonRasterizer.rasterizeUnion(exact, w, h), "keyhole outlines refill exactly, trial " + trial);
            assertEquals(m.area(), exact.stream().mapToDouble(Polygon::signedArea).sum(), 1e-9, "areas add up, trial " + trial);
            for (Polygon p : exact) {
                assertTrue(p.findSelfIntersection().isEmpty(), "traced outlines never cross: " + p);
            }
        }
    }

    private static BinaryMask randomBlobs(Random rnd, int w, int h) {
        BinaryMask m = new BinaryMask(w, h);
        double fill = 0.3 + 0.4 * rnd.nextDouble();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                m.set(x, y, rnd.nextDouble() < fill);
            }
        }
        return m;
    }

    /**
     * Oracle for "outer boundary of each 4-connected part, filled": everything except the
     * background reachable from outside the image through 8-connected background pixels.
     */
    private static BinaryMask holesFilled(BinaryMask m) {
        int w = m.width();
        int h = m.height();
        boolean[] outside = new boolean[w * h];
        ArrayDeque<int[]> queue = new ArrayDeque<>();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if ((x == 0 || y == 0 || x == w - 1 || y == h - 1) && !m.get(x, y)) {
                    outside[y * w + x] = true;
                    queue.add(new int[] {x, y});
                }
            }
        }
        while (!queue.isEmpty()) {
            int[] p = queue.poll();
            for (int dy = -1; dy <= 1; dy++) {
                for (int dx = -1; dx <= 1; dx++) {
                    int x = p[0] + dx;
                    int y = p[1] + dy;
                    if (x >= 0 && y >= 0 && x < w && y < h && !m.get(x, y) && !outside[y * w + x]) {
                        outside[y * w + x] = true;
                        queue.add(new int[] {x, y});
                    }
                }
            }
        }
        BinaryMask filled = new BinaryMask(w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                filled.set(x, y, !outside[y * w + x]);
            }
        }
        return filled;
    }

    @Test
    void douglasPeuckerDropsPointsWithinTheTolerance() {
        // A square with a collinear midpoint and a bump of 0.4 px on the bottom edge.
        Polygon p = Polygon.fromFlat(new double[] {0, 0, 5, 0, 10, 0, 10, 10, 5, 10.4, 0, 10});
        assertEquals(Polygon.fromFlat(new double[] {0, 0, 10, 0, 10, 10, 0, 10}), PolygonSimplifier.simplify(p, 0.5));
        assertEquals(Polygon.fromFlat(new double[] {0, 0, 10, 0, 10, 10, 5, 10.4, 0, 10}), PolygonSimplifier.simplify(p, 0.3));
        assertEquals(Polygon.fromFlat(new double[] {0, 0, 10, 0, 10, 10, 5, 10.4, 0, 10}), PolygonSimplifier.simplify(p, 0));
        // A single pixel would collapse to a line at a big tolerance: it is kept whole instead.
        Polygon pixel = MaskTracer.outerBoundaries(mask("#")).get(0);
        assertEquals(4, PolygonSimplifier.simplify(pixel, 5).size());
        assertThrows(IllegalArgumentException.class, () -> PolygonSimplifier.simplify(p, -1));
    }

    @Test
    void brushPaintsPixelsWhoseCentreIsWithinTheRadiusAndEraserClears() {
        BinaryMask m = new BinaryMask(10, 10);
        MaskBrush.stroke(m, new double[] {5}, new double[] {5}, 1.5, true);
        assertEquals(4, m.area(), "centres at 0.71 px are in, the next ring at 1.58 px is out");
        MaskBrush.stroke(m, new double[] {5}, new double[] {5}, 1.6, true);
        assertEquals(12, m.area());
        // A drag along y = 2 from x = 1 to 8, radius 0.6: rows 1 and 2 (centres 0.5 px away), columns 1..7 (end caps reach 0.71 px: out).
        BinaryMask line = new BinaryMask(10, 4);
        MaskBrush.stroke(line, new double[] {1, 8}, new double[] {2, 2}, 0.6, true);
        assertEquals(new PixelBox(1, 1, 7, 2), line.bbox());
        assertEquals(14, line.area());
        MaskBrush.stroke(m, new double[] {5}, new double[] {5}, 3, false);
        assertEquals(0, m.area());
    }
}
