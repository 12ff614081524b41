package org.robustsam.studio.degrade;

import org.robustsam.studio.image.RgbImage;

/**
 * Looking through frosted glass: every pixel takes the colour of a random pixel at most d pixels
 * away in x and in y (uniform in [-d, d], clamped at the border). Colours are moved, never mixed,
 * so the colour histogram stays nearly the same. Reference ({@code augment.py frosted_glass_blur}):
 * d = 3, exactly this per-pixel scheme.
 */
public final class FrostedGlassBlur extends BaseDegradation {
    /** Maximum displacement in pixels per severity 1..5; level 3 is the reference 3. */
    static final int[] MAX_DISPLACEMENT = {1, 2, 3, 4, 6};

    public FrostedGlassBlur() {
        super("frosted_glass_blur", "Frosted glass blur");
    }

    @Override
    RgbImage degrade(RgbImage image, int severity, Seeds seeds) {
        int d = MAX_DISPLACEMENT[severity - 1];
        int span = 2 * d + 1;
        int w = image.width();
        int h = image.height();
        int[] src = image.pixels();
        int[] out = new int[src.length];
        Parallel.rows(h, w, (from, to) -> {
            for (int y = from; y < to; y++) {
                Rng rng = seeds.row(0, y);
                for (int x = 0; x < w; x++) {
                    long bits = rng.nextLong();
                    // Two 32-bit uniforms -> offsets in [-d, d] (multiply-shift, one draw per pixel).
                    int ox = (int) (((bits >>> 32) * span) >>> 32) - d;
                    int oy = (int) (((bits & 0xFFFFFFFFL) * span) >>> 32) - d;
                    int sx = Pixels.clamp(x + ox, 0, w - 1);
                    int sy = Pixels.clamp(y + oy, 0, h - 1);
                    out[y * w + x] = src[sy * w + sx];
                }
            }
        });
        return new RgbImage(w, h, out);
    }
}
