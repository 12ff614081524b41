package org.robustsam.studio.eval;

import java.util.SplittableRandom;
import org.robustsam.studio.annotate.mask.BinaryMask;
import org.robustsam.studio.annotate.mask.PixelBox;
import org.robustsam.studio.inference.Prompt;

/**
 * Prompts derived from a ground-truth mask the way the paper evaluates: a box prompt is the mask's
 * bounding box; a point prompt is one positive click inside the mask. Coordinates are continuous
 * image pixels as {@link Prompt} takes them (pixel {@code (x, y)} spans {@code [x, x+1) x [y, y+1)}).
 *
 * <ul>
 *   <li>Box: the tight box around the set pixels, on their outer edges: {@code (x0, y0, x1 + 1, y1 + 1)}
 *       for set pixels spanning columns {@code x0..x1} and rows {@code y0..y1} (COCO's bbox).</li>
 *   <li>Point, {@link PointRule#CENTER} (default): the centre of the set pixel farthest from the
 *       mask's boundary, by an exact Euclidean distance transform in which pixels outside the
 *       image count as background (as the mask were padded with zeros); ties go to the first such
 *       pixel in row-major order (smallest y, then smallest x). Always inside the mask.</li>
 *   <li>Point, {@link PointRule#RANDOM}: the centre of a set pixel drawn uniformly from a seed
 *       (row-major enumeration, {@link SplittableRandom}); the same seed gives the same pixel.</li>
 * </ul>
 */
public final class GroundTruthPrompts {
    private GroundTruthPrompts() {}

    public static Prompt derive(BinaryMask truth, PromptType type, PointRule rule, long seed) {
        return switch (type) {
            case BOX -> Prompt.empty().withBox(box(truth));
            case POINT -> Prompt.empty().withPoint(rule == PointRule.CENTER ? farthestFromBoundary(truth) : randomInside(truth, seed));
        };
    }

    public static Prompt.Box box(BinaryMask truth) {
        PixelBox b = truth.bbox();
        if (b == null) {
            throw new IllegalArgumentException("an empty mask has no box");
        }
        return new Prompt.Box(b.x(), b.y(), b.right(), b.bottom());
    }

    public static Prompt.Point farthestFromBoundary(BinaryMask truth) {
        int w = truth.width();
        int h = truth.height();
        // Background plus a one-pixel frame of background around the image.
        int pw = w + 2;
        int ph = h + 2;
        boolean[] background = new boolean[pw * ph];
        java.util.Arrays.fill(background, true);
        byte[] m = truth.toRowMajor();
        boolean any = false;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (m[y * w + x] != 0) {
                    background[(y + 1) * pw + x + 1] = false;
                    any = true;
                }
            }
        }
        if (!any) {
            throw new IllegalArgumentException("an empty mask has no inside point");
        }
        double[] d = DistanceTransform.squared(background, pw, ph);
        double best = -1;
        int bx = -1;
        int by = -1;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double v = d[(y + 1) * pw + x + 1];
                if (m[y * w + x] != 0 && v > best) {
                    best = v;
                    bx = x;
                    by = y;
                }
            }
        }
        return new Prompt.Point(bx + 0.5, by + 0.5, true);
    }

    public static Prompt.Point randomInside(BinaryMask truth, long seed) {
        long area = truth.area();
        if (area == 0) {
            throw new IllegalArgumentException("an empty mask has no inside point");
        }
        long pick = new SplittableRandom(seed).nextLong(area);
        byte[] m = truth.toRowMajor();
        int w = truth.width();
        for (int i = 0; i < m.length; i++) {
            if (m[i] != 0 && pick-- == 0) {
                return new Prompt.Point(i % w + 0.5, i / w + 0.5, true);
            }
        }
        throw new IllegalStateException("unreachable: area " + area + " but no pixel picked");
    }
}
