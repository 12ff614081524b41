package org.robustsam.studio.degrade;

import org.robustsam.studio.image.RgbImage;

/**
 * The reference's "impulse_noise": albumentations {@code MultiplicativeNoise(multiplier=(1.4, 1.5))}
 * with its defaults {@code per_channel=False, elementwise=False}, i.e. one multiplier m for the
 * whole image, {@code out = clip(in * m)}. Despite the name it is a global over-exposure with
 * clipping (highlights saturate), not salt-and-pepper noise; it is kept as the reference defines it
 * so models see what Robust-Seg trained on.
 */
public final class ImpulseNoise extends BaseDegradation {
    /** Multiplier range per severity 1..5; level 3 is the reference [1.4, 1.5]. */
    static final Range[] MULTIPLIER = {
        new Range(1.1, 1.15), new Range(1.2, 1.3), new Range(1.4, 1.5), new Range(1.6, 1.7), new Range(1.8, 1.9)};

    public ImpulseNoise() {
        super("impulse_noise", "Impulse noise");
    }

    /** The multiplier used for this severity and seed. */
    public double multiplier(int severity, long seed) {
        Degradation.checkSeverity(severity);
        return multiplier(severity, seeds(seed));
    }

    private static double multiplier(int severity, Seeds seeds) {
        return Range.level(MULTIPLIER, severity).at(seeds.params().nextDouble());
    }

    @Override
    RgbImage degrade(RgbImage image, int severity, Seeds seeds) {
        double m = multiplier(severity, seeds);
        return Pixels.mapChannels(image, Pixels.lut(v -> Pixels.toByte(v * m)));
    }
}
