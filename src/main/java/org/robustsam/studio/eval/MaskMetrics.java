package org.robustsam.studio.eval;

import org.robustsam.studio.annotate.mask.BinaryMask;

/**
 * Region and boundary measures of a predicted mask against ground truth, on row-major 0/1 byte
 * masks of the same size (the layout of {@code MaskPrediction} and {@link BinaryMask}).
 *
 * <ul>
 *   <li>IoU and Dice over the object's pixels. Two empty masks agree perfectly (1.0), as in
 *       {@link BinaryMask#iou}.</li>
 *   <li>Pixel accuracy over the whole image: (true positives + true negatives) / all pixels.</li>
 *   <li>Boundary F-score as in the DAVIS benchmark (Perazzi et al., CVPR 2016): a boundary pixel is
 *       a set pixel with at least one unset 4-neighbour (outside the image counts as unset); a
 *       predicted boundary pixel is matched when a true boundary pixel lies within the tolerance
 *       (Euclidean distance between pixel centres {@code <=} tolerance, i.e. inside the disk DAVIS
 *       dilates with), and vice versa. Both boundaries empty: 1; only one empty: 0.</li>
 * </ul>
 */
public final class MaskMetrics {
    private MaskMetrics() {}

    /** Pixel counts of a prediction against the truth. */
    public record Confusion(long truePositive, long falsePositive, long falseNegative, long trueNegative) {
        public long total() {
            return truePositive + falsePositive + falseNegative + trueNegative;
        }

        public double iou() {
            long union = truePositive + falsePositive + falseNegative;
            return union == 0 ? 1.0 : (double) truePositive / union;
        }

        public double dice() {
            long sum = 2 * truePositive + falsePositive + falseNegative;
            return sum == 0 ? 1.0 : 2.0 * truePositive / sum;
        }

        public double pixelAccuracy() {
            long n = total();
            return n == 0 ? 1.0 : (double) (truePositive + trueNegative) / n;
        }
    }

    public static Confusion confusion(byte[] predicted, byte[] truth) {
        if (predicted.length != truth.length) {
            throw new IllegalArgumentException("masks differ in size: " + predicted.length + " vs " + truth.length + " pixels");
        }
        long tp = 0;
        long fp = 0;
        long fn = 0;
        for (int i = 0; i < predicted.length; i++) {
            boolean p = predicted[i] != 0;
            boolean t = truth[i] != 0;
            if (p && t) {
                tp++;
            } else if (p) {
                fp++;
            } else if (t) {
                fn++;
            }
        }
        return new Confusion(tp, fp, fn, predicted.length - tp - fp - fn);
    }

    /** Every measure at once; {@code tolerancePx} is the boundary match distance in pixels. */
    public static SegmentationScores score(byte[] predicted, byte[] truth, int width, int height, int tolerancePx) {
        checkSize(predicted, width, height);
        checkSize(truth, width, height);
        Confusion c = confusion(predicted, truth);
        double[] prf = boundaryPrecisionRecallF(predicted, truth, width, height, tolerancePx);
        return new SegmentationScores(c.iou(), c.dice(), c.pixelAccuracy(), prf[2], prf[0], prf[1], tolerancePx);
    }

    public static SegmentationScores score(BinaryMask predicted, BinaryMask truth, int tolerancePx) {
        if (predicted.width() != truth.width() || predicted.height() != truth.height()) {
            throw new IllegalArgumentException("mask sizes differ: " + predicted.width() + "x" + predicted.height()
                    + " vs " + truth.width() + "x" + truth.height());
        }
        return score(predicted.toRowMajor(), truth.toRowMajor(), truth.width(), truth.height(), tolerancePx);
    }

    public static double iou(byte[] predicted, byte[] truth) {
        return confusion(predicted, truth).iou();
    }

    public static double dice(byte[] predicted, byte[] truth) {
        return confusion(predicted, truth).dice();
    }

    public static double pixelAccuracy(byte[] predicted, byte[] truth) {
        return confusion(predicted, truth).pixelAccuracy();
    }

    public static double boundaryF(byte[] predicted, byte[] truth, int width, int height, int tolerancePx) {
        checkSize(predicted, width, height);
        checkSize(truth, width, height);
        return boundaryPrecisionRecallF(predicted, truth, width, height, tolerancePx)[2];
    }

    /** The boundary pixels of a mask (set pixels with an unset 4-neighbour; outside counts as unset). */
    public static boolean[] boundary(byte[] mask, int width, int height) {
        checkSize(mask, width, height);
        return boundary(mask, width, height, 0, 0, width, height);
    }

    /** Boundary of the window [x0, x1) x [y0, y1) of a mask, as a grid of the window's size. */
    private static boolean[] boundary(byte[] mask, int width, int height, int x0, int y0, int x1, int y1) {
        int w = x1 - x0;
        boolean[] b = new boolean[w * (y1 - y0)];
        for (int y = y0; y < y1; y++) {
            int row = y * width;
            for (int x = x0; x < x1; x++) {
                if (mask[row + x] == 0) {
                    continue;
                }
                boolean edge = x == 0 || y == 0 || x == width - 1 || y == height - 1
                        || mask[row + x - 1] == 0 || mask[row + x + 1] == 0
                        || mask[row - width + x] == 0 || mask[row + width + x] == 0;
                b[(y - y0) * w + (x - x0)] = edge;
            }
        }
        return b;
    }

    /**
     * {precision, recall, F}. Works on the window around both masks grown by the tolerance: no
     * boundary pixel lies outside it and no match can reach outside it, so the result is exact.
     */
    private static double[] boundaryPrecisionRecallF(byte[] predicted, byte[] truth, int width, int height, int tolerancePx) {
        if (tolerancePx < 0) {
            throw new IllegalArgumentException("boundary tolerance must not be negative, got " + tolerancePx);
        }
        int[] box = unionBox(predicted, truth, width, height);
        if (box == null) {
            return new double[] {1, 1, 1}; // both empty: nothing to miss
        }
        int m = tolerancePx + 1;
        int x0 = Math.max(0, box[0] - m);
        int y0 = Math.max(0, box[1] - m);
        int x1 = Math.min(width, box[2] + 1 + m);
        int y1 = Math.min(height, box[3] + 1 + m);
        int w = x1 - x0;
        int h = y1 - y0;
        boolean[] bp = boundary(predicted, width, height, x0, y0, x1, y1);
        boolean[] bt = boundary(truth, width, height, x0, y0, x1, y1);
        long np = count(bp);
        long nt = count(bt);
        if (np == 0 && nt == 0) {
            return new double[] {1, 1, 1};
        }
        if (np == 0 || nt == 0) {
            // DAVIS: no predicted boundary -> precision 1, recall 0; no true boundary -> precision 0, recall 1.
            return np == 0 ? new double[] {1, 0, 0} : new double[] {0, 1, 0};
        }
        double limit = (double) tolerancePx * tolerancePx;
        double[] toTruth = DistanceTransform.squared(bt, w, h);
        double[] toPredicted = DistanceTransform.squared(bp, w, h);
        long matchedPredicted = 0;
        long matchedTruth = 0;
        for (int i = 0; i < bp.length; i++) {
            if (bp[i] && toTruth[i] <= limit) {
                matchedPredicted++;
            }
            if (bt[i] && toPredicted[i] <= limit) {
                matchedTruth++;
            }
        }
        double precision = (double) matchedPredicted / np;
        double recall = (double) matchedTruth / nt;
        double f = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new double[] {precision, recall, f};
    }

    /** {minX, minY, maxX, maxY} of the pixels set in either mask, or null if both are empty. */
    private static int[] unionBox(byte[] a, byte[] b, int width, int height) {
        int minX = width;
        int minY = height;
        int maxX = -1;
        int maxY = -1;
        for (int y = 0; y < height; y++) {
            int row = y * width;
            for (int x = 0; x < width; x++) {
                if (a[row + x] != 0 || b[row + x] != 0) {
                    if (x < minX) {
                        minX = x;
                    }
                    if (x > maxX) {
                        maxX = x;
                    }
                    if (y < minY) {
                        minY = y;
                    }
                    maxY = y;
                }
            }
        }
        return maxX < 0 ? null : new int[] {minX, minY, maxX, maxY};
    }

    private static long count(boolean[] b) {
        long n = 0;
        for (boolean v : b) {
            if (v) {
                n++;
            }
        }
        return n;
    }

    private static void checkSize(byte[] mask, int width, int height) {
        if (mask.length != (long) width * height) {
            throw new IllegalArgumentException("a " + width + "x" + height + " mask needs " + (long) width * height
                    + " pixels, got " + mask.length);
        }
    }
}
