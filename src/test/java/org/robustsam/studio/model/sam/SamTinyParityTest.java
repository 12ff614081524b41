package org.robustsam.studio.model.sam;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.robustsam.studio.inference.ResizeLongestSide;
import org.robustsam.studio.image.RgbImage;
import org.robustsam.studio.inference.SamPredictor;
import org.robustsam.studio.inference.SamTransforms;
import org.robustsam.studio.model.checkpoint.CheckpointException;

/** Parity on the tiny config (always run), plus resize, coordinate mapping and bad checkpoints. */
class SamTinyParityTest extends SamParityBase {
    @Override
    protected String configName() {
        return "tiny";
    }

    @Test
    void resizeMatchesPillowBilinear() throws IOException {
        ResizeLongestSide t = new ResizeLongestSide(1024);
        for (String name : new String[] {"image", "image_big"}) {
            long[] s = fx.shape(name);
            RgbImage in = RgbImage.fromInterleavedRgb((int) s[1], (int) s[0], fx.bytes(name));
            RgbImage out = t.applyImage(in);
            long[] r = fx.shape(name + "_resized");
            assertEquals(r[0], out.height(), name + " height");
            assertEquals(r[1], out.width(), name + " width");
            byte[] expected = fx.bytes(name + "_resized");
            byte[] outBytes = out.toInterleavedRgb();
            int maxDiff = 0;
            int differing = 0;
            for (int i = 0; i < expected.length; i++) {
                int d = Math.abs((expected[i] & 0xff) - (outBytes[i] & 0xff));
                maxDiff = Math.max(maxDiff, d);
                differing += d > 0 ? 1 : 0;
            }
            note(String.format(Locale.ROOT, "resize %s %dx%d -> %dx%d: max |diff| %d, %d of %d values differ",
                    name, s[1], s[0], out.width(), out.height(), maxDiff, differing, expected.length));
            assertTrue(maxDiff <= 1, name + ": resized pixels differ by up to " + maxDiff);
        }
    }

    @Test
    void coordinatesMapToTheResizedFrame() throws IOException {
        ResizeLongestSide t = new ResizeLongestSide(1024);
        long[] s = fx.shape("image");
        for (JsonNode c : fx.manifest.get("cases")) {
            String p = "case_" + c.get("name").asText() + "_";
            if (fx.has(p + "points")) {
                assertArrayEquals(fx.floats(p + "points_resized"),
                        t.applyCoords(fx.doubles(p + "points"), (int) s[0], (int) s[1]), 1e-4f, p + "points");
            }
            if (fx.has(p + "box")) {
                assertArrayEquals(fx.floats(p + "box_resized"),
                        t.applyBoxes(fx.doubles(p + "box"), (int) s[0], (int) s[1]), 1e-4f, p + "box");
            }
        }
    }

    @Test
    void postprocessingMatchesReferenceInterpolation() throws IOException {
        long[] img = fx.shape("image");
        long[] resized = fx.shape("image_resized");
        try (NDManager m = manager.newSubManager()) {
            long[] ls = fx.shape("case_point_multi_low_res");
            NDArray low = m.create(fx.floats("case_point_multi_low_res"), new Shape(1, ls[0], ls[1], ls[2]));
            NDArray full = SamTransforms.postprocessMasks(low, 1024, (int) resized[0], (int) resized[1],
                    (int) img[0], (int) img[1]);
            float d = maxAbsDiff(fx.floats("case_point_multi_mask_logits"), full.toFloatArray());
            note(String.format(Locale.ROOT, "postprocess (bilinear, crop, bilinear) max |diff| %.3g", d));
            assertTrue(d <= 1e-5f, "postprocessed logits differ by " + d);
        }
    }

    @Test
    void relPosTableOfAnotherLengthIsLinearlyResized() throws IOException {
        try (NDManager m = manager.newSubManager()) {
            NDArray r = Attention.getRelPos(14, 14, fx.array("relpos_table", m));
            assertArrayEquals(fx.shape("relpos_14"), r.getShape().getShape());
            float d = maxAbsDiff(fx.floats("relpos_14"), r.toFloatArray());
            note(String.format(Locale.ROOT, "get_rel_pos with linear resize 31 -> 27 rows max |diff| %.3g", d));
            assertTrue(d <= 1e-6f, "resized rel pos differs by " + d);
        }
    }

    @Test
    void predictorEndToEndMatchesReference() throws IOException {
        long[] s = fx.shape("image");
        RgbImage image = RgbImage.fromInterleavedRgb((int) s[1], (int) s[0], fx.bytes("image"));
        try (NDManager m = manager.newSubManager(); SamPredictor predictor = new SamPredictor(sam, m)) {
            predictor.setImage(image);
            String p = "case_points_box_multi_";
            try (SamPredictor.Prediction r = predictor.predict(fx.doubles(p + "points"),
                    toInts(fx.floats(p + "labels")), fx.doubles(p + "box"), null, true, true, m)) {
                assertArrayEquals(fx.shape(p + "masks"), r.masks().getShape().getShape());
                double iou = binaryIou(fx.bytes(p + "masks"), r.masks().toFloatArray());
                float dIou = maxAbsDiff(fx.floats(p + "iou"), r.iouPredictions());
                note(String.format(Locale.ROOT, "predictor end to end (Java resize): mask IoU %.6f, IoU pred |diff| %.3g",
                        iou, dIou));
                assertTrue(iou >= MASK_IOU_MIN, "mask IoU " + iou);
                assertTrue(dIou <= IOU_TOL, "IoU predictions differ by " + dIou);
            }
        }
    }

    @Test
    void forwardsLeaveNoArraysBehind() throws IOException {
        int modelBefore = count(sam.manager());
        try (NDManager m = manager.newSubManager()) {
            NDArray input = fx.array("model_input", m);
            NDArray points = m.create(new float[] {100, 200, 500, 300}, new Shape(1, 2, 2));
            NDArray labels = m.create(new int[] {1, 0}, new Shape(1, 2));
            NDArray box = m.create(new float[] {10, 20, 600, 700}, new Shape(1, 4));
            NDArray mask = m.zeros(new Shape(1, 1, 256, 256));
            int before = count(m);
            int globals = sam.config().globalAttnIndexes().size();
            try (EncoderOutput e = sam.encode(input, true)) {
                assertEquals(before + 1 + globals, count(m), "encode keeps the embedding and the global outputs only");
                try (MaskDecoder.Output o = sam.decode(e.imageEmbedding(), points, labels, box, mask, true)) {
                    assertEquals(before + 1 + globals + 2, count(m), "decode keeps masks and IoUs only");
                }
            }
            assertEquals(before, count(m));
        }
        assertEquals(modelBefore, count(sam.manager()), "forwards allocate nothing in the model's manager");
    }

    private static int count(NDManager m) {
        return ((ai.djl.ndarray.BaseNDManager) m).getManagedArrays().size();
    }

    @Test
    void tinyCheckpointLoadedAsVitBFailsNamingKeys() {
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> Sam.load(SamConfig.VIT_B, fx.checkpoint(), manager));
        String msg = e.getMessage();
        assertTrue(msg.contains("sam_tiny.pth"), msg);
        assertTrue(msg.contains("missing") && msg.contains("image_encoder.blocks.2."), msg);
        assertTrue(msg.contains("wrong shape") && msg.contains("image_encoder.pos_embed"), msg);
    }

    @Test
    void nanWeightsFailNamingTheTensor() {
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> Sam.load(SamConfig.TINY, fx.file("nan_checkpoint"), manager));
        assertTrue(e.getMessage().contains("mask_decoder.iou_prediction_head.layers.1.weight"), e.getMessage());
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
    }

    private static int[] toInts(float[] f) {
        int[] out = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = Math.round(f[i]);
        }
        return out;
    }
}
