package org.robustsam.studio.degrade;

import org.robustsam.studio.image.RgbImage;

/**
 * Falling rain: one to three layers of long, slightly slanted streaks (see {@link ParticleLayer}),
 * each alpha-blended onto the image in a drop colour. Reference ({@code augment.py rain}): imgaug
 * {@code Rain(drop_size=(0.40, 0.50), speed=(0.05, 0.1))} with its layer defaults (density
 * 0.03..0.14, density uniformity 0.8..1.0, angle -15..15 degrees, 1..3 layers, drop colour
 * 110..240, alpha {@code min(1, 1.3 * streak / 255)}). imgaug picks the drop colour from a sum
 * over the noise; here it is drawn from the seed.
 */
public final class Rain extends BaseDegradation {
    /** Drop probability range on the coarse grid per severity 1..5; level 3 is the reference [0.03, 0.14]. */
    static final Range[] DENSITY = {
        new Range(0.01, 0.04), new Range(0.02, 0.08), new Range(0.03, 0.14), new Range(0.06, 0.2), new Range(0.1, 0.3)};
    static final Range DROP_SIZE = new Range(0.4, 0.5);
    static final Range SPEED = new Range(0.05, 0.1);
    static final Range DENSITY_UNIFORMITY = new Range(0.8, 1.0);
    static final Range ANGLE = new Range(-15, 15);
    static final Range DROP_COLOUR = new Range(110, 240);

    public Rain() {
        super("rain", "Rain");
    }

    @Override
    RgbImage degrade(RgbImage image, int severity, Seeds seeds) {
        int w = image.width();
        int h = image.height();
        Rng rng = seeds.params();
        int layers = 1 + rng.nextInt(3);
        int[] px = image.pixels().clone();
        for (int layer = 0; layer < layers; layer++) {
            ParticleLayer.Params p = new ParticleLayer.Params(Range.level(DENSITY, severity).at(rng.nextDouble()),
                    DENSITY_UNIFORMITY.at(rng.nextDouble()), DROP_SIZE.at(rng.nextDouble()), ANGLE.at(rng.nextDouble()),
                    SPEED.at(rng.nextDouble()), 0);
            float colour = (float) DROP_COLOUR.at(rng.nextDouble());
            int[] field = ParticleLayer.field(w, h, p, rng, seeds, 10 + layer, null);
            int[] cur = px;
            int[] next = new int[px.length];
            Parallel.rows(h, w, (from, to) -> {
                for (int i = from * w, end = to * w; i < end; i++) {
                    float a = Math.min(1f, 1.3f * field[i] / 255f);
                    int q = cur[i];
                    float keep = 1f - a;
                    float add = a * colour;
                    next[i] = Pixels.pack(Pixels.toByte(Pixels.red(q) * keep + add), Pixels.toByte(Pixels.green(q) * keep + add),
                            Pixels.toByte(Pixels.blue(q) * keep + add));
                }
            });
            px = next;
        }
        return new RgbImage(w, h, px);
    }
}
