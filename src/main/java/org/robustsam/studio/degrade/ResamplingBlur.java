package org.robustsam.studio.degrade;

import org.robustsam.studio.image.RgbImage;

/**
 * Loss of resolution: shrink by a factor with bilinear sampling, then enlarge back, both with the
 * geometry of {@code cv2.resize(INTER_LINEAR)}. Reference ({@code augment.py resampling_blur}):
 * factor 4. The reference has no randomness; here the phase of the coarse sampling grid is drawn
 * from the seed (within one coarse pixel, undone on the way up so the image does not shift), so
 * different seeds give different images while the blur strength stays that of the factor.
 */
public final class ResamplingBlur extends BaseDegradation {
    /** Shrink factor per severity 1..5; level 3 is the reference 4. */
    static final double[] FACTOR = {2, 3, 4, 6, 8};

    public ResamplingBlur() {
        super("resampling_blur", "Resampling blur");
    }

    @Override
    RgbImage degrade(RgbImage image, int severity, Seeds seeds) {
        int w = image.width();
        int h = image.height();
        double f = FACTOR[severity - 1];
        int dw = Math.max(1, (int) (w / f));
        int dh = Math.max(1, (int) (h / f));
        double sx = (double) w / dw;
        double sy = (double) h / dh;
        Rng rng = seeds.params();
        double ox = (rng.nextDouble() - 0.5) * sx;
        double oy = (rng.nextDouble() - 0.5) * sy;
        int[] small = Resize.rgb(image.pixels(), w, Resize.Axis.scaled(dw, w, ox), Resize.Axis.scaled(dh, h, oy));
        // Inverse of the shrink mapping: output x lies at coarse index (x + 0.5 - o) / s - 0.5.
        Resize.Axis upX = Resize.Axis.of(w, dw, (0.5 - ox) / sx - 0.5, 1 / sx);
        Resize.Axis upY = Resize.Axis.of(h, dh, (0.5 - oy) / sy - 0.5, 1 / sy);
        return new RgbImage(w, h, Resize.rgb(small, dw, upX, upY));
    }
}
