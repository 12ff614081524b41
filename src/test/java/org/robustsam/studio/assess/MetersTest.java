package org.robustsam.studio.assess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.robustsam.studio.degrade.Degradations;
import org.robustsam.studio.image.RgbImage;
import org.robustsam.studio.testutil.SyntheticScenes;

/** Each meter on inputs whose answer is known, and the report's bookkeeping. */
class MetersTest {
    private static final RgbImage SCENE = SyntheticScenes.deadLeaves(512, 384, 7);

    private static RgbImage plusNoise(RgbImage img, double sigma, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] px = img.pixels().clone();
        for (int i = 0; i < px.length; i++) {
            int p = px[i];
            int r = clamp(((p >> 16) & 0xFF) + sigma * gauss(rng));
            int g = clamp(((p >> 8) & 0xFF) + sigma * gauss(rng));
            int b = clamp((p & 0xFF) + sigma * gauss(rng));
            px[i] = r << 16 | g << 8 | b;
        }
        return new RgbImage(img.width(), img.height(), px);
    }

    private static double gauss(SplittableRandom rng) {
        return Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
    }

    private static int clamp(double v) {
        return v <= 0 ? 0 : v >= 255 ? 255 : (int) Math.round(v);
    }

    private static RgbImage grey(int w, int h, int v) {
        int[] px = new int[w * h];
        java.util.Arrays.fill(px, v << 16 | v << 8 | v);
        return new RgbImage(w, h, px);
    }

    @Test
    void noiseMeterReadsTheNoiseAddedToAFlatImageAndToAScene() {
        NoiseMeter.Noise flat = NoiseMeter.measure(WorkingPlanes.of(plusNoise(grey(400, 300, 120), 10, 1)));
        // Luma of three independent channels: sigma * sqrt(0.299^2 + 0.587^2 + 0.114^2).
        double lumaSigma = 10 * Math.sqrt(0.299 * 0.299 + 0.587 * 0.587 + 0.114 * 0.114);
        assertEquals(lumaSigma, flat.luma(), 0.6);
        // var(B - Y) = (1 + 0.41 - 2 * 0.114) sigma^2, var(R - Y) = (1 + 0.41 - 2 * 0.299) sigma^2: rms about sigma.
        assertEquals(10, flat.chroma(), 1.0, "B - Y and R - Y of independent channels");
        double clean = NoiseMeter.measure(WorkingPlanes.of(SCENE)).luma();
        double noisy = NoiseMeter.measure(WorkingPlanes.of(plusNoise(SCENE, 12, 2))).luma();
        double added = 12 * Math.sqrt(0.299 * 0.299 + 0.587 * 0.587 + 0.114 * 0.114);
        assertEquals(Math.hypot(clean, added), noisy, 1.5, "clean " + clean + " plus " + added);
    }

    @Test
    void sharpnessFallsWithBlurAndMotionBlurShowsItsDirection() {
        SharpnessMeter.Sharpness sharp = SharpnessMeter.measure(WorkingPlanes.of(SCENE), 0);
        SharpnessMeter.Sharpness blurred = SharpnessMeter.measure(
                WorkingPlanes.of(Degradations.get("resampling_blur").apply(SCENE, 3, 1)), 0);
        assertTrue(blurred.mean(0) < sharp.mean(0) - 0.3, sharp.mean(0) + " -> " + blurred.mean(0));
        assertTrue(blurred.mean(0) < 1.3, "x4 resampling leaves edges spread over pixels: " + blurred.mean(0));
        // A horizontal smear: only horizontal differences lose their fine structure.
        int w = SCENE.width();
        int[] px = new int[SCENE.pixels().length];
        for (int y = 0; y < SCENE.height(); y++) {
            for (int x = 0; x < w; x++) {
                int r = 0;
                int g = 0;
                int b = 0;
                for (int k = -6; k <= 6; k++) {
                    int q = SCENE.rgb(Math.min(w - 1, Math.max(0, x + k)), y);
                    r += (q >> 16) & 0xFF;
                    g += (q >> 8) & 0xFF;
                    b += q & 0xFF;
                }
                px[y * w + x] = (r / 13) << 16 | (g / 13) << 8 | (b / 13);
            }
        }
        assertEquals(0, SharpnessMeter.measure(WorkingPlanes.of(new RgbImage(w, SCENE.height(), px)), 0).smoothestAngle());
    }

    @Test
    void blockinessFindsTheJpegGridAlsoWhenShifted() throws Exception {
        double clean = BlockinessMeter.measure(SCENE).combined();
        RgbImage jpeg = QualityAssessorCleanTest.jpeg(SCENE, 0.1f);
        double compressed = BlockinessMeter.measure(jpeg).combined();
        assertTrue(clean < 1.1 && compressed > 1.5, clean + " vs " + compressed);
        // Cropped by 3 columns and 5 rows: the grid now starts at phase 5 and 3.
        int w = jpeg.width() - 3;
        int h = jpeg.height() - 5;
        int[] px = new int[w * h];
        for (int y = 0; y < h; y++) {
            System.arraycopy(jpeg.pixels(), (y + 5) * jpeg.width() + 3, px, y * w, w);
        }
        assertEquals(compressed, BlockinessMeter.measure(new RgbImage(w, h, px)).combined(), 0.3);
    }

    @Test
    void toneMarksAndTheDarkChannelRespondToWhatMakesThem() {
        ToneMeter.Tone clean = ToneMeter.measure(WorkingPlanes.of(SCENE));
        ToneMeter.Tone gained = ToneMeter.measure(WorkingPlanes.of(Degradations.get("impulse_noise").apply(SCENE, 3, 1)));
        ToneMeter.Tone darker = ToneMeter.measure(WorkingPlanes.of(Degradations.get("brightness").apply(SCENE, 2, 1)));
        assertEquals(0, clean.gaps(), 0.01);
        assertEquals(0, clean.peaks(), 0.01);
        assertTrue(gained.gaps() > 0.2, "a gain of 1.4-1.5 leaves every third level empty: " + gained.gaps());
        assertTrue(darker.peaks() > 0.1 && darker.gaps() < 0.01, "a gain below one doubles levels: " + darker);
        assertTrue(gained.clippedHigh() > clean.clippedHigh() + 0.05);
        double clear = HazeMeter.measure(WorkingPlanes.of(SCENE)).darkChannel();
        double foggy = HazeMeter.measure(WorkingPlanes.of(Degradations.get("fog").apply(SCENE, 3, 1))).darkChannel();
        assertTrue(clear < 25 && foggy > 100, clear + " -> " + foggy);
    }

    @Test
    void snowflakesAreCountedNoiseIsNot() {
        double clean = ParticleMeter.flakes(WorkingPlanes.of(SCENE));
        double snow = ParticleMeter.flakes(WorkingPlanes.of(Degradations.get("snow").apply(SCENE, 2, 1)));
        double noise = ParticleMeter.flakes(WorkingPlanes.of(plusNoise(SCENE, 15, 3)));
        assertTrue(snow > clean + 5, clean + " -> " + snow);
        assertEquals(clean, noise, 2.0, "smoothed first, so pixel noise makes no flakes");
    }

    @Test
    void theReportKeepsItsBooks() {
        QualityAssessor a = new QualityAssessor();
        QualityReport clean = a.assess(SCENE);
        assertTrue(clean.isClean(), clean.summary());
        assertNull(clean.dominant());
        double product = 1;
        for (DegradationFamily f : DegradationFamily.values()) {
            product *= 1 - clean.score(f);
        }
        assertEquals(product, clean.quality(), 1e-12);
        QualityReport noisy = a.assess(plusNoise(SCENE, 20, 4));
        assertEquals(DegradationFamily.NOISE, noisy.dominant(), noisy.summary());
        assertTrue(noisy.quality() < 0.5 && noisy.summary().startsWith("quality 0."), noisy.summary());
        assertTrue(noisy.measurement("noise_chroma") > 10, "" + noisy.measurements());
        assertTrue(Double.isNaN(noisy.measurement("no such")));
        // A tiny image does not break any meter.
        assertTrue(a.assess(grey(3, 2, 90)).quality() >= 0);
    }

    @Test
    void everyDegradationHasAFamilyButElasticTransform() {
        for (String id : Degradations.ids()) {
            assertEquals(!id.equals("elastic_transform"), DegradationFamily.of(id).isPresent(), id);
        }
        assertEquals(DegradationFamily.LIGHT, DegradationFamily.of("Impulse_Noise").orElseThrow());
        assertThrows(IllegalArgumentException.class, () -> DegradationFamily.of("sepia"));
    }
}
