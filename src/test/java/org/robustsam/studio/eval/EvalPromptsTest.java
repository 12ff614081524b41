package org.robustsam.studio.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.robustsam.studio.annotate.mask.BinaryMask;
import org.robustsam.studio.inference.Prompt;

/** Prompts from ground truth follow the documented rule and are deterministic. */
class EvalPromptsTest {
    static BinaryMask rect(int w, int h, int x0, int y0, int x1, int y1) {
        return BinaryMask.fromRowMajor(w, h, EvalMetricsTest.rect(w, h, x0, y0, x1, y1));
    }

    @Test
    void theBoxIsTheMaskBoundingBoxOnPixelEdges() {
        BinaryMask m = rect(20, 10, 3, 2, 7, 4);
        m.set(12, 8, true);
        Prompt.Box b = GroundTruthPrompts.box(m);
        assertEquals(new Prompt.Box(3, 2, 13, 9), b);
        Prompt p = GroundTruthPrompts.derive(m, PromptType.BOX, PointRule.CENTER, 1);
        assertEquals(b, p.box());
        assertTrue(p.points().isEmpty());
    }

    @Test
    void theCentrePointIsTheMaskPixelFarthestFromTheBoundary() {
        // 5x5 square at x 10..14, y 20..24: its centre pixel (12, 22) is 3 from the background, every other pixel less.
        BinaryMask square = rect(40, 40, 10, 20, 14, 24);
        assertEquals(new Prompt.Point(12.5, 22.5, true), GroundTruthPrompts.farthestFromBoundary(square));

        // Ties go to the first pixel in row-major order: a 3-pixel-wide bar has its whole middle row at distance 2.
        BinaryMask bar = rect(30, 10, 5, 3, 20, 5);
        assertEquals(new Prompt.Point(6.5, 4.5, true), GroundTruthPrompts.farthestFromBoundary(bar),
                "(6,4): x=5 is 1 from the background at x=4, x=6 is 2 away like the row above and below");

        // The image edge counts as boundary: the left half of a 20x10 image is deepest at x 4..5, y 4..5.
        BinaryMask half = rect(20, 10, 0, 0, 9, 9);
        assertEquals(new Prompt.Point(4.5, 4.5, true), GroundTruthPrompts.farthestFromBoundary(half));
    }

    @Test
    void theCentrePointOfARingIsOnTheRing() {
        // A ring (outer 21x21, hole 11x11): its centroid (the hole) is not in the mask; the rule's point is.
        BinaryMask ring = rect(40, 40, 5, 5, 25, 25);
        BinaryMask hole = rect(40, 40, 10, 10, 20, 20);
        ring.andNot(hole);
        Prompt.Point p = GroundTruthPrompts.farthestFromBoundary(ring);
        assertTrue(ring.get((int) Math.floor(p.x()), (int) Math.floor(p.y())), "point " + p + " is in the mask");
        assertFalse(ring.get(15, 15), "the centroid is in the hole");
        assertTrue(p.positive());
        assertEquals(p, GroundTruthPrompts.farthestFromBoundary(ring.copy()), "deterministic");
    }

    @Test
    void randomPointsAreInsideAndRepeatForASeed() {
        BinaryMask ring = rect(40, 40, 5, 5, 25, 25);
        ring.andNot(rect(40, 40, 10, 10, 20, 20));
        Set<Prompt.Point> seen = new HashSet<>();
        for (long seed = 0; seed < 200; seed++) {
            Prompt.Point p = GroundTruthPrompts.randomInside(ring, seed);
            assertTrue(ring.get((int) Math.floor(p.x()), (int) Math.floor(p.y())), "seed " + seed + ": " + p);
            assertEquals(p.x() - Math.floor(p.x()), 0.5, "pixel centre");
            assertEquals(p, GroundTruthPrompts.randomInside(ring, seed), "seed " + seed + " repeats");
            seen.add(p);
        }
        // 200 uniform draws from 320 pixels give about 320 * (1 - e^(-200/320)) = 149 distinct ones.
        assertTrue(seen.size() > 110, "spread over the mask: " + seen.size() + " distinct of 200");
        assertNotEquals(GroundTruthPrompts.derive(ring, PromptType.POINT, PointRule.RANDOM, 1),
                GroundTruthPrompts.derive(ring, PromptType.POINT, PointRule.RANDOM, 2));

        // Two pixels: both are drawn over many seeds (uniform over the mask's pixels).
        BinaryMask two = new BinaryMask(5, 5);
        two.set(1, 1, true);
        two.set(3, 4, true);
        Set<Prompt.Point> both = new HashSet<>();
        for (long seed = 0; seed < 50; seed++) {
            both.add(GroundTruthPrompts.randomInside(two, seed));
        }
        assertEquals(Set.of(new Prompt.Point(1.5, 1.5, true), new Prompt.Point(3.5, 4.5, true)), both);
    }

    @Test
    void anEmptyMaskHasNoPrompt() {
        BinaryMask empty = new BinaryMask(8, 8);
        assertThrows(IllegalArgumentException.class, () -> GroundTruthPrompts.box(empty));
        assertThrows(IllegalArgumentException.class, () -> GroundTruthPrompts.farthestFromBoundary(empty));
        assertThrows(IllegalArgumentException.class, () -> GroundTruthPrompts.randomInside(empty, 1));
    }
}
