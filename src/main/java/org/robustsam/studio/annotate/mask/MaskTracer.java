package org.robustsam.studio.annotate.mask;

import java.util.ArrayList;
import java.util.List;

/**
 * Traces each 4-connected component of a mask along pixel edges, so every vertex is a pixel corner
 * with integer coordinates. Tracing edges (not pixel centres, as OpenCV's findContours does) means
 * the outline re-fills, under {@link PolygonRasterizer}'s pixel-centre rule, to exactly the
 * component. Components touching only at a corner are separate (4-connectivity; background is
 * 8-connected, the matching pair in digital topology), which keeps outlines free of crossings.
 *
 * <p>Holes: COCO and LabelMe polygons cannot subtract one region from another (their parts are
 * unioned). {@link #outlines} therefore joins each hole to its component's outline by a zero-width
 * vertical cut (a "keyhole"): one closed polygon, outer ring clockwise and hole ring counter-
 * clockwise, that even-odd and non-zero fillers alike (pycocotools, PIL in labelme, OpenCV) render
 * with the hole, and that refills here to exactly the mask. {@link #outerBoundaries} ignores
 * holes (they come back filled), for a simpler outline to show.
 */
public final class MaskTracer {
    // Directions in screen coordinates (y down), in clockwise order: E, S, W, N.
    private static final int[] DX = {1, 0, -1, 0};
    private static final int[] DY = {0, 1, 0, -1};

    private MaskTracer() {}

    /** One polygon per component, holes kept as keyhole cuts; refills to exactly {@code mask}. */
    public static List<Polygon> outlines(BinaryMask mask) {
        return trace(mask, true);
    }

    /** One polygon per component, outer boundary only: holes come back filled. */
    public static List<Polygon> outerBoundaries(BinaryMask mask) {
        return trace(mask, false);
    }

    private static List<Polygon> trace(BinaryMask mask, boolean keepHoles) {
        int w = mask.width();
        int h = mask.height();
        int[] component = new int[w * h];
        int[] stack = new int[Math.max(16, w * h)];
        List<int[]> starts = new ArrayList<>();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (mask.getOrFalse(x, y) && component[y * w + x] == 0) {
                    starts.add(new int[] {x, y});
                    fillComponent(mask, component, stack, x, y, starts.size());
                }
            }
        }
        // Vertical pixel edges that the walk treats as boundary although both sides are inside: the keyhole cuts.
        boolean[] cut = new boolean[(w + 1) * h];
        if (keepHoles) {
            addHoleCuts(mask, component, stack, cut);
        }
        List<Polygon> out = new ArrayList<>();
        for (int id = 1; id <= starts.size(); id++) {
            // The first pixel met in raster order has nothing of its component above or to its left.
            out.add(walk(component, cut, w, h, starts.get(id - 1)[0], starts.get(id - 1)[1], id));
        }
        return out;
    }

    private static void fillComponent(BinaryMask mask, int[] component, int[] stack, int x0, int y0, int id) {
        int w = mask.width();
        int top = 0;
        stack[top++] = y0 * w + x0;
        component[y0 * w + x0] = id;
        while (top > 0) {
            int p = stack[--top];
            int x = p % w;
            int y = p / w;
            for (int d = 0; d < 4; d++) {
                int nx = x + DX[d];
                int ny = y + DY[d];
                if (mask.getOrFalse(nx, ny) && component[ny * w + nx] == 0) {
                    component[ny * w + nx] = id;
                    stack[top++] = ny * w + nx;
                }
            }
        }
    }

    /**
     * Finds holes (8-connected background regions that do not reach the image border) and, for each,
     * marks a cut from its top-left corner straight up through its component until the cut meets a
     * boundary. The pixels left of and above a hole's first pixel belong to the one component that
     * encloses it, so the cut always starts inside that component.
     */
    private static void addHoleCuts(BinaryMask mask, int[] component, int[] stack, boolean[] cut) {
        int w = mask.width();
        int h = mask.height();
        int[] region = new int[w * h]; // 0 = unvisited background or foreground
        int regions = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (mask.getOrFalse(x, y) || region[y * w + x] != 0) {
                    continue;
                }
                regions++;
                boolean reachesBorder = false;
                int top = 0;
                stack[top++] = y * w + x;
                region[y * w + x] = regions;
                while (top > 0) {
                    int p = stack[--top];
                    int px = p % w;
                    int py = p / w;
                    reachesBorder |= px == 0 || py == 0 || px == w - 1 || py == h - 1;
                    for (int dy = -1; dy <= 1; dy++) {
                        for (int dx = -1; dx <= 1; dx++) {
                            int nx = px + dx;
                            int ny = py + dy;
                            if (nx >= 0 && ny >= 0 && nx < w && ny < h && !mask.getOrFalse(nx, ny) && region[ny * w + nx] == 0) {
                                region[ny * w + nx] = regions;
                                stack[top++] = ny * w + nx;
                            }
                        }
                    }
                }
                if (!reachesBorder) {
                    int id = component[(y - 1) * w + x];
                    for (int vy = y; vy > 0 && inside(component, w, h, x - 1, vy - 1, id) && inside(component, w, h, x, vy - 1, id); vy--) {
                        cut[(vy - 1) * (w + 1) + x] = true; // the edge from corner (x, vy - 1) down to (x, vy)
                    }
                }
            }
        }
    }

    /**
     * Walks the boundary with the component on the right-hand side, starting east along the top
     * edge of (x0, y0). At each corner it takes the first boundary edge in the order right turn,
     * straight on, left turn (then back, which only a bug would need): right-first keeps pixels that
     * touch only at a corner apart, and leads into and out of each keyhole cut. Only corners where
     * the direction changes are kept.
     */
    private static Polygon walk(int[] component, boolean[] cut, int w, int h, int x0, int y0, int id) {
        List<int[]> corners = new ArrayList<>();
        int px = x0;
        int py = y0;
        int dir = 0; // east
        corners.add(new int[] {px, py});
        while (true) {
            px += DX[dir];
            py += DY[dir];
            int next = -1;
            for (int turn : new int[] {1, 0, 3, 2}) {
                int candidate = (dir + turn) % 4;
                if (isBoundary(component, cut, w, h, px, py, candidate, id)) {
                    next = candidate;
                    break;
                }
            }
            if (next < 0) {
                throw new IllegalStateException("outline of component " + id + " is broken at (" + px + ", " + py + ")");
            }
            if (px == x0 && py == y0 && next == 0) {
                break;
            }
            if (next != dir) {
                corners.add(new int[] {px, py});
            }
            dir = next;
        }
        double[] xs = new double[corners.size()];
        double[] ys = new double[corners.size()];
        for (int i = 0; i < corners.size(); i++) {
            xs[i] = corners.get(i)[0];
            ys[i] = corners.get(i)[1];
        }
        return Polygon.of(xs, ys);
    }

    /** Whether the pixel edge leaving corner (qx, qy) in direction {@code e} has the component on its right and not (or a cut) on its left. */
    private static boolean isBoundary(int[] component, boolean[] cut, int w, int h, int qx, int qy, int e, int id) {
        int r = (e + 1) % 4;
        int l = (e + 3) % 4;
        // The pixel beside the edge has its centre at corner + (e +- r) / 2; floor of +-0.5 is 0 or -1.
        if (!inside(component, w, h, qx + (DX[e] + DX[r] > 0 ? 0 : -1), qy + (DY[e] + DY[r] > 0 ? 0 : -1), id)) {
            return false;
        }
        if (!inside(component, w, h, qx + (DX[e] + DX[l] > 0 ? 0 : -1), qy + (DY[e] + DY[l] > 0 ? 0 : -1), id)) {
            return true;
        }
        if (DX[e] != 0) {
            return false; // cuts are vertical
        }
        int top = DY[e] > 0 ? qy : qy - 1;
        return cut[top * (w + 1) + qx];
    }

    private static boolean inside(int[] component, int w, int h, int x, int y, int id) {
        return x >= 0 && y >= 0 && x < w && y < h && component[y * w + x] == id;
    }
}
