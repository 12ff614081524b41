package org.robustsam.studio.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ViewportTest {
    @Test
    void fitCentresTheWholeImage() {
        Viewport v = new Viewport();
        v.fit(1000, 500, 400, 400);
        assertEquals(0.4, v.scale(), 1e-12);
        assertEquals(0, v.offsetX(), 1e-12);
        assertEquals(100, v.offsetY(), 1e-12);
    }

    @Test
    void zoomKeepsThePointUnderTheCursorFixed() {
        Viewport v = new Viewport();
        v.fit(1000, 500, 400, 400);
        double ix = v.toImageX(123);
        double iy = v.toImageY(231);
        v.zoomAt(2.5, 123, 231);
        assertEquals(1.0, v.scale(), 1e-12);
        assertEquals(ix, v.toImageX(123), 1e-9);
        assertEquals(iy, v.toImageY(231), 1e-9);
    }

    @Test
    void scaleIsClampedAndPanMoves() {
        Viewport v = new Viewport();
        for (int i = 0; i < 100; i++) {
            v.zoomAt(2, 0, 0);
        }
        assertEquals(Viewport.MAX_SCALE, v.scale());
        v.panBy(5, -7);
        assertEquals(5, v.offsetX(), 1e-12);
        assertEquals(-7, v.offsetY(), 1e-12);
    }

    @Test
    void actualSizeUsesWholePixelOffsets() {
        Viewport v = new Viewport();
        v.actualSize(101, 51, 400, 300);
        assertEquals(1, v.scale());
        assertEquals(Math.rint(v.offsetX()), v.offsetX());
        assertEquals(Math.rint(v.offsetY()), v.offsetY());
    }
}
