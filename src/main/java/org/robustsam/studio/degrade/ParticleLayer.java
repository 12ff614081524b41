package org.robustsam.studio.degrade;

/**
 * One layer of falling particles (snowflakes or raindrops) after imgaug's {@code SnowflakesLayer}:
 * sparse bright "salt" on a coarse grid (coarser = bigger particles), thinned out by a smooth
 * random gate so some areas get fewer, enlarged to the image, optionally softened, and smeared
 * along the fall direction into streaks. The result is an intensity field 0..255 per pixel that
 * {@link Snow} and {@link Rain} blend onto the image in their own ways.
 */
final class ParticleLayer {
    /** Per-layer parameters, all drawn before any pixel work. */
    record Params(double density, double densityUniformity, double particleSize, double angleDegrees,
                  double speed, double blurSigmaFraction) {}

    private ParticleLayer() {}

    /**
     * The streak field (w x h, 0..255). {@code stream} separates the random rows of layers.
     *
     * @param blurSigmaLimits clamp of the softening sigma in pixels, or null for no softening
     */
    static int[] field(int w, int h, Params p, Rng gateRng, BaseDegradation.Seeds seeds, int stream,
                       double[] blurSigmaLimits) {
        // Coarse salt: each coarse pixel becomes a particle with probability `density`. Both
        // uniforms are always drawn so a higher density only adds particles, never moves them.
        double down = Math.min(1.0, Math.max(0.001, 1.0 - p.particleSize()));
        int lw = Math.max(1, (int) (w * down));
        int lh = Math.max(1, (int) (h * down));
        float[] coarse = new float[lw * lh];
        float density = (float) p.density();
        for (int y = 0; y < lh; y++) {
            Rng rng = seeds.row(stream, y);
            for (int x = 0; x < lw; x++) {
                float u = rng.nextFloat();
                float v = rng.nextFloat();
                if (u < density) {
                    // Salt brightness 128..255, arcsine-distributed like imgaug's Beta(0.5, 0.5).
                    double s = StrictMath.sin(v * Math.PI / 2);
                    coarse[y * lw + x] = (float) (128 + 127 * s * s);
                }
            }
        }

        // Gate: an 8 x 8 grid of Beta(1, 1 - uniformity) values, enlarged; dims particles locally.
        float[] gate = new float[64];
        for (int i = 0; i < gate.length; i++) {
            gate[i] = (float) gateRng.nextBetaOneB(1.0 - p.densityUniformity());
        }
        float[] gateUp = Resize.plane(gate, 8, 8, lw, lh);
        for (int i = 0; i < coarse.length; i++) {
            float g = Math.min(1f, Math.max(0f, gateUp[i]));
            coarse[i] = (int) Math.min(255f, coarse[i] * g); // uint8 as in the reference
        }

        float[] full = Resize.plane(coarse, lw, lh, w, h);
        if (blurSigmaLimits != null) {
            double sigma = Math.max(w, h) * p.blurSigmaFraction();
            sigma = Math.min(blurSigmaLimits[1], Math.max(blurSigmaLimits[0], sigma));
            full = GaussianFilter.blur(full, w, h, sigma);
        }
        int[] field = new int[w * h];
        for (int i = 0; i < field.length; i++) {
            field[i] = Pixels.toByte(full[i]);
        }

        // Fall streaks: a trail of speed * size pixels; angle 0 is straight down the image.
        int k = (int) (p.speed() * Math.max(w, h));
        if (k <= 1) {
            return field;
        }
        double rad = StrictMath.toRadians(p.angleDegrees());
        return LineBlur.blur(field, w, h, Math.max(k, 3), 0, StrictMath.sin(rad), -StrictMath.cos(rad));
    }
}
