package org.robustsam.studio.model.mobilesam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.robustsam.studio.image.RgbImage;
import org.robustsam.studio.inference.ImageEmbedding;
import org.robustsam.studio.inference.MaskPrediction;
import org.robustsam.studio.inference.Prompt;
import org.robustsam.studio.inference.Segmenter;
import org.robustsam.studio.inference.Segmenters;
import org.robustsam.studio.model.sam.SamFixtures;

/** A MobileSAM checkpoint opens as a segmenter like any other and matches the reference predictor. */
class MobileSamSegmenterTest {
    @Test
    void mobileSamCheckpointRunsThroughTheCommonSegmenter() throws Exception {
        SamFixtures fx = MobileSamFixtures.ensure();
        long[] s = fx.shape("image");
        RgbImage image = RgbImage.fromInterleavedRgb((int) s[1], (int) s[0], fx.bytes("image"));
        try (Segmenter segmenter = Segmenters.open(fx.checkpoint())) {
            assertEquals("mobile_sam", segmenter.modelId());
            ImageEmbedding e = segmenter.encode(image);
            String p = "case_box_";
            double[] b = fx.doubles(p + "box");
            MaskPrediction r = segmenter.predict(e, new Prompt(List.of(), new Prompt.Box(b[0], b[1], b[2], b[3]), null), false);
            assertEquals(fx.floats(p + "iou")[0], r.iouScores()[0], 1e-4);
            float[] low = fx.floats(p + "low_res");
            float max = 0;
            for (int i = 0; i < low.length; i++) {
                max = Math.max(max, Math.abs(low[i] - r.lowResLogits()[0].data()[i]));
            }
            assertTrue(max <= 1e-3f, "low-res logits differ by " + max);
        }
    }
}
