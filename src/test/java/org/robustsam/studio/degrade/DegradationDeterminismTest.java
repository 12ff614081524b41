package org.robustsam.studio.degrade;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.robustsam.studio.image.RgbImage;

/** Reproducibility, seeds, severities, the registry and chains: the contract of {@link Degradation}. */
class DegradationDeterminismTest {
    /**
     * SHA-256 (first 16 hex digits) of the pixels of each degradation at severity 3, seed 42, on
     * {@code syntheticPhoto(256, 192)}. Pins the output bit for bit: a change here means every
     * dataset made before would differ, so change these only on purpose (and say so).
     */
    private static final Map<String, String> GOLDEN = new LinkedHashMap<>();

    static {
        GOLDEN.put("snow", "d25f0ee3372e821d");
        GOLDEN.put("fog", "fc71e83e2ffe64f8");
        GOLDEN.put("rain", "c208703ee3c5626e");
        GOLDEN.put("gauss_noise", "7574e7ac302e2957");
        GOLDEN.put("iso_noise", "1db2e164d93158e4");
        GOLDEN.put("impulse_noise", "723dee916da316de");
        GOLDEN.put("resampling_blur", "3798041a4e6352f3");
        GOLDEN.put("motion_blur", "14368afe261ca052");
        GOLDEN.put("zoom_blur", "87b5ad9cbf5956ef");
        GOLDEN.put("color_jitter", "173ce1e060023974");
        GOLDEN.put("compression", "32cc1df0abc9897a");
        GOLDEN.put("elastic_transform", "51a79476d920a046");
        GOLDEN.put("frosted_glass_blur", "573fd088e31caf8f");
        GOLDEN.put("brightness", "c7e75fe571d40e8a");
        GOLDEN.put("contrast", "7d42889b3f5b8748");
    }

    static String digest(RgbImage img) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        ByteBuffer buf = ByteBuffer.allocate(img.pixels().length * 4 + 8);
        buf.putInt(img.width()).putInt(img.height());
        for (int p : img.pixels()) {
            buf.putInt(p);
        }
        return HexFormat.of().formatHex(sha.digest(buf.array())).substring(0, 16);
    }

    @Test
    void registryListsTheFifteenReferenceDegradationsInOrder() {
        assertEquals(List.of("snow", "fog", "rain", "gauss_noise", "iso_noise", "impulse_noise", "resampling_blur",
                "motion_blur", "zoom_blur", "color_jitter", "compression", "elastic_transform", "frosted_glass_blur",
                "brightness", "contrast"), Degradations.ids());
        assertSame(Degradations.get("iso_noise"), Degradations.get("ISO_noise"));
        assertEquals("Gaussian noise", Degradations.get("gauss_noise").name());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Degradations.get("haze"));
        assertTrue(e.getMessage().contains("unknown degradation 'haze'") && e.getMessage().contains("frosted_glass_blur"), e.getMessage());
    }

    @Test
    void outputIsPinnedBitForBit() throws Exception {
        RgbImage src = DegradationBenchmark.syntheticPhoto(256, 192);
        List<String> mismatches = new ArrayList<>();
        StringBuilder actual = new StringBuilder();
        for (Degradation d : Degradations.all()) {
            String h = digest(d.apply(src, 3, 42));
            actual.append(String.format(Locale.ROOT, "        GOLDEN.put(\"%s\", \"%s\");%n", d.id(), h));
            if (!h.equals(GOLDEN.get(d.id()))) {
                mismatches.add(d.id());
            }
        }
        assertTrue(mismatches.isEmpty(), "outputs changed for " + mismatches + "; current digests:\n" + actual);
    }

    @Test
    void sameSeedSameOutputDifferentSeedDifferentOutputInputUntouched() throws Exception {
        RgbImage src = DegradationFixtures.synthetic();
        int[] before = src.pixels().clone();
        for (Degradation d : Degradations.all()) {
            for (int s = 1; s <= 5; s++) {
                RgbImage a = d.apply(src, s, 123);
                RgbImage b = d.apply(src, s, 123);
                RgbImage c = d.apply(src, s, 124);
                assertEquals(src.width(), a.width(), d.id());
                assertEquals(src.height(), a.height(), d.id());
                assertArrayEquals(a.pixels(), b.pixels(), d.id() + " severity " + s + " must be reproducible");
                assertFalse(java.util.Arrays.equals(a.pixels(), c.pixels()), d.id() + " severity " + s + " must depend on the seed");
                assertFalse(java.util.Arrays.equals(a.pixels(), src.pixels()), d.id() + " severity " + s + " must change the image");
            }
        }
        assertArrayEquals(before, src.pixels(), "the input image must not be modified");
    }

    @Test
    void resultsDoNotDependOnConcurrency() throws Exception {
        // 1024 wide so the row-parallel paths are taken; four callers at once on a 2-core machine.
        RgbImage src = DegradationBenchmark.syntheticPhoto(1024, 640);
        Map<String, String> alone = new LinkedHashMap<>();
        for (Degradation d : Degradations.all()) {
            alone.put(d.id(), digest(d.apply(src, 4, 77)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> futures = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            for (int round = 0; round < 2; round++) {
                for (Degradation d : Degradations.all()) {
                    ids.add(d.id());
                    futures.add(pool.submit(() -> digest(d.apply(src, 4, 77))));
                }
            }
            for (int i = 0; i < futures.size(); i++) {
                assertEquals(alone.get(ids.get(i)), futures.get(i).get(), ids.get(i) + " differs when run concurrently");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void distortionGrowsWithSeverity() throws Exception {
        RgbImage src = DegradationFixtures.synthetic();
        for (Degradation d : Degradations.all()) {
            double[] mad = new double[5];
            for (int s = 1; s <= 5; s++) {
                double sum = 0;
                for (long seed = 1; seed <= 2; seed++) {
                    sum += DegradationFixtures.meanAbsDiff(src, d.apply(src, s, seed));
                }
                mad[s - 1] = sum / 2;
            }
            System.out.printf(Locale.ROOT, "[degrade-severity] %-20s MAD vs original, severities 1..5: %6.2f %6.2f %6.2f %6.2f %6.2f%n",
                    d.id(), mad[0], mad[1], mad[2], mad[3], mad[4]);
            if (d.id().equals("color_jitter")) {
                // Hue turns wrap around the circle: stronger is not always further. Only the ends.
                assertTrue(mad[0] < mad[4], "color_jitter severity 5 must differ more than 1");
                continue;
            }
            for (int s = 1; s < 5; s++) {
                assertTrue(mad[s] >= mad[s - 1] * 0.98, d.id() + ": severity " + (s + 1) + " must not be milder than " + s);
            }
            assertTrue(mad[4] > mad[0] * 1.2, d.id() + ": severity 5 must be clearly stronger than 1");
        }
    }

    @Test
    void severityOutsideOneToFiveIsRefused() {
        RgbImage src = DegradationFixtures.grey(8, 8, 100);
        for (Degradation d : Degradations.all()) {
            for (int bad : new int[] {0, 6, -1}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.apply(src, bad, 1));
                assertEquals("severity must be 1..5, got " + bad, e.getMessage());
            }
        }
    }

    @Test
    void tinyAndOddSizedImagesWork() {
        for (int[] size : new int[][] {{1, 1}, {1, 9}, {9, 1}, {2, 3}, {17, 5}, {33, 64}}) {
            RgbImage src = DegradationFixtures.colourNoise(size[0], size[1], 3);
            for (Degradation d : Degradations.all()) {
                for (int s = 1; s <= 5; s++) {
                    RgbImage out = d.apply(src, s, 9);
                    assertEquals(size[0], out.width(), d.id());
                    assertEquals(size[1], out.height(), d.id());
                }
            }
        }
    }

    @Test
    void chainAppliesStepsWithDerivedSeeds() {
        RgbImage src = DegradationFixtures.synthetic();
        DegradationChain chain = DegradationChain.parse("fog:2, compression:4,gauss_noise");
        assertEquals("fog:2,compression:4,gauss_noise:3", chain.toString());
        RgbImage manual = Degradations.get("fog").apply(src, 2, DegradationChain.stepSeed(5, 0));
        manual = Degradations.get("compression").apply(manual, 4, DegradationChain.stepSeed(5, 1));
        manual = Degradations.get("gauss_noise").apply(manual, 3, DegradationChain.stepSeed(5, 2));
        assertArrayEquals(manual.pixels(), chain.apply(src, 5).pixels());
        assertArrayEquals(chain.apply(src, 5).pixels(), chain.apply(src, 5).pixels());
        assertEquals(5, DegradationChain.stepSeed(5, 0), "a one-step chain equals the single degradation");
        assertThrows(IllegalArgumentException.class, () -> DegradationChain.parse("fog:9"));
        assertThrows(IllegalArgumentException.class, () -> DegradationChain.parse("fog:x"));
        assertThrows(IllegalArgumentException.class, () -> DegradationChain.parse(" , "));
    }

    @Test
    void randomStreamIsTheSpecifiedSplitMix64() {
        // First outputs of SplitMix64 seeded with 0 (reference values of the published algorithm).
        Rng rng = new Rng(0);
        assertEquals(0xE220A8397B1DCDAFL, rng.nextLong());
        assertEquals(0x6E789E6AA1B965F4L, rng.nextLong());
        assertEquals(0x06C45D188009454FL, rng.nextLong());
        // The inverse normal CDF: symmetric, and the quantiles every table has.
        assertEquals(0, Rng.inverseNormalCdf(0.5), 1e-12);
        assertEquals(1.959963985, Rng.inverseNormalCdf(0.975), 1e-7);
        assertEquals(-2.326347874, Rng.inverseNormalCdf(0.01), 1e-7);
    }
}
