package org.robustsam.studio.degrade;

import org.robustsam.studio.image.RgbImage;

/**
 * Falling snow: one to three layers of snowflakes (see {@link ParticleLayer}), each given a gamma
 * and gain for uneven flake sizes, added faintly everywhere (glow) and laid on top where brighter
 * (flakes). Reference ({@code augment.py snow}): imgaug {@code Snowflakes(density=0.35,
 * flake_size=(0.6, 0.8), speed=(0.01, 0.015), angle=0)} with its defaults (density uniformity
 * 0.3..0.9, flake size uniformity 0.4..0.8, blur sigma fraction 0.0001..0.001, 1..3 layers). The
 * reference first runs albumentations {@code RandomSnow(brightness_coeff=1.0)}, which with a
 * coefficient of 1 leaves the pixels unchanged, so it is omitted.
 */
public final class Snow extends BaseDegradation {
    /** Flake probability on the coarse grid per severity 1..5; level 3 is the reference 0.35. */
    static final double[] DENSITY = {0.05, 0.15, 0.35, 0.45, 0.55};
    static final Range FLAKE_SIZE = new Range(0.6, 0.8);
    static final Range SPEED = new Range(0.01, 0.015);
    static final Range DENSITY_UNIFORMITY = new Range(0.3, 0.9);
    static final Range FLAKE_SIZE_UNIFORMITY = new Range(0.4, 0.8);
    static final Range BLUR_SIGMA_FRACTION = new Range(0.0001, 0.001);
    static final double[] BLUR_SIGMA_LIMITS = {0.5, 3.75};

    public Snow() {
        super("snow", "Snow");
    }

    @Override
    RgbImage degrade(RgbImage image, int severity, Seeds seeds) {
        int w = image.width();
        int h = image.height();
        Rng rng = seeds.params();
        int layers = 1 + rng.nextInt(3);
        int[] px = image.pixels().clone();
        for (int layer = 0; layer < layers; layer++) {
            ParticleLayer.Params p = new ParticleLayer.Params(DENSITY[severity - 1],
                    DENSITY_UNIFORMITY.at(rng.nextDouble()), FLAKE_SIZE.at(rng.nextDouble()), 0.0,
                    SPEED.at(rng.nextDouble()), BLUR_SIGMA_FRACTION.at(rng.nextDouble()));
            double sizeUniformity = FLAKE_SIZE_UNIFORMITY.at(rng.nextDouble());
            int[] field = ParticleLayer.field(w, h, p, rng, seeds, 10 + layer, BLUR_SIGMA_LIMITS);

            // Gamma > 1 shrinks faint flake edges (less uniform sizes), the gain brings them back up.
            double gamma = 1.0 + 2 * (1 - sizeUniformity);
            double gainAdjust = 1.0 + 5 * (1 - sizeUniformity);
            float[] flake = new float[256];
            for (int v = 0; v < 256; v++) {
                flake[v] = (float) (Pixels.toByte(255 * StrictMath.pow(v / 255.0, gamma)) * gainAdjust);
            }
            float glow = (float) (0.1 + 20 * p.speed());
            float top = (float) (1.0 + 20 * p.speed());
            int[] cur = px;
            int[] next = new int[px.length];
            Parallel.rows(h, w, (from, to) -> {
                for (int i = from * w, end = to * w; i < end; i++) {
                    float f = flake[field[i]];
                    int q = cur[i];
                    int over = Pixels.toByte(top * f);
                    next[i] = Pixels.pack(snowOn(Pixels.red(q), f, glow, over), snowOn(Pixels.green(q), f, glow, over),
                            snowOn(Pixels.blue(q), f, glow, over));
                }
            });
            px = next;
        }
        return new RgbImage(w, h, px);
    }

    private static int snowOn(int v, float flake, float glow, int over) {
        return Math.max(Pixels.toByte(v + glow * flake), over);
    }
}
