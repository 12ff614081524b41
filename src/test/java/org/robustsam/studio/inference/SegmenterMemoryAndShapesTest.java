package org.robustsam.studio.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.robustsam.studio.image.RgbImage;
import org.robustsam.studio.model.sam.RandomSam;
import org.robustsam.studio.model.sam.SamConfig;

/** Odd image shapes work, and a long encode/decode loop does not grow native memory. */
class SegmenterMemoryAndShapesTest {
    @TempDir
    static Path dir;

    private static Segmenter segmenter;

    @BeforeAll
    static void load() throws Exception {
        Path model = dir.resolve("tiny.safetensors");
        RandomSam.write(SamConfig.TINY, 5, model);
        segmenter = Segmenters.open(model);
    }

    @AfterAll
    static void close() {
        segmenter.close();
    }

    private static RgbImage gradient(int w, int h, int seed) {
        int[] px = new int[w * h];
        for (int i = 0; i < px.length; i++) {
            px[i] = ((i * 31 + seed * 17) & 0xFF) << 16 | ((i / Math.max(1, w) * 7) & 0xFF) << 8 | (seed & 0xFF);
        }
        return new RgbImage(w, h, px);
    }

    private static MaskPrediction clickCentre(RgbImage img) throws InferenceException {
        ImageEmbedding e = segmenter.encode(img);
        return segmenter.predict(e, new Prompt(List.of(new Prompt.Point(img.width() / 2.0, img.height() / 2.0, true)), null, null), true);
    }

    @Test
    void onePixelAndExtremeAspectImagesGiveMasksOfTheirSize() throws Exception {
        for (int[] size : new int[][] {{1, 1}, {3000, 2}, {2, 1500}, {1024, 1024}}) {
            MaskPrediction p = clickCentre(gradient(size[0], size[1], 1));
            assertEquals(size[0], p.width());
            assertEquals(size[1], p.height());
            assertEquals(3, p.count());
        }
    }

    @Test
    void aHundredImageLoopDoesNotGrowResidentMemory() throws Exception {
        for (int i = 0; i < 15; i++) {
            clickCentre(gradient(640, 480, i)); // warm-up: allocator pools and JIT settle
        }
        System.gc();
        long before = rssKb();
        long heapBefore = Runtime.getRuntime().totalMemory() / 1024;
        for (int i = 0; i < 100; i++) {
            clickCentre(gradient(640, 480, 100 + i));
        }
        System.gc();
        long after = rssKb();
        long heapAfter = Runtime.getRuntime().totalMemory() / 1024;
        // RSS also counts the Java heap, which may grow to hold garbage; what must not grow is the rest.
        long nativeGrowthMb = ((after - before) - Math.max(0, heapAfter - heapBefore)) / 1024;
        System.out.printf("[memory] RSS %d -> %d MB, committed heap %d -> %d MB, non-heap growth %d MB over 100 images%n",
                before / 1024, after / 1024, heapBefore / 1024, heapAfter / 1024, nativeGrowthMb);
        // One tiny-model encode allocates ~40 MB of native tensors: a leak of even one per image shows.
        assertTrue(nativeGrowthMb < 32, "non-heap memory grew by " + nativeGrowthMb + " MB over 100 images");
    }

    private static long rssKb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS");
    }
}
