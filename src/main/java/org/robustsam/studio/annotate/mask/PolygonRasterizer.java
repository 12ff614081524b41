package org.robustsam.studio.annotate.mask;

import java.util.Arrays;
import java.util.List;

/**
 * Fills polygons into masks with the pixel-centre, even-odd rule: pixel (x, y) is set when its
 * centre (x + 0.5, y + 0.5) is inside the polygon by the even-odd rule. This is the sampling
 * convention of scan-line renderers (and what makes a polygon traced along pixel edges re-fill to
 * exactly the same pixels). Centres exactly on an edge follow a half-open rule: a centre on a left
 * boundary is inside, on a right boundary outside; an edge counts for a row when the row centre is
 * in [min y, max y) of the edge, so shared vertices are counted once.
 */
public final class PolygonRasterizer {
    private PolygonRasterizer() {}

    public static BinaryMask rasterize(Polygon polygon, int width, int height) {
        BinaryMask mask = new BinaryMask(width, height);
        fill(mask, polygon);
        return mask;
    }

    /** Union of several polygons, each filled even-odd on its own (COCO's and LabelMe's meaning of a multi-part object). */
    public static BinaryMask rasterizeUnion(List<Polygon> polygons, int width, int height) {
        BinaryMask mask = new BinaryMask(width, height);
        for (Polygon p : polygons) {
            fill(mask, p);
        }
        return mask;
    }

    /** Sets the pixels inside {@code polygon} (never clears any). */
    public static void fill(BinaryMask mask, Polygon polygon) {
        int n = polygon.size();
        double minY = Double.POSITIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            minY = Math.min(minY, polygon.y(i));
            maxY = Math.max(maxY, polygon.y(i));
        }
        // Rows whose centre y + 0.5 lies in [minY, maxY).
        int rowFrom = Math.max(0, (int) Math.ceil(minY - 0.5));
        int rowTo = Math.min(mask.height() - 1, (int) Math.ceil(maxY - 0.5) - 1);
        double[] crossings = new double[n];
        for (int y = rowFrom; y <= rowTo; y++) {
            double yc = y + 0.5;
            int k = 0;
            for (int i = 0, j = n - 1; i < n; j = i++) {
                double y1 = polygon.y(j);
                double y2 = polygon.y(i);
                if ((y1 <= yc) != (y2 <= yc)) {
                    double x1 = polygon.x(j);
                    double x2 = polygon.x(i);
                    crossings[k++] = x1 + (yc - y1) * (x2 - x1) / (y2 - y1);
                }
            }
            Arrays.sort(crossings, 0, k);
            for (int c = 0; c + 1 < k; c += 2) {
                // Pixels with crossings[c] <= x + 0.5 < crossings[c + 1].
                int from = (int) Math.ceil(crossings[c] - 0.5);
                int to = (int) Math.ceil(crossings[c + 1] - 0.5);
                mask.fillRow(y, from, to, true);
            }
        }
    }
}
