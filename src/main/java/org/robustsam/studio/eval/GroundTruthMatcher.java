package org.robustsam.studio.eval;

import java.util.List;
import java.util.Optional;
import org.robustsam.studio.annotate.mask.BinaryMask;
import org.robustsam.studio.annotate.mask.PixelBox;
import org.robustsam.studio.inference.Prompt;

/**
 * Which ground-truth object a user's prompt is about, so an interactive comparison can score both
 * models against it:
 * <ul>
 *   <li>with positive clicks: the smallest object (the most specific, e.g. the person in front of
 *       the sofa) whose mask holds every positive click and no negative one;</li>
 *   <li>with a box only: the object whose bounding box overlaps the prompt box most, if their box
 *       IoU is at least {@value #MIN_BOX_IOU}.</li>
 * </ul>
 */
public final class GroundTruthMatcher {
    public static final double MIN_BOX_IOU = 0.5;

    private GroundTruthMatcher() {}

    /** @return the index into {@code masks} of the object under the prompt */
    public static Optional<Integer> match(List<BinaryMask> masks, Prompt prompt) {
        if (prompt == null || prompt.isEmpty()) {
            return Optional.empty();
        }
        List<Prompt.Point> positive = prompt.points().stream().filter(Prompt.Point::positive).toList();
        List<Prompt.Point> negative = prompt.points().stream().filter(p -> !p.positive()).toList();
        if (!positive.isEmpty()) {
            int best = -1;
            long bestArea = Long.MAX_VALUE;
            for (int i = 0; i < masks.size(); i++) {
                BinaryMask m = masks.get(i);
                if (positive.stream().allMatch(p -> holds(m, p)) && negative.stream().noneMatch(p -> holds(m, p))) {
                    long area = m.area();
                    if (area < bestArea) {
                        bestArea = area;
                        best = i;
                    }
                }
            }
            return best < 0 ? Optional.empty() : Optional.of(best);
        }
        if (prompt.box() != null) {
            Prompt.Box b = prompt.box();
            int best = -1;
            double bestIou = MIN_BOX_IOU;
            for (int i = 0; i < masks.size(); i++) {
                PixelBox mb = masks.get(i).bbox();
                if (mb == null) {
                    continue;
                }
                double iou = boxIou(b, mb);
                if (iou >= bestIou) {
                    bestIou = iou;
                    best = i;
                }
            }
            return best < 0 ? Optional.empty() : Optional.of(best);
        }
        return Optional.empty();
    }

    private static boolean holds(BinaryMask m, Prompt.Point p) {
        return m.getOrFalse((int) Math.floor(p.x()), (int) Math.floor(p.y()));
    }

    static double boxIou(Prompt.Box a, PixelBox b) {
        double ix = Math.max(0, Math.min(a.x1(), b.right()) - Math.max(a.x0(), b.x()));
        double iy = Math.max(0, Math.min(a.y1(), b.bottom()) - Math.max(a.y0(), b.y()));
        double inter = ix * iy;
        double union = (a.x1() - a.x0()) * (a.y1() - a.y0()) + (double) b.width() * b.height() - inter;
        return union <= 0 ? 0 : inter / union;
    }
}
