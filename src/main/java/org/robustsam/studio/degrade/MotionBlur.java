package org.robustsam.studio.degrade;

import org.robustsam.studio.image.RgbImage;

/**
 * Camera or subject motion: every pixel averaged along a straight line of odd length k at a random
 * angle. Reference ({@code augment.py motion_blur}): albumentations {@code MotionBlur(blur_limit=35)},
 * k drawn from the odd numbers 3..35, a one-pixel line at a random orientation. The reference may
 * also shift the line off-centre ({@code allow_shifted}); here it is always centred so the blurred
 * image does not move against its masks.
 */
public final class MotionBlur extends BaseDegradation {
    /** Largest kernel length per severity 1..5; the smallest is always 3. Level 3 is the reference 35. */
    static final int[] MAX_LENGTH = {9, 19, 35, 51, 71};
    static final int MIN_LENGTH = 3;

    /** Kernel length in pixels (odd) and direction in degrees (0 = horizontal, counter-clockwise on screen). */
    public record Params(int length, double angleDegrees) {}

    public MotionBlur() {
        super("motion_blur", "Motion blur");
    }

    public Params params(int severity, long seed) {
        Degradation.checkSeverity(severity);
        return params(severity, seeds(seed));
    }

    private static Params params(int severity, Seeds seeds) {
        Rng rng = seeds.params();
        double u = rng.nextDouble();
        double angle = rng.uniform(0, 180);
        int odds = (MAX_LENGTH[severity - 1] - MIN_LENGTH) / 2 + 1; // 3, 5, ..., max
        int length = MIN_LENGTH + 2 * Math.min(odds - 1, (int) (u * odds));
        return new Params(length, angle);
    }

    @Override
    RgbImage degrade(RgbImage image, int severity, Seeds seeds) {
        Params p = params(severity, seeds);
        return blur(image, p.length(), p.angleDegrees());
    }

    /** A centred line blur of {@code length} pixels at {@code angleDegrees} (y up on screen). */
    static RgbImage blur(RgbImage image, int length, double angleDegrees) {
        double rad = StrictMath.toRadians(angleDegrees);
        double dx = StrictMath.cos(rad);
        double dy = -StrictMath.sin(rad); // image rows grow downwards
        int start = -(length - 1) / 2;
        int w = image.width();
        int h = image.height();
        int[][] rgb = Planes.split(image);
        int[] r = LineBlur.blur(rgb[0], w, h, length, start, dx, dy);
        int[] g = LineBlur.blur(rgb[1], w, h, length, start, dx, dy);
        int[] b = LineBlur.blur(rgb[2], w, h, length, start, dx, dy);
        return Planes.merge(w, h, r, g, b);
    }
}
