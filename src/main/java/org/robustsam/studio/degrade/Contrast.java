package org.robustsam.studio.degrade;

import org.robustsam.studio.image.RgbImage;

/**
 * Contrast stretch around mid-grey: {@code out = clip((in - 128) * f + 128)}. Reference
 * ({@code augment.py contrast}): f uniform in [1.6, 1.7].
 */
public final class Contrast extends BaseDegradation {
    /** Stretch range per severity 1..5; level 3 is the reference [1.6, 1.7]. */
    static final Range[] FACTOR = {
        new Range(1.15, 1.2), new Range(1.3, 1.4), new Range(1.6, 1.7), new Range(1.9, 2.0), new Range(2.3, 2.5)};

    public Contrast() {
        super("contrast", "Contrast");
    }

    /** The stretch factor used for this severity and seed. */
    public double factor(int severity, long seed) {
        Degradation.checkSeverity(severity);
        return factor(severity, seeds(seed));
    }

    private static double factor(int severity, Seeds seeds) {
        return Range.level(FACTOR, severity).at(seeds.params().nextDouble());
    }

    @Override
    RgbImage degrade(RgbImage image, int severity, Seeds seeds) {
        double f = factor(severity, seeds);
        return Pixels.mapChannels(image, Pixels.lut(v -> Pixels.toByte((v - 128) * f + 128)));
    }
}
