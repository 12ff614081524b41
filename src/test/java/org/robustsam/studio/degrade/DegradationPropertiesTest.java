package org.robustsam.studio.degrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.robustsam.studio.degrade.DegradationFixtures.blockiness;
import static org.robustsam.studio.degrade.DegradationFixtures.changedFraction;
import static org.robustsam.studio.degrade.DegradationFixtures.checkerboard;
import static org.robustsam.studio.degrade.DegradationFixtures.colourNoise;
import static org.robustsam.studio.degrade.DegradationFixtures.directionalEnergy;
import static org.robustsam.studio.degrade.DegradationFixtures.grey;
import static org.robustsam.studio.degrade.DegradationFixtures.greyNoise;
import static org.robustsam.studio.degrade.DegradationFixtures.highFrequencyEnergy;
import static org.robustsam.studio.degrade.DegradationFixtures.histogramDistance;
import static org.robustsam.studio.degrade.DegradationFixtures.image;
import static org.robustsam.studio.degrade.DegradationFixtures.luma;
import static org.robustsam.studio.degrade.DegradationFixtures.mean;
import static org.robustsam.studio.degrade.DegradationFixtures.meanAbsDiff;
import static org.robustsam.studio.degrade.DegradationFixtures.meanLuma;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.robustsam.studio.image.RgbImage;

/**
 * One measurable property per degradation, at the reference level (severity 3) unless stated.
 * Each test prints the figures it measured (they are quoted in the notes) and asserts bounds with
 * a margin: the bounds say what the degradation must do, the printed figures what it does.
 */
class DegradationPropertiesTest {
    private static final int REF = Degradation.REFERENCE_SEVERITY;

    private static void report(String format, Object... args) {
        System.out.println("[degrade-props] " + String.format(Locale.ROOT, format, args));
    }

    private static int channel(int p, int c) {
        return (p >> (16 - 8 * c)) & 0xFF;
    }

    // ---- noise --------------------------------------------------------------------------------

    @Test
    void gaussianNoiseAddsIndependentNoiseWithTheReferenceVariance() {
        GaussianNoise d = new GaussianNoise();
        RgbImage src = grey(512, 512, 128); // 128 +- 8 sigma never clips at sigma 16
        for (long seed : new long[] {1, 2, 3}) {
            RgbImage out = d.apply(src, REF, seed);
            double drawn = d.variance(REF, seed);
            assertTrue(drawn >= 250 && drawn <= 260, "drawn variance " + drawn);
            double[][] noise = new double[3][src.pixels().length];
            for (int i = 0; i < src.pixels().length; i++) {
                for (int c = 0; c < 3; c++) {
                    noise[c][i] = channel(out.pixels()[i], c) - 128;
                }
            }
            for (int c = 0; c < 3; c++) {
                double var = DegradationFixtures.variance(noise[c]);
                report("gauss_noise seed %d channel %d: drawn var %.1f, measured var %.1f, mean %.3f", seed, c, drawn, var, mean(noise[c]));
                // Rounding to integers adds 1/12; 262k samples give a standard error of ~0.7.
                assertEquals(drawn + 1.0 / 12, var, 4.0, "variance of channel " + c);
                assertEquals(0, mean(noise[c]), 0.2, "noise must be zero-mean");
            }
            double cov = 0;
            for (int i = 0; i < noise[0].length; i++) {
                cov += noise[0][i] * noise[1][i];
            }
            double corr = cov / noise[0].length / drawn;
            assertTrue(Math.abs(corr) < 0.01, "channels must be independent (per_channel=True), correlation " + corr);
        }
        // Severity 1 and 5 follow their own ranges.
        assertTrue(d.variance(1, 7) <= 50 && d.variance(5, 7) >= 900);
    }

    @Test
    void isoNoiseRaisesLightnessByThePoissonMeanAndScattersHue() {
        IsoNoise d = new IsoNoise();
        // Left half (200, 80, 80): L = 0.549; right half (40, 20, 100): L = 0.235. std(L) = 0.157.
        RgbImage src = image(400, 200, (x, y) -> x < 200 ? Pixels.pack(200, 80, 80) : Pixels.pack(40, 20, 100));
        double[] lightness = {0.5490196, 0.2352941};
        double stdL = (lightness[0] - lightness[1]) / 2;
        long seed = 11;
        IsoNoise.Params p = d.params(REF, seed);
        assertTrue(p.colorShift() >= 0.4 && p.colorShift() <= 0.5 && p.intensity() >= 0.7 && p.intensity() <= 0.8, p.toString());
        RgbImage out = d.apply(src, REF, seed);
        double lambda = stdL * p.intensity() * 255;
        float[] hls = new float[3];
        for (int half = 0; half < 2; half++) {
            double sumL = 0;
            int moved = 0;
            int n = 0;
            float hue0 = half == 0 ? 0f : 255f; // hue of (200,80,80) is 0, of (40,20,100) is 255 degrees
            for (int y = 0; y < 200; y++) {
                for (int x = half * 200; x < half * 200 + 200; x++) {
                    int q = out.pixels()[y * 400 + x];
                    ColorSpace.rgbToHls(Pixels.red(q) / 255f, Pixels.green(q) / 255f, Pixels.blue(q) / 255f, hls);
                    sumL += hls[1];
                    float dh = Math.abs(hls[0] - hue0);
                    dh = Math.min(dh, 360 - dh);
                    if (dh > 20) {
                        moved++;
                    }
                    n++;
                }
            }
            double expected = lightness[half] + lambda / 255 * (1 - lightness[half]);
            report("iso_noise half %d: lambda %.1f, mean L %.4f expected %.4f (was %.4f), hue moved >20deg %.3f (sigma %.0f deg)",
                    half, lambda, sumL / n, expected, lightness[half], (double) moved / n, p.hueSigmaDegrees());
            assertEquals(expected, sumL / n, 0.01, "mean lightness of half " + half);
            assertTrue((double) moved / n > 0.7, "hue noise of ~" + Math.round(p.hueSigmaDegrees()) + " degrees must move most hues");
        }
        // Severity 1: hue sigma ~7 degrees, few hues move by 20 degrees.
        RgbImage mild = d.apply(src, 1, seed);
        int moved = 0;
        for (int i = 0; i < 200 * 400; i += 400) {
            int q = mild.pixels()[i];
            ColorSpace.rgbToHls(Pixels.red(q) / 255f, Pixels.green(q) / 255f, Pixels.blue(q) / 255f, hls);
            if (Math.min(hls[0], 360 - hls[0]) > 20) {
                moved++;
            }
        }
        assertTrue(moved < 200 * 0.1, "severity 1 hue noise too strong: " + moved + " of 200");
    }

    @Test
    void impulseNoiseIsTheReferenceMultiplierOfOneGainPerImage() {
        ImpulseNoise d = new ImpulseNoise();
        RgbImage src = image(256, 64, (x, y) -> Pixels.pack(x, Math.min(255, x / 2 + 40), 255 - x));
        long seed = 5;
        double m = d.multiplier(REF, seed);
        assertTrue(m >= 1.4 && m <= 1.5, "multiplier " + m);
        RgbImage out = d.apply(src, REF, seed);
        int clipped = 0;
        for (int i = 0; i < src.pixels().length; i++) {
            for (int c = 0; c < 3; c++) {
                int in = channel(src.pixels()[i], c);
                int o = channel(out.pixels()[i], c);
                if (in * m >= 255) {
                    assertEquals(255, o);
                    clipped++;
                } else {
                    assertEquals(in * m, o, 0.5 + 1e-9, "one gain for every pixel");
                }
            }
        }
        report("impulse_noise: multiplier %.4f, %d clipped channel values", m, clipped);
        assertTrue(clipped > 0, "highlights must clip");
    }

    // ---- blurs --------------------------------------------------------------------------------

    @Test
    void resamplingBlurCutsHighFrequencyEnergy() throws Exception {
        ResamplingBlur d = new ResamplingBlur();
        RgbImage noise = greyNoise(512, 512, 0, 255, 3);
        RgbImage synthetic = DegradationFixtures.synthetic();
        double[] ratios = new double[5];
        for (int s = 1; s <= 5; s++) {
            ratios[s - 1] = highFrequencyEnergy(d.apply(synthetic, s, 1)) / highFrequencyEnergy(synthetic);
        }
        double noiseRatio = highFrequencyEnergy(d.apply(noise, REF, 1)) / highFrequencyEnergy(noise);
        report("resampling_blur HF energy kept, synthetic, severities 1..5: %.4f %.4f %.4f %.4f %.4f; white noise at 3: %.5f",
                ratios[0], ratios[1], ratios[2], ratios[3], ratios[4], noiseRatio);
        assertTrue(ratios[2] < 0.1, "factor-4 resampling must keep < 10% of the HF energy of the synthetic photo");
        assertTrue(noiseRatio < 0.01, "factor-4 resampling must keep < 1% of the HF energy of white noise");
        for (int s = 1; s < 5; s++) {
            assertTrue(ratios[s] <= ratios[s - 1], "stronger severity must blur more");
        }
        RgbImage photo = DegradationFixtures.sharedPhoto("2011_000006.jpg");
        double photoRatio = highFrequencyEnergy(d.apply(photo, REF, 1)) / highFrequencyEnergy(photo);
        report("resampling_blur HF energy kept, shared photo 2011_000006 at 3: %.4f", photoRatio);
        assertTrue(photoRatio < 0.1);
    }

    @Test
    void motionBlurIsDirectional() {
        // A texture smooth over ~4 px, so a derivative along any angle is meaningful (on white noise
        // a rasterised line at 30 degrees cannot be told apart from its neighbours pixel by pixel).
        RgbImage noise = DegradationFixtures.smoothTexture(512, 512, 4, 9);
        for (double angle : new double[] {0, 30, 45, 90, 120, 160}) {
            RgbImage out = MotionBlur.blur(noise, 31, angle);
            double along = directionalEnergy(out, angle);
            double across = directionalEnergy(out, angle + 90);
            report("motion_blur length 31 at %.0f deg: derivative energy along %.2f, across %.2f, ratio %.3f",
                    angle, along, across, along / across);
            assertTrue(along / across < 0.2, "blur must smooth along " + angle + " degrees far more than across");
        }
        MotionBlur d = new MotionBlur();
        for (long seed = 1; seed <= 4; seed++) {
            MotionBlur.Params p = d.params(5, seed);
            assertTrue(p.length() % 2 == 1 && p.length() >= 3 && p.length() <= 71, p.toString());
            if (p.length() < 15) {
                continue;
            }
            RgbImage out = d.apply(noise, 5, seed);
            double ratio = directionalEnergy(out, p.angleDegrees()) / directionalEnergy(out, p.angleDegrees() + 90);
            report("motion_blur severity 5 seed %d: %s, along/across %.3f", seed, p, ratio);
            assertTrue(ratio < 0.35, "drawn kernel " + p + " must blur along its angle");
        }
        // Reference level: kernel lengths are odd numbers 3..35.
        for (long seed = 0; seed < 200; seed++) {
            int k = d.params(REF, seed).length();
            assertTrue(k >= 3 && k <= 35 && k % 2 == 1, "length " + k);
        }
    }

    @Test
    void zoomBlurSmearsTheBordersAndKeepsTheCentre() {
        ZoomBlur d = new ZoomBlur();
        // Texture smooth over ~8 px: near the centre the zoomed copies move by less than that.
        RgbImage texture = DegradationFixtures.smoothTexture(512, 512, 8, 4);
        int tested = 0;
        for (long seed = 1; seed <= 40 && tested < 3; seed++) {
            ZoomBlur.Params p = d.params(REF, seed);
            assertTrue(p.step() >= 0.05 && p.step() <= 0.07 && p.maxFactor() <= 1.33 && p.factors().length >= 2, p.toString());
            if (p.factors().length < 4) {
                continue; // a short zoom range blurs little; the strong ones show the shape best
            }
            tested++;
            RgbImage out = d.apply(texture, REF, seed);
            double centre = highFrequencyEnergy(out, 248, 248, 264, 264) / highFrequencyEnergy(texture, 248, 248, 264, 264);
            double border = highFrequencyEnergy(out, 0, 0, 512, 48) / highFrequencyEnergy(texture, 0, 0, 512, 48);
            report("zoom_blur seed %d: step %.3f max %.3f (%d zooms): HF energy kept at centre %.3f, top band %.3f",
                    seed, p.step(), p.maxFactor(), p.factors().length, centre, border);
            assertTrue(border < 0.35, "borders must lose most HF energy");
            assertTrue(centre > 0.55, "the centre must stay nearly sharp");
        }
        assertEquals(3, tested);
    }

    @Test
    void frostedGlassMovesPixelsWithinTheReferenceDisplacement() throws Exception {
        FrostedGlassBlur d = new FrostedGlassBlur();
        RgbImage noise = colourNoise(200, 150, 2);
        RgbImage out = d.apply(noise, REF, 8);
        int w = noise.width();
        int h = noise.height();
        int dmax = 3;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean found = false;
                for (int dy = -dmax; dy <= dmax && !found; dy++) {
                    for (int dx = -dmax; dx <= dmax && !found; dx++) {
                        int sx = Math.min(w - 1, Math.max(0, x + dx));
                        int sy = Math.min(h - 1, Math.max(0, y + dy));
                        found = noise.pixels()[sy * w + sx] == out.pixels()[y * w + x];
                    }
                }
                assertTrue(found, "pixel " + x + "," + y + " must come from its 7x7 neighbourhood");
            }
        }
        double moved = changedFraction(noise, out);
        RgbImage photo = DegradationFixtures.sharedPhoto("2011_000003.jpg");
        RgbImage glass = d.apply(photo, REF, 8);
        double hist = histogramDistance(photo, glass);
        double hf = highFrequencyEnergy(glass) / highFrequencyEnergy(photo);
        report("frosted_glass_blur: moved %.3f of noise pixels (expected 48/49 = %.3f); photo histogram distance %.4f, MAD %.1f, HF energy ratio %.2f",
                moved, 48.0 / 49, hist, meanAbsDiff(photo, glass), hf);
        assertTrue(moved > 0.95);
        assertTrue(hist < 0.02, "colour histogram must stay close");
        assertTrue(meanAbsDiff(photo, glass) > 5, "pixels must move");
    }

    @Test
    void elasticTransformMovesPixelsByTheReferenceAmountAndKeepsColours() throws Exception {
        // Coordinates as colours: R = x, G = y. Bilinear sampling of these ramps is exact, so the
        // output tells where each pixel was taken from.
        RgbImage ramp = image(256, 256, (x, y) -> Pixels.pack(x, y, 128));
        double sumStd = 0;
        int seeds = 3;
        for (long seed = 1; seed <= seeds; seed++) {
            RgbImage out = new ElasticTransform().apply(ramp, REF, seed);
            // Remove the best-fitting affine map (the reference's alpha_affine part), keep the field.
            int margin = 24;
            int n = 0;
            double[][] ata = new double[3][3];
            double[][] atb = new double[2][3];
            for (int y = margin; y < 256 - margin; y++) {
                for (int x = margin; x < 256 - margin; x++) {
                    int q = out.pixels()[y * 256 + x];
                    double[] row = {x, y, 1};
                    double[] d = {Pixels.red(q) - x, Pixels.green(q) - y};
                    for (int i = 0; i < 3; i++) {
                        for (int j = 0; j < 3; j++) {
                            ata[i][j] += row[i] * row[j];
                        }
                        atb[0][i] += row[i] * d[0];
                        atb[1][i] += row[i] * d[1];
                    }
                    n++;
                }
            }
            double[] fx = solve3(ata, atb[0]);
            double[] fy = solve3(ata, atb[1]);
            double ss = 0;
            for (int y = margin; y < 256 - margin; y++) {
                for (int x = margin; x < 256 - margin; x++) {
                    int q = out.pixels()[y * 256 + x];
                    double rx = Pixels.red(q) - x - (fx[0] * x + fx[1] * y + fx[2]);
                    double ry = Pixels.green(q) - y - (fy[0] * x + fy[1] * y + fy[2]);
                    ss += rx * rx + ry * ry;
                }
            }
            double std = Math.sqrt(ss / (2 * n));
            sumStd += std;
            report("elastic_transform seed %d: field displacement std %.2f px per axis (expected %.2f)",
                    seed, std, ElasticTransform.expectedDisplacementStd(REF));
        }
        double measured = sumStd / seeds;
        double expected = ElasticTransform.expectedDisplacementStd(REF);
        assertEquals(expected, measured, 0.3 * expected, "displacement like alpha=100, sigma=10");

        RgbImage photo = DegradationFixtures.sharedPhoto("2011_000025.jpg");
        RgbImage warped = new ElasticTransform().apply(photo, REF, 4);
        double hist = histogramDistance(photo, warped);
        double moved = changedFraction(photo, warped);
        report("elastic_transform photo: histogram distance %.4f, changed pixels %.3f, MAD %.1f", hist, moved, meanAbsDiff(photo, warped));
        assertTrue(hist < 0.05, "colour histogram must stay close");
        assertTrue(moved > 0.5, "most pixels must move");
    }

    private static double[] solve3(double[][] a, double[] b) {
        double[][] m = new double[3][4];
        for (int i = 0; i < 3; i++) {
            System.arraycopy(a[i], 0, m[i], 0, 3);
            m[i][3] = b[i];
        }
        for (int c = 0; c < 3; c++) {
            int p = c;
            for (int r = c + 1; r < 3; r++) {
                if (Math.abs(m[r][c]) > Math.abs(m[p][c])) {
                    p = r;
                }
            }
            double[] t = m[c];
            m[c] = m[p];
            m[p] = t;
            for (int r = 0; r < 3; r++) {
                if (r != c) {
                    double f = m[r][c] / m[c][c];
                    for (int k = c; k < 4; k++) {
                        m[r][k] -= f * m[c][k];
                    }
                }
            }
        }
        return new double[] {m[0][3] / m[0][0], m[1][3] / m[1][1], m[2][3] / m[2][2]};
    }

    // ---- compression and colour ---------------------------------------------------------------

    @Test
    void jpegAtQuality5To10ShowsBlockingAtEightPixelBoundaries() throws Exception {
        JpegCompression d = new JpegCompression();
        for (long seed = 0; seed < 50; seed++) {
            double q = d.quality(REF, seed);
            assertTrue(q >= 5 && q <= 10, "quality " + q);
        }
        RgbImage photo = DegradationFixtures.sharedPhoto("2011_000006.jpg");
        // Shift by 3 pixels so the source's own JPEG grid does not line up with the new one.
        RgbImage src = image(photo.width() - 3, photo.height() - 3, (x, y) -> photo.rgb(x + 3, y + 3));
        double before = blockiness(src);
        double[] after = new double[5];
        for (int s = 1; s <= 5; s++) {
            after[s - 1] = blockiness(d.apply(src, s, 1));
        }
        RgbImage synthetic = DegradationFixtures.synthetic();
        double synthBefore = blockiness(synthetic);
        double synthAfter = blockiness(d.apply(synthetic, REF, 1));
        report("compression blockiness (boundary/inside step): photo before %.3f, severities 1..5: %.3f %.3f %.3f %.3f %.3f; synthetic %.3f -> %.3f",
                before, after[0], after[1], after[2], after[3], after[4], synthBefore, synthAfter);
        assertTrue(before < 1.15, "the shifted photo has no 8x8 grid of ours");
        assertTrue(after[2] > 1.5, "quality 5-10 must show blocking");
        assertTrue(synthAfter > 1.5);
        assertTrue(after[0] < after[2] && after[2] < after[4], "lower quality must block more");
    }

    @Test
    void colourJitterIsOneGlobalColourMapWithReferenceRanges() {
        ColorJitter d = new ColorJitter();
        // Grey pixels: saturation and hue leave them alone, contrast of a flat image is a no-op, so
        // out = round(in * brightness factor).
        RgbImage flat = grey(32, 32, 100);
        double lo = Double.MAX_VALUE;
        double hi = 0;
        for (long seed = 0; seed < 300; seed++) {
            ColorJitter.Params p = d.params(REF, seed);
            assertTrue(p.brightness() >= 0.3 && p.brightness() <= 1.7, p.toString());
            assertTrue(p.contrast() >= 0.7 && p.contrast() <= 1.3, p.toString());
            assertTrue(p.saturation() >= 0.3 && p.saturation() <= 1.7, p.toString());
            assertTrue(Math.abs(p.hueTurn()) <= 0.7, p.toString());
            double measured = Pixels.green(d.apply(flat, REF, seed).pixels()[0]) / 100.0;
            assertEquals(Math.min(2.55, p.brightness()), measured, 0.02, "brightness gain on grey, " + p);
            lo = Math.min(lo, measured);
            hi = Math.max(hi, measured);
        }
        report("color_jitter: brightness gain on grey over 300 seeds from %.2f to %.2f", lo, hi);
        assertTrue(lo < 0.45 && hi > 1.55, "gains must span the reference range 0.3..1.7");

        // A global map: identical input colours give identical output colours wherever they are.
        RgbImage patches = image(300, 200, (x, y) -> {
            int k = ((x / 10) * 7 + (y / 10) * 3) % 12;
            return Pixels.pack(20 * k, 255 - 17 * k, (90 + 31 * k) % 256);
        });
        for (long seed = 0; seed < 5; seed++) {
            RgbImage out = d.apply(patches, REF, seed);
            java.util.Map<Integer, Integer> map = new java.util.HashMap<>();
            for (int i = 0; i < patches.pixels().length; i++) {
                Integer prev = map.putIfAbsent(patches.pixels()[i], out.pixels()[i]);
                assertTrue(prev == null || prev == out.pixels()[i], "colour map must not depend on position");
            }
        }
    }

    @Test
    void brightnessScalesByTheReferenceGain() {
        Brightness d = new Brightness();
        RgbImage src = colourNoise(128, 128, 6);
        for (long seed = 0; seed < 5; seed++) {
            double f = d.gain(REF, seed);
            assertTrue(f >= 0.6 && f <= 0.8, "gain " + f);
            RgbImage out = d.apply(src, REF, seed);
            for (int i = 0; i < src.pixels().length; i++) {
                for (int c = 0; c < 3; c++) {
                    assertEquals(Math.round(channel(src.pixels()[i], c) * f), channel(out.pixels()[i], c), 0.5000001);
                }
            }
            report("brightness seed %d: gain %.4f, mean luma %.1f -> %.1f", seed, f, meanLuma(src), meanLuma(out));
        }
        assertTrue(d.gain(1, 1) > d.gain(3, 1) && d.gain(3, 1) > d.gain(5, 1), "higher severity is darker");
    }

    @Test
    void contrastStretchesAround128ByTheReferenceFactor() {
        Contrast d = new Contrast();
        RgbImage src = colourNoise(128, 128, 7);
        for (long seed = 0; seed < 5; seed++) {
            double f = d.factor(REF, seed);
            assertTrue(f >= 1.6 && f <= 1.7, "factor " + f);
            RgbImage out = d.apply(src, REF, seed);
            for (int i = 0; i < src.pixels().length; i++) {
                for (int c = 0; c < 3; c++) {
                    double expected = Math.max(0, Math.min(255, (channel(src.pixels()[i], c) - 128) * f + 128));
                    assertEquals(expected, channel(out.pixels()[i], c), 0.5000001);
                }
            }
            double sdIn = Math.sqrt(DegradationFixtures.variance(luma(src)));
            double sdOut = Math.sqrt(DegradationFixtures.variance(luma(out)));
            report("contrast seed %d: factor %.4f, luma std %.1f -> %.1f", seed, f, sdIn, sdOut);
        }
    }

    // ---- weather ------------------------------------------------------------------------------

    /** Mean luma of the originally bright squares minus that of the dark ones. */
    private static double squareContrast(RgbImage img, RgbImage board) {
        double[] l = luma(img);
        double bright = 0;
        double dark = 0;
        int nb = 0;
        int nd = 0;
        for (int i = 0; i < l.length; i++) {
            if (Pixels.green(board.pixels()[i]) > 100) {
                bright += l[i];
                nb++;
            } else {
                dark += l[i];
                nd++;
            }
        }
        return bright / nb - dark / nd;
    }

    @Test
    void fogSnowAndRainBrightenAndFlattenTheImage() {
        RgbImage board = checkerboard(512, 384, 32, 20, 160); // mean 90, below every fog/rain colour
        double c0 = squareContrast(board, board);
        double m0 = meanLuma(board);
        String[] ids = {"fog", "snow", "rain"};
        double[] minContrastCut = {0.4, 0.1, 0.03};
        double[] minBrightening = {30, 15, 1};
        for (int k = 0; k < ids.length; k++) {
            Degradation d = Degradations.get(ids[k]);
            for (long seed = 1; seed <= 3; seed++) {
                RgbImage out = d.apply(board, REF, seed);
                double cut = 1 - squareContrast(out, board) / c0;
                double rise = meanLuma(out) - m0;
                report("%s seed %d: mean luma %.1f -> %.1f (+%.1f), square contrast %.1f -> %.1f (cut %.0f%%)",
                        ids[k], seed, m0, meanLuma(out), rise, c0, squareContrast(out, board), 100 * cut);
                assertTrue(rise > minBrightening[k], ids[k] + " must brighten by more than " + minBrightening[k]);
                assertTrue(cut > minContrastCut[k], ids[k] + " must cut contrast by more than " + minContrastCut[k]);
            }
        }
    }

    @Test
    void rainStreaksRunNearVertically() {
        RgbImage dark = grey(512, 512, 30);
        for (long seed = 1; seed <= 3; seed++) {
            RgbImage out = Degradations.get("rain").apply(dark, REF, seed);
            double vertical = directionalEnergy(out, 90);
            double horizontal = directionalEnergy(out, 0);
            report("rain seed %d: streak gradient energy vertical %.2f, horizontal %.2f, ratio %.3f", seed, vertical, horizontal,
                    vertical / horizontal);
            assertTrue(vertical / horizontal < 0.5, "rain streaks must be elongated vertically (within 15 degrees)");
        }
    }

    @Test
    void snowCoversPartOfTheImageWithNearWhiteFlakes() {
        RgbImage dark = grey(512, 384, 60);
        for (int s = 1; s <= 5; s++) {
            RgbImage out = Degradations.get("snow").apply(dark, s, 2);
            int white = 0;
            for (int p : out.pixels()) {
                if (Pixels.green(p) >= 200) {
                    white++;
                }
            }
            double frac = (double) white / out.pixels().length;
            report("snow severity %d: near-white fraction %.3f", s, frac);
            if (s == REF) {
                assertTrue(frac > 0.05 && frac < 0.9, "reference snow covers part, not all, of the image");
            }
        }
    }
}
