package org.robustsam.studio.eval;

import java.util.Locale;

/**
 * How far, in pixels, a predicted boundary pixel may lie from a ground-truth boundary pixel and
 * still count as a match in the boundary F-score. Either a fixed number of pixels, or a fraction of
 * the image diagonal rounded up, as the DAVIS benchmark does ({@code bound_th = 0.008}: 5 px on a
 * 500 x 375 photo).
 *
 * @param pixels fixed tolerance in pixels (used when {@code diagonalFraction} is 0)
 * @param diagonalFraction fraction of the image diagonal (0 when a fixed tolerance is used)
 */
public record BoundaryTolerance(int pixels, double diagonalFraction) {
    /** DAVIS's default: 0.8% of the image diagonal. */
    public static final BoundaryTolerance DAVIS = new BoundaryTolerance(0, 0.008);

    public BoundaryTolerance {
        if (pixels < 0 || diagonalFraction < 0 || !Double.isFinite(diagonalFraction)) {
            throw new IllegalArgumentException("boundary tolerance must not be negative");
        }
        if ((pixels == 0) == (diagonalFraction == 0)) {
            throw new IllegalArgumentException("give either a pixel tolerance or a diagonal fraction, not both");
        }
    }

    public static BoundaryTolerance ofPixels(int pixels) {
        if (pixels < 1) {
            throw new IllegalArgumentException("a pixel tolerance must be at least 1, got " + pixels);
        }
        return new BoundaryTolerance(pixels, 0);
    }

    /**
     * Parses {@code 2} / {@code 2px} (fixed pixels) or {@code 0.008diag} / {@code davis} (fraction
     * of the diagonal).
     */
    public static BoundaryTolerance parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.equals("davis")) {
                return DAVIS;
            }
            if (t.endsWith("diag")) {
                double f = Double.parseDouble(t.substring(0, t.length() - 4).trim());
                if (!(f > 0 && f < 1)) {
                    throw new IllegalArgumentException("a diagonal fraction must be between 0 and 1, got " + f);
                }
                return new BoundaryTolerance(0, f);
            }
            return ofPixels(Integer.parseInt(t.endsWith("px") ? t.substring(0, t.length() - 2).trim() : t));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("boundary tolerance '" + text + "': expected pixels (2, 2px), "
                    + "a diagonal fraction (0.008diag) or 'davis'");
        }
    }

    /** The tolerance in whole pixels for an image of this size (at least 1). */
    public int pixelsFor(int width, int height) {
        if (pixels > 0) {
            return pixels;
        }
        return Math.max(1, (int) Math.ceil(diagonalFraction * Math.hypot(width, height)));
    }

    /** The form {@link #parse} reads back: {@code 2px} or {@code 0.008diag}. */
    @Override
    public String toString() {
        return pixels > 0 ? pixels + "px" : stripZeros(diagonalFraction) + "diag";
    }

    /** For people: "2 px" or "0.8% of the image diagonal". */
    public String describe() {
        return pixels > 0 ? pixels + " px" : stripZeros(diagonalFraction * 100) + "% of the image diagonal (rounded up)";
    }

    private static String stripZeros(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
