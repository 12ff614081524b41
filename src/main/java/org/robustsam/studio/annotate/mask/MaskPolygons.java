package org.robustsam.studio.annotate.mask;

import java.util.ArrayList;
import java.util.List;

/** Polygon outlines of a mask for formats that only know polygons (COCO polygons, YOLO-seg, LabelMe). */
public final class MaskPolygons {
    /** Default simplification in pixels: drops only near-collinear stair steps, so outlines re-fill to (almost) the same pixels. */
    public static final double DEFAULT_TOLERANCE = 0.5;

    private MaskPolygons() {}

    /**
     * One simplified outline per 4-connected component, holes kept as keyhole cuts (see
     * {@link MaskTracer}). Tolerance 0 gives the exact pixel-edge outlines, which refill to the mask.
     */
    public static List<Polygon> fromMask(BinaryMask mask, double tolerance) {
        return fromMask(mask, tolerance, true);
    }

    /** As {@link #fromMask(BinaryMask, double)}; {@code keepHoles = false} gives outer boundaries only (holes filled). */
    public static List<Polygon> fromMask(BinaryMask mask, double tolerance, boolean keepHoles) {
        List<Polygon> out = new ArrayList<>();
        for (Polygon p : keepHoles ? MaskTracer.outlines(mask) : MaskTracer.outerBoundaries(mask)) {
            out.add(PolygonSimplifier.simplify(p, tolerance));
        }
        return out;
    }
}
