package org.robustsam.studio.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.robustsam.studio.image.ImageLoader;
import org.robustsam.studio.image.RgbImage;
import org.robustsam.studio.model.sam.RandomSam;
import org.robustsam.studio.model.sam.SamConfig;

/** The seeded random tiny model: written as safetensors, identified, loaded and run end to end. */
class RandomSamSegmenterTest {
    @TempDir
    Path dir;

    @Test
    void randomTinyModelIsReproducibleIdentifiedAndGivesNonDegenerateMasks() throws Exception {
        Path a = dir.resolve("a.safetensors");
        Path b = dir.resolve("b.safetensors");
        RandomSam.write(SamConfig.TINY, 7, a);
        RandomSam.write(SamConfig.TINY, 7, b);
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b), "same seed, same bytes");

        RgbImage image = new ImageLoader().load(Path.of(System.getProperty("studio.project.dir", "."), "assets", "samples", "street-rain.jpg"));
        try (Segmenter s = Segmenters.open(a)) {
            assertEquals("sam_tiny", s.modelId());
            ImageEmbedding e = s.encode(image);
            assertArrayEquals(new long[] {1, 256, 64, 64}, e.imageEmbedding().shape());
            MaskPrediction p = s.predict(e, new Prompt(List.of(new Prompt.Point(450, 250, true)), null, null), true);
            assertEquals(3, p.count());
            assertEquals(image.width(), p.width());
            double total = (double) image.width() * image.height();
            boolean someUseful = false;
            for (int c = 0; c < 3; c++) {
                double frac = p.area(c) / total;
                someUseful |= frac > 0.001 && frac < 0.999;
            }
            assertTrue(someUseful, "every candidate mask is empty or full");
        }
    }
}
