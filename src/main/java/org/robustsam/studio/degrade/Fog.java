package org.robustsam.studio.degrade;

import org.robustsam.studio.image.RgbImage;

/**
 * Fog: a bright, uneven cloud layer blended over the whole image, then a haze of faint white discs
 * that thickens towards the centre and a slight box blur. Reference ({@code augment.py fog}):
 * <ol>
 *   <li>imgaug {@code Fog()}: {@code out = (1 - a) * in + a * I} with intensity
 *       {@code I = m (1 + (2 n_f - 1) / 5) + N_8x8(0, 2)}, m in [220, 255], n_f fine noise
 *       (spectrum exponent -2..-1.5), and alpha {@code a = clip((a_min + 0.3 n_a)^0.9 * d)} with
 *       a_min in [0.7, 0.9], n_a very coarse noise (2..8 px lattice, exponent -4..-2), d in
 *       [0.4, 0.9]; so about 60% of every pixel is fog at the reference level.</li>
 *   <li>albumentations {@code RandomFog(fog_coef 0.1..0.2, alpha_coef 0.08)}: rings of white discs of
 *       radius {@code w/3 * coef / 2} around the centre, each blended at {@code 0.08 * coef}, then a
 *       {@code (w/3 * coef / 10)}-pixel box blur.</li>
 * </ol>
 * The noise fields are value-noise octaves (see {@link SmoothNoise}) computed at most 256 pixels a
 * side and enlarged; fog has no detail finer than that.
 */
public final class Fog extends BaseDegradation {
    /** Cloud density multiplier d per severity 1..5; level 3 is the reference [0.4, 0.9]. */
    static final Range[] DENSITY = {
        new Range(0.1, 0.25), new Range(0.2, 0.45), new Range(0.4, 0.9), new Range(0.6, 0.95), new Range(0.75, 1.0)};
    /** Haze coefficient per severity 1..5; level 3 is the reference [0.1, 0.2]. */
    static final Range[] FOG_COEF = {
        new Range(0.05, 0.1), new Range(0.08, 0.15), new Range(0.1, 0.2), new Range(0.15, 0.25), new Range(0.2, 0.3)};
    static final Range INTENSITY_MEAN = new Range(220, 255);
    static final Range ALPHA_MIN = new Range(0.7, 0.9);
    static final double ALPHA_MULTIPLIER = 0.3;
    static final double SPARSITY = 0.9;
    static final Range INTENSITY_EXPONENT = new Range(-2.0, -1.5);
    static final Range ALPHA_EXPONENT = new Range(-4.0, -2.0);
    static final double HAZE_ALPHA = 0.08;
    /** Longer side of the grid the cloud fields are computed on. */
    private static final int FIELD_SIZE = 256;

    public Fog() {
        super("fog", "Fog");
    }

    @Override
    RgbImage degrade(RgbImage image, int severity, Seeds seeds) {
        int w = image.width();
        int h = image.height();
        Rng rng = seeds.params();
        double density = Range.level(DENSITY, severity).at(rng.nextDouble());
        double fogCoef = Range.level(FOG_COEF, severity).at(rng.nextDouble());
        double mean = INTENSITY_MEAN.at(rng.nextDouble());
        double alphaMin = ALPHA_MIN.at(rng.nextDouble());
        double intensityExp = INTENSITY_EXPONENT.at(rng.nextDouble());
        double alphaExp = ALPHA_EXPONENT.at(rng.nextDouble());
        int alphaCells = 2 + rng.nextInt(7); // imgaug alpha_size_px_max 2..8

        // Cloud fields on a small grid, then enlarged.
        double scale = Math.min(1.0, (double) FIELD_SIZE / Math.max(w, h));
        int fw = Math.max(2, (int) Math.round(w * scale));
        int fh = Math.max(2, (int) Math.round(h * scale));
        float[] fine = SmoothNoise.fractal(fw, fh, 4, Math.max(4, Math.max(fw, fh) / 2), intensityExp, rng);
        float[] coarse = Resize.plane(gaussianGrid(rng, 2.0), 8, 8, fw, fh);
        float[] alphaNoise = SmoothNoise.fractal(fw, fh, alphaCells, alphaCells * 2, alphaExp, rng);
        float[] intensitySmall = new float[fw * fh];
        float[] alphaSmall = new float[fw * fh];
        for (int i = 0; i < intensitySmall.length; i++) {
            intensitySmall[i] = (float) (mean * (1 + (2 * fine[i] - 1) / 5.0) + coarse[i]);
            double a = StrictMath.pow(alphaMin + ALPHA_MULTIPLIER * alphaNoise[i], SPARSITY) * density;
            alphaSmall[i] = (float) Math.min(1.0, Math.max(0.0, a));
        }
        float[] intensity = Resize.plane(intensitySmall, fw, fh, w, h);
        float[] alpha = Resize.plane(alphaSmall, fw, fh, w, h);

        // Haze discs: how many cover each pixel; each blends 0.08 * coef towards white.
        int hw = Math.max((int) ((w / 3) * fogCoef), 10);
        int[] cover = hazeCover(w, h, hw, rng);
        double discAlpha = HAZE_ALPHA * fogCoef;
        int maxCover = 0;
        for (int c : cover) {
            maxCover = Math.max(maxCover, c);
        }
        float[] keep = new float[maxCover + 1]; // (1 - discAlpha)^n, by table
        for (int n = 0; n <= maxCover; n++) {
            keep[n] = (float) StrictMath.pow(1 - discAlpha, n);
        }

        int[] src = image.pixels();
        int[] fr = new int[src.length];
        int[] fg = new int[src.length];
        int[] fb = new int[src.length];
        Parallel.rows(h, w, (from, to) -> {
            for (int i = from * w, end = to * w; i < end; i++) {
                int p = src[i];
                float a = alpha[i];
                float fogValue = Math.min(255f, Math.max(0f, intensity[i])) * a;
                float k = keep[cover[i]];
                fr[i] = haze(Pixels.toByte((1 - a) * Pixels.red(p) + fogValue), k);
                fg[i] = haze(Pixels.toByte((1 - a) * Pixels.green(p) + fogValue), k);
                fb[i] = haze(Pixels.toByte((1 - a) * Pixels.blue(p) + fogValue), k);
            }
        });

        int[] r = fr;
        int[] g = fg;
        int[] b = fb;
        int box = hw / 10;
        if (box > 1) {
            int start = -(box - 1) / 2;
            r = LineBlur.blur(LineBlur.blur(r, w, h, box, start, 1, 0), w, h, box, start, 0, 1);
            g = LineBlur.blur(LineBlur.blur(g, w, h, box, start, 1, 0), w, h, box, start, 0, 1);
            b = LineBlur.blur(LineBlur.blur(b, w, h, box, start, 1, 0), w, h, box, start, 0, 1);
        }
        return Planes.merge(w, h, r, g, b);
    }

    private static int haze(int v, float keep) {
        return Pixels.toByte(255f - (255f - v) * keep);
    }

    private static float[] gaussianGrid(Rng rng, double sigma) {
        float[] g = new float[64];
        for (int i = 0; i < g.length; i++) {
            g[i] = (float) (sigma * rng.nextGaussian());
        }
        return g;
    }

    /**
     * Disc cover counts after albumentations' haze layout: ring k (k = 1, 2, ...) adds
     * {@code (hw / 10) * k} discs at random in a box that grows from the centre by about
     * {@code 3 hw w / (w + h)} per ring until it passes the image edges.
     */
    static int[] hazeCover(int w, int h, int hw, Rng rng) {
        int[] cover = new int[w * h];
        int radius = hw / 2;
        int midX = w / 2 - 2 * hw;
        int midY = h / 2 - hw;
        int stepX = Math.max(1, 3 * hw * w / (w + h));
        int stepY = Math.max(1, 3 * hw * h / (w + h));
        for (int ring = 1; midX > -hw || midY > -hw; ring++) {
            int count = (hw / 10) * ring;
            for (int i = 0; i < count; i++) {
                int x = randomBetween(rng, midX, w - midX - hw);
                int y = randomBetween(rng, midY, h - midY - hw);
                addDisc(cover, w, h, x + hw / 2, y + hw / 2, radius);
            }
            midX -= stepX;
            midY -= stepY;
        }
        return cover;
    }

    private static int randomBetween(Rng rng, int lo, int hi) {
        if (hi <= lo) {
            return lo;
        }
        return lo + rng.nextInt(hi - lo + 1);
    }

    private static void addDisc(int[] cover, int w, int h, int cx, int cy, int radius) {
        for (int dy = -radius; dy <= radius; dy++) {
            int y = cy + dy;
            if (y < 0 || y >= h) {
                continue;
            }
            int span = (int) StrictMath.sqrt((double) radius * radius - (double) dy * dy);
            int x0 = Math.max(0, cx - span);
            int x1 = Math.min(w - 1, cx + span);
            for (int x = x0; x <= x1; x++) {
                cover[y * w + x]++;
            }
        }
    }
}
