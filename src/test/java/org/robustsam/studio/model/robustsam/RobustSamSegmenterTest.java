package org.robustsam.studio.model.robustsam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.robustsam.studio.model.sam.SamFixtures;
import org.robustsam.studio.image.RgbImage;
import org.robustsam.studio.inference.ImageEmbedding;
import org.robustsam.studio.inference.MaskPrediction;
import org.robustsam.studio.inference.Prompt;
import org.robustsam.studio.inference.Segmenter;
import org.robustsam.studio.inference.Segmenters;

/**
 * The app-level segmenter on a RobustSAM checkpoint runs the robust path (clear=false), the
 * official inference, from a cached embedding: compared with the reference's outputs (tiny config).
 */
class RobustSamSegmenterTest {
    private static SamFixtures fx;
    private static Segmenter segmenter;
    private static ImageEmbedding embedding;

    @BeforeAll
    static void load() throws Exception {
        fx = RobustSamFixtures.ensure("tiny");
        segmenter = Segmenters.open(fx.file("checkpoint"));
        long[] s = fx.shape("image");
        byte[] rgb = Files.readAllBytes(fx.dir.resolve(fx.manifest.get("arrays").get("image").get("file").asText()));
        embedding = segmenter.encode(RgbImage.fromInterleavedRgb((int) s[1], (int) s[0], rgb));
    }

    @AfterAll
    static void close() {
        if (segmenter != null) {
            segmenter.close();
        }
    }

    @Test
    void isIdentifiedAsRobustSamAndAnswersSingleClicksWithOneMask() {
        assertEquals("robustsam_tiny", segmenter.modelId());
        assertFalse(segmenter.multimaskForSingleClicks());
        assertTrue(embedding.tensors().containsKey("robust_image_features"), "AMFG's image side is cached with the embedding");
    }

    @Test
    void robustPathMatchesTheReferenceForBoxAndPoints() throws Exception {
        // The prompts of make_robustsam_fixtures.py, in original pixels.
        check("box", new Prompt(List.of(), new Prompt.Box(50, 60, 400, 420), null));
        check("points_single", new Prompt(List.of(new Prompt.Point(120.5, 80.25, true), new Prompt.Point(600, 500, false),
                new Prompt.Point(10, 520, true)), null, null));
    }

    private static void check(String name, Prompt prompt) throws Exception {
        MaskPrediction p = segmenter.predict(embedding, prompt, false);
        float[] low = fx.floats("case_" + name + "_robust_low_res");
        float[] iou = fx.floats("case_" + name + "_robust_iou");
        assertEquals(1, p.count());
        assertEquals(iou[0], p.iouScores()[0], 1e-4, name + " IoU");
        float[] got = p.lowResLogits()[0].data();
        float max = 0;
        for (int i = 0; i < got.length; i++) {
            max = Math.max(max, Math.abs(low[i] - got[i]));
        }
        assertTrue(max <= 1e-3f, name + ": robust low-res logits differ by " + max);
    }
}
