package org.robustsam.studio.assess;

import org.robustsam.studio.image.RgbImage;

/** Every meter run once on one image: the raw figures the family scores are made from. */
record Meters(NoiseMeter.Noise noise, SharpnessMeter.Sharpness sharpness, BlockinessMeter.Blockiness blockiness,
              ToneMeter.Tone tone, HazeMeter.Haze haze, double flakes) {

    static Meters measure(RgbImage image) {
        WorkingPlanes planes = WorkingPlanes.of(image);
        NoiseMeter.Noise noise = NoiseMeter.measure(planes);
        return new Meters(noise, SharpnessMeter.measure(planes, noise.luma()), BlockinessMeter.measure(image),
                ToneMeter.measure(planes), HazeMeter.measure(planes), ParticleMeter.flakes(planes));
    }
}
