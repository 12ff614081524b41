package org.robustsam.studio.annotate.mask;

/**
 * Brush and eraser on a mask: a stroke sets (or clears) every pixel whose centre lies within
 * {@code radius} pixels of the stroke's path, so a drag paints a solid band with round ends
 * whatever the pointer's sampling rate.
 */
public final class MaskBrush {
    private MaskBrush() {}

    /**
     * @param xs, ys   the pointer path in image coordinates (one point is a dab)
     * @param paint    true paints (brush), false clears (eraser)
     */
    public static void stroke(BinaryMask mask, double[] xs, double[] ys, double radius, boolean paint) {
        if (xs.length != ys.length || xs.length == 0) {
            throw new IllegalArgumentException("a stroke needs one or more points with x and y, got " + xs.length + " and " + ys.length);
        }
        if (!(radius > 0)) {
            throw new IllegalArgumentException("brush radius must be positive, got " + radius);
        }
        for (int i = 0; i < xs.length; i++) {
            int j = Math.max(0, i - 1);
            capsule(mask, xs[j], ys[j], xs[i], ys[i], radius, paint);
        }
    }

    private static void capsule(BinaryMask mask, double ax, double ay, double bx, double by, double r, boolean paint) {
        int x0 = Math.max(0, (int) Math.floor(Math.min(ax, bx) - r));
        int x1 = Math.min(mask.width() - 1, (int) Math.ceil(Math.max(ax, bx) + r));
        int y0 = Math.max(0, (int) Math.floor(Math.min(ay, by) - r));
        int y1 = Math.min(mask.height() - 1, (int) Math.ceil(Math.max(ay, by) + r));
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                if (PolygonSimplifier.distanceToSegment(x + 0.5, y + 0.5, ax, ay, bx, by) <= r) {
                    mask.set(x, y, paint);
                }
            }
        }
    }
}
