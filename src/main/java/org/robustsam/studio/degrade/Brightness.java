package org.robustsam.studio.degrade;

import org.robustsam.studio.image.RgbImage;

/**
 * Darkening by one gain for the whole image: {@code out = clip(in * f)}. Reference
 * ({@code augment.py brightness}): f uniform in [0.6, 0.8].
 */
public final class Brightness extends BaseDegradation {
    /** Gain range per severity 1..5; level 3 is the reference [0.6, 0.8]. Lower gain = darker. */
    static final Range[] GAIN = {
        new Range(0.95, 0.85), new Range(0.85, 0.72), new Range(0.8, 0.6), new Range(0.6, 0.45), new Range(0.45, 0.3)};

    public Brightness() {
        super("brightness", "Brightness");
    }

    /** The gain used for this severity and seed. */
    public double gain(int severity, long seed) {
        Degradation.checkSeverity(severity);
        return gain(severity, seeds(seed));
    }

    private static double gain(int severity, Seeds seeds) {
        // Ranges are written high-to-low so that one draw u maps to a darker gain at a higher level.
        return Range.level(GAIN, severity).at(seeds.params().nextDouble());
    }

    @Override
    RgbImage degrade(RgbImage image, int severity, Seeds seeds) {
        double f = gain(severity, seeds);
        return Pixels.mapChannels(image, Pixels.lut(v -> Pixels.toByte(v * f)));
    }
}
