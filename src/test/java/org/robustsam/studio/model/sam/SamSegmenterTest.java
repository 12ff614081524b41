package org.robustsam.studio.model.sam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.robustsam.studio.image.RgbImage;
import org.robustsam.studio.inference.FloatTensor;
import org.robustsam.studio.inference.ImageEmbedding;
import org.robustsam.studio.inference.InferenceException;
import org.robustsam.studio.inference.MaskPrediction;
import org.robustsam.studio.inference.Prompt;
import org.robustsam.studio.inference.Segmenter;
import org.robustsam.studio.inference.Segmenters;

/** The app-level segmenter against the reference predictor's outputs (tiny config fixtures). */
class SamSegmenterTest {
    private static SamFixtures fx;
    private static Segmenter segmenter;
    private static ImageEmbedding embedding;

    @BeforeAll
    static void load() throws Exception {
        fx = SamFixtures.ensure("tiny");
        segmenter = Segmenters.open(fx.checkpoint());
        long[] s = fx.shape("image");
        RgbImage image = RgbImage.fromInterleavedRgb((int) s[1], (int) s[0], fx.bytes("image"));
        embedding = segmenter.encode(image);
    }

    @AfterAll
    static void close() {
        if (segmenter != null) {
            segmenter.close();
        }
    }

    private static Prompt prompt(String p) throws java.io.IOException {
        List<Prompt.Point> points = new ArrayList<>();
        if (fx.has(p + "points")) {
            double[] xy = fx.doubles(p + "points");
            float[] labels = fx.floats(p + "labels");
            for (int i = 0; i < labels.length; i++) {
                points.add(new Prompt.Point(xy[2 * i], xy[2 * i + 1], labels[i] > 0.5f));
            }
        }
        Prompt.Box box = null;
        if (fx.has(p + "box")) {
            double[] b = fx.doubles(p + "box");
            box = new Prompt.Box(b[0], b[1], b[2], b[3]);
        }
        FloatTensor mask = fx.has(p + "mask_input") ? new FloatTensor(new long[] {1, 256, 256}, fx.floats(p + "mask_input")) : null;
        return new Prompt(points, box, mask);
    }

    @Test
    void embeddingMatchesTheReference() throws Exception {
        float[] expected = fx.floats("image_embedding");
        float[] got = embedding.imageEmbedding().data();
        float max = 0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs(expected[i] - got[i]));
        }
        assertTrue(max <= 1e-3f, "embedding differs by " + max);
        assertEquals(fx.shape("image")[1], embedding.originalWidth());
    }

    @Test
    void everyPromptCaseMatchesTheReferencePredictor() throws Exception {
        for (String name : List.of("point_multi", "points_single", "box", "points_box_multi", "point_mask", "box_mask_multi")) {
            String p = "case_" + name + "_";
            boolean multi = fx.shape(p + "iou")[0] == 3;
            MaskPrediction r = segmenter.predict(embedding, prompt(p), multi);
            float[] iou = fx.floats(p + "iou");
            byte[] masks = fx.bytes(p + "masks");
            float[] low = fx.floats(p + "low_res");
            assertEquals(iou.length, r.count(), name);
            int plane = r.width() * r.height();
            for (int c = 0; c < r.count(); c++) {
                assertEquals(iou[c], r.iouScores()[c], 1e-4, name + " IoU prediction " + c);
                long inter = 0;
                long union = 0;
                for (int i = 0; i < plane; i++) {
                    boolean a = masks[c * plane + i] != 0;
                    boolean b = r.masks()[c][i] != 0;
                    inter += a && b ? 1 : 0;
                    union += a || b ? 1 : 0;
                }
                double maskIou = union == 0 ? 1 : (double) inter / union;
                assertTrue(maskIou >= 0.999, name + " mask " + c + " IoU " + maskIou);
                float[] got = r.lowResLogits()[c].data();
                float max = 0;
                for (int i = 0; i < got.length; i++) {
                    max = Math.max(max, Math.abs(low[c * got.length + i] - got[i]));
                }
                assertTrue(max <= 1e-3f, name + " low-res logits differ by " + max);
            }
        }
    }

    @Test
    void refusesEmptyPromptsAndForeignEmbeddings() {
        InferenceException empty = assertThrows(InferenceException.class, () -> segmenter.predict(embedding, Prompt.empty(), true));
        assertTrue(empty.getMessage().contains("empty prompt"), empty.getMessage());
        ImageEmbedding foreign = new ImageEmbedding("other@123", 10, 10, embedding.tensors());
        InferenceException other = assertThrows(InferenceException.class,
                () -> segmenter.predict(foreign, prompt("case_box_"), false));
        assertTrue(other.getMessage().contains("other@123"), other.getMessage());
    }
}
