package org.robustsam.studio.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Metrics on hand-made masks whose values are worked out in the comments. */
class EvalMetricsTest {
    private static final double EPS = 1e-12;

    /** A w x h mask with the rectangle [x0, x1] x [y0, y1] (inclusive) set. */
    static byte[] rect(int w, int h, int x0, int y0, int x1, int y1) {
        byte[] m = new byte[w * h];
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                m[y * w + x] = 1;
            }
        }
        return m;
    }

    @Test
    void aSquareShiftedByOnePixel() {
        // Truth: 4x4 square at x 2..5, y 2..5 (16 px). Prediction: the same square one pixel right (x 3..6).
        byte[] truth = rect(10, 10, 2, 2, 5, 5);
        byte[] pred = rect(10, 10, 3, 2, 6, 5);
        // Intersection x 3..5 = 12 px, union 16 + 16 - 12 = 20 px.
        SegmentationScores s = MaskMetrics.score(pred, truth, 10, 10, 0);
        assertEquals(12.0 / 20, s.iou(), EPS);
        assertEquals(2.0 * 12 / 32, s.dice(), EPS);
        // Wrong pixels: 4 false positives (x 6) and 4 false negatives (x 2) out of 100.
        assertEquals(0.92, s.pixelAccuracy(), EPS);
        // Both boundaries are 12-pixel rings; they share the 6 pixels of the top and bottom rows at x 3..5.
        assertEquals(0.5, s.boundaryPrecision(), EPS);
        assertEquals(0.5, s.boundaryRecall(), EPS);
        assertEquals(0.5, s.boundaryF(), EPS);
        // With 1 px tolerance every ring pixel has a partner one pixel left or right.
        SegmentationScores tol1 = MaskMetrics.score(pred, truth, 10, 10, 1);
        assertEquals(1.0, tol1.boundaryF(), EPS);
        assertEquals(1, tol1.boundaryTolerancePx());
    }

    @Test
    void aDiagonalNeighbourIsSqrtTwoAway() {
        byte[] truth = rect(10, 10, 5, 5, 5, 5);
        byte[] pred = rect(10, 10, 6, 6, 6, 6);
        assertEquals(0, MaskMetrics.iou(pred, truth), EPS);
        assertEquals(0, MaskMetrics.dice(pred, truth), EPS);
        assertEquals(0.98, MaskMetrics.pixelAccuracy(pred, truth), EPS);
        assertEquals(0, MaskMetrics.boundaryF(pred, truth, 10, 10, 1), EPS, "sqrt(2) > 1");
        assertEquals(1, MaskMetrics.boundaryF(pred, truth, 10, 10, 2), EPS, "sqrt(2) <= 2");
    }

    @Test
    void partialBoundaryMatchGivesPrecisionAndRecallApart() {
        // Truth: 2x2 block at x 0..1, y 0..1 (all 4 are boundary). Prediction: 6x2 block x 0..5 (12 px, all boundary).
        byte[] truth = rect(8, 8, 0, 0, 1, 1);
        byte[] pred = rect(8, 8, 0, 0, 5, 1);
        // Tolerance 1: prediction pixels with x <= 2 are within 1 of a truth boundary pixel: 6 of 12.
        SegmentationScores s = MaskMetrics.score(pred, truth, 8, 8, 1);
        assertEquals(0.5, s.boundaryPrecision(), EPS);
        assertEquals(1.0, s.boundaryRecall(), EPS);
        assertEquals(2 * 0.5 * 1.0 / 1.5, s.boundaryF(), EPS);
        assertEquals(4.0 / 12, s.iou(), EPS);
        assertEquals(8.0 / 16, s.dice(), EPS);
        assertEquals(1 - 8.0 / 64, s.pixelAccuracy(), EPS);
    }

    @Test
    void identicalEmptyAndMissingMasks() {
        byte[] m = rect(9, 7, 1, 1, 4, 5);
        SegmentationScores same = MaskMetrics.score(m, m.clone(), 9, 7, 0);
        assertEquals(new SegmentationScores(1, 1, 1, 1, 1, 1, 0), same);
        byte[] empty = new byte[63];
        assertEquals(new SegmentationScores(1, 1, 1, 1, 1, 1, 3), MaskMetrics.score(empty, empty.clone(), 9, 7, 3),
                "nothing predicted where there is nothing: perfect");
        SegmentationScores missed = MaskMetrics.score(empty, m, 9, 7, 3);
        assertEquals(0, missed.iou(), EPS);
        assertEquals(0, missed.dice(), EPS);
        assertEquals(1 - 20.0 / 63, missed.pixelAccuracy(), EPS);
        assertEquals(0, missed.boundaryF(), EPS);
        assertEquals(0, MaskMetrics.score(m, empty, 9, 7, 3).boundaryF(), EPS);
    }

    @Test
    void boundaryPixelsIncludeTheImageEdge() {
        byte[] full = rect(10, 10, 0, 0, 9, 9);
        boolean[] b = MaskMetrics.boundary(full, 10, 10);
        int n = 0;
        for (boolean v : b) {
            n += v ? 1 : 0;
        }
        assertEquals(36, n, "outside the image counts as background");
        byte[] inner = rect(10, 10, 3, 3, 5, 5);
        boolean[] bi = MaskMetrics.boundary(inner, 10, 10);
        assertEquals(false, bi[4 * 10 + 4], "the centre of a 3x3 block is interior");
        assertEquals(true, bi[3 * 10 + 4]);
    }

    @Test
    void sizesMustAgree() {
        assertThrows(IllegalArgumentException.class, () -> MaskMetrics.score(new byte[10], new byte[12], 5, 2, 1));
    }

    @Test
    void distanceTransformIsExactAgainstBruteForce() {
        SplittableRandom rnd = new SplittableRandom(7);
        int w = 23;
        int h = 17;
        boolean[] f = new boolean[w * h];
        for (int i = 0; i < f.length; i++) {
            f[i] = rnd.nextInt(12) == 0;
        }
        double[] d = DistanceTransform.squared(f, w, h);
        double[] brute = new double[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double best = DistanceTransform.NO_FEATURE;
                for (int j = 0; j < f.length; j++) {
                    if (f[j]) {
                        double dx = x - j % w;
                        double dy = y - j / w;
                        best = Math.min(best, dx * dx + dy * dy);
                    }
                }
                brute[y * w + x] = best;
            }
        }
        assertArrayEquals(brute, d, 0);
        double[] none = DistanceTransform.squared(new boolean[6], 3, 2);
        for (double v : none) {
            assertEquals(DistanceTransform.NO_FEATURE, v);
        }
    }

    @Test
    void toleranceRules() {
        assertEquals(5, BoundaryTolerance.DAVIS.pixelsFor(500, 375), "ceil(0.008 * 625) = 5, as DAVIS");
        assertEquals(BoundaryTolerance.DAVIS, BoundaryTolerance.parse("0.008diag"));
        assertEquals(BoundaryTolerance.DAVIS, BoundaryTolerance.parse(BoundaryTolerance.DAVIS.toString()));
        assertEquals(3, BoundaryTolerance.parse("3px").pixelsFor(1000, 1000));
        assertEquals(2, BoundaryTolerance.parse("2").pixelsFor(10, 10));
        assertThrows(IllegalArgumentException.class, () -> BoundaryTolerance.parse("0px"));
        assertThrows(IllegalArgumentException.class, () -> BoundaryTolerance.parse("wide"));
    }
}
