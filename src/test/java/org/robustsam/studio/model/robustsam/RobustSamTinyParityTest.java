package org.robustsam.studio.model.robustsam;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.robustsam.studio.model.checkpoint.CheckpointException;
import org.robustsam.studio.model.checkpoint.StateDict;
import org.robustsam.studio.model.sam.Sam;
import org.robustsam.studio.model.sam.SamConfig;
import org.robustsam.studio.model.sam.SamModule;

/**
 * Parity on the tiny config (always run), plus the FFT block on its own, the loading rules (bad
 * inputs, DataParallel prefix, a fresh RobustSAM on a SAM base) and prompt batches.
 */
class RobustSamTinyParityTest extends RobustSamParityBase {
    @Override
    String configName() {
        return "tiny";
    }

    /** FGM's FFT path (fft2, magnitude/phase, ifft2) on DJL against torch.fft, at 256x256 and 64x64. */
    @Test
    void fourierBlocksMatchTorchFft() throws Exception {
        try (NDManager m = manager.newSubManager(); StateDict sd = StateDict.load(fx.file("checkpoint"), m)) {
            String[][] blocks = {{"fgm_mask", "mask_decoder.fourier_mask_features.fgm_block."},
                {"fgm_last", "mask_decoder.fourier_last_layer_features.fgm_block."}};
            for (String[] b : blocks) {
                NDArray in = fx.array(b[0] + "_in", m);
                FgmBlock fgm = new FgmBlock((int) in.getShape().get(1));
                fgm.load(b[1], sd::get, m);
                NDArray out = fgm.forward(in);
                assertArrayEquals(fx.shape(b[0] + "_out"), out.getShape().getShape());
                float d = maxAbsDiff(fx.floats(b[0] + "_out"), out.toFloatArray());
                note(String.format(Locale.ROOT, "FGM block %s %s: max |diff| %.3g", b[0], in.getShape(), d));
                assertTrue(d <= 1e-4f, b[0] + " differs by " + d);
            }
        }
    }

    @Test
    void samCheckpointOfferedAsRobustSamSaysSo() {
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> RobustSam.load(SamConfig.TINY, fx.file("sam_checkpoint"), manager));
        assertTrue(e.getMessage().startsWith("sam_base_tiny.pth: no mask_decoder.custom_robust_token / fourier_* keys: "
                + "this is a plain SAM checkpoint; load it as SAM, or as the base of a fresh RobustSAM"), e.getMessage());
    }

    @Test
    void robustSamCheckpointOfferedAsSamSaysSo() {
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> Sam.load(SamConfig.TINY, fx.file("checkpoint"), manager));
        String msg = e.getMessage();
        assertTrue(msg.contains("has RobustSAM modules (mask_decoder.custom_robust_token, mask_decoder.robust_mlp, "
                + "mask_decoder.fourier_mask_features, mask_decoder.fourier_first_layer_features, "
                + "mask_decoder.fourier_last_layer_features, mask_decoder.custom_token_block)"), msg);
        assertTrue(msg.endsWith("load it as RobustSAM"), msg);
        CheckpointException again = assertThrows(CheckpointException.class,
                () -> RobustSam.fromSamCheckpoint(SamConfig.TINY, fx.file("checkpoint"), 1, manager));
        assertTrue(again.getMessage().contains("load it as RobustSAM"), again.getMessage());
    }

    @Test
    void missingModuleIsNamed() {
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> RobustSam.load(SamConfig.TINY, fx.file("partial_checkpoint"), manager));
        assertTrue(e.getMessage().contains("RobustSAM module mask_decoder.custom_token_block missing"), e.getMessage());
    }

    @Test
    void wrongSizeNamesTheKeys() {
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> RobustSam.load(SamConfig.VIT_B, fx.file("checkpoint"), manager));
        String msg = e.getMessage();
        assertTrue(msg.contains("missing") && msg.contains("image_encoder.blocks.2."), msg);
        assertTrue(msg.contains("wrong shape") && msg.contains("image_encoder.pos_embed (expected (1, 64, 64, 768)"), msg);
    }

    @Test
    void dataParallelPrefixIsDropped() throws Exception {
        try (NDManager m = manager.newSubManager();
                RobustSam dp = RobustSam.load(SamConfig.TINY, fx.file("data_parallel_checkpoint"), m)) {
            assertEquals(model.parameters().size(), dp.parameters().size());
            NDArray a = model.parameters().get(model.parameters().size() - 1).get();
            NDArray b = dp.parameters().get(dp.parameters().size() - 1).get();
            assertArrayEquals(a.toFloatArray(), b.toFloatArray());
        }
    }

    /**
     * A SAM checkpoint as the frozen base of a fresh RobustSAM: SAM's path gives the reference's clear
     * results (same SAM weights), the new modules are seeded PyTorch-default values, and every key
     * of a full RobustSAM is bound.
     */
    @Test
    void freshRobustSamOnSamBase() throws Exception {
        try (NDManager m = manager.newSubManager();
                RobustSam fresh = RobustSam.fromSamCheckpoint(SamConfig.TINY, fx.file("sam_checkpoint"), 42, m);
                RobustSam same = RobustSam.fromSamCheckpoint(SamConfig.TINY, fx.file("sam_checkpoint"), 42, m);
                RobustSam other = RobustSam.fromSamCheckpoint(SamConfig.TINY, fx.file("sam_checkpoint"), 43, m)) {
            assertTrue(fresh.hasFreshModules());
            assertEquals(RobustSam.expectedShapes(SamConfig.TINY).keySet(),
                    fresh.parameters().stream().map(SamModule.Parameter::key).collect(Collectors.toSet()));
            List<SamModule.Parameter> trainable = fresh.robustParameters();
            assertFalse(trainable.isEmpty());
            assertTrue(trainable.stream().allMatch(p -> p.key().startsWith("mask_decoder.")));
            assertTrue(trainable.stream().noneMatch(p -> p.key().endsWith("running_var")));
            for (int i = 0; i < trainable.size(); i++) {
                assertArrayEquals(trainable.get(i).get().toFloatArray(), same.robustParameters().get(i).get().toFloatArray());
            }
            assertFalse(Arrays.equals(get(fresh, "mask_decoder.custom_robust_token.weight"),
                    get(other, "mask_decoder.custom_robust_token.weight")), "another seed, other values");
            // PyTorch defaults: norms 1/0, running stats 0/1, uniform(+-1/sqrt(fan_in)) weights, N(0,1) tokens
            String bn = "mask_decoder.fourier_mask_features.dnc_block_combined.SEMBlock.maxpool_conv.0.BN.";
            assertTrue(allEqual(get(fresh, bn + "weight"), 1f) && allEqual(get(fresh, bn + "running_var"), 1f));
            assertTrue(allEqual(get(fresh, bn + "running_mean"), 0f) && allEqual(get(fresh, bn + "num_batches_tracked"), 0f));
            float[] conv = get(fresh, "mask_decoder.fourier_last_layer_features.conv_layer.weight"); // [256, 512, 3, 3]
            float bound = (float) (1 / Math.sqrt(512 * 9));
            float max = 0;
            for (float v : conv) {
                max = Math.max(max, Math.abs(v));
            }
            assertTrue(max <= bound && max > 0.99f * bound, "conv weights within +-1/sqrt(fan_in): " + max);
            float[] token = get(fresh, "mask_decoder.custom_robust_token.weight");
            double var = 0;
            for (float v : token) {
                var += v * v;
            }
            assertEquals(1.0, var / token.length, 0.15, "robust tokens ~ N(0, 1)");

            try (RobustSam.Encoding enc = fresh.encode(fx.array("model_input", m));
                    RobustSam.ImageFeatures f = fresh.imageFeatures(enc, true)) {
                NDArray[] pr = prompts("points_box_multi", m);
                try (RobustMaskDecoder.Output o = fresh.decode(enc, f, pr[0], pr[1], pr[2], null, true)) {
                    float d = maxAbsDiff(fx.floats("case_points_box_multi_clear_low_res"), o.lowResMasks().toFloatArray());
                    note(String.format(Locale.ROOT, "fresh RobustSAM on the SAM base, clear path vs reference: %.3g", d));
                    assertTrue(d <= LOGITS_TOL, "SAM path on the SAM base differs by " + d);
                }
                try (RobustSam.ImageFeatures r = fresh.imageFeatures(enc, false);
                        RobustMaskDecoder.Output o = fresh.decode(enc, r, pr[0], pr[1], pr[2], null, true)) {
                    assertArrayEquals(new long[] {1, 3, 256, 256}, o.lowResMasks().getShape().getShape());
                    assertFalse(o.lowResMasks().isNaN().any().getBoolean(), "fresh robust path is finite");
                }
            }
        }
    }

    private static float[] get(RobustSam model, String key) {
        return model.parameters().stream().filter(p -> p.key().equals(key)).findFirst().orElseThrow().get()
                .toFloatArray();
    }

    private static boolean allEqual(float[] v, float x) {
        for (float f : v) {
            if (f != x) {
                return false;
            }
        }
        return true;
    }

    /** A batch of prompts on the robust path gives each prompt's own result (the reference takes one at a time). */
    @Test
    void promptBatchEqualsOneAtATime() throws IOException {
        try (NDManager m = manager.newSubManager()) {
            NDArray aPts = m.create(new float[] {420f, 280f, 100f, 700f}, new Shape(1, 2, 2));
            NDArray aLab = m.create(new int[] {1, 0}, new Shape(1, 2));
            NDArray bPts = m.create(new float[] {800f, 500f, 30f, 40f}, new Shape(1, 2, 2));
            NDArray bLab = m.create(new int[] {1, 1}, new Shape(1, 2));
            NDArray pts = NDArrays.concat(new NDList(aPts, bPts), 0);
            NDArray lab = NDArrays.concat(new NDList(aLab, bLab), 0);
            try (RobustMaskDecoder.Output both = model.decode(encoded, robustFeatures, pts, lab, null, null, true);
                    RobustMaskDecoder.Output one = model.decode(encoded, robustFeatures, aPts, aLab, null, null, true);
                    RobustMaskDecoder.Output two = model.decode(encoded, robustFeatures, bPts, bLab, null, null, true)) {
                assertArrayEquals(new long[] {2, 3, 256, 256}, both.lowResMasks().getShape().getShape());
                float d1 = maxAbsDiff(one.lowResMasks().toFloatArray(), both.lowResMasks().get(0).toFloatArray());
                float d2 = maxAbsDiff(two.lowResMasks().toFloatArray(), both.lowResMasks().get(1).toFloatArray());
                float dIou = maxAbsDiff(two.iouPredictions().toFloatArray(), both.iouPredictions().get(1).toFloatArray());
                float dFeat = maxAbsDiff(two.robustMaskFeatures().toFloatArray(),
                        both.robustMaskFeatures().get(1).toFloatArray());
                float dTok = maxAbsDiff(two.robustTokens().toFloatArray(), both.robustTokens().get(1).toFloatArray());
                note(String.format(Locale.ROOT, "prompt batch of 2 vs one at a time: logits %.3g, %.3g; IoU %.3g; "
                        + "features %.3g; tokens %.3g", d1, d2, dIou, dFeat, dTok));
                assertTrue(d1 <= 1e-4f && d2 <= 1e-4f && dIou <= 1e-5f && dFeat <= 1e-4f && dTok <= 1e-4f);
            }
        }
    }

    @Test
    void forwardsLeaveNoArraysBehind() throws IOException {
        int modelBefore = count(model.manager());
        try (NDManager m = manager.newSubManager()) {
            NDArray input = fx.array("model_input", m);
            NDArray[] pr = prompts("points_box_multi", m);
            int before = count(m);
            try (RobustSam.Encoding e = model.encode(input)) {
                assertEquals(before + 2, count(m), "encode keeps the embedding and the early feature only");
                try (RobustSam.ImageFeatures f = model.imageFeatures(e, false)) {
                    assertEquals(before + 3, count(m), "image features: one array");
                    try (RobustMaskDecoder.Output o = model.decode(e, f, pr[0], pr[1], pr[2], null, true)) {
                        assertEquals(before + 7, count(m), "decode keeps its four outputs only");
                    }
                    try (RobustMaskDecoder.Output o = model.decode(e, pr[0], pr[1], pr[2], null, false, false)) {
                        assertEquals(before + 7, count(m), "decode with the image side keeps its four outputs only");
                    }
                }
            }
            assertEquals(before, count(m));
        }
        assertEquals(modelBefore, count(model.manager()), "forwards allocate nothing in the model's manager");
    }

    private static int count(NDManager m) {
        return ((BaseNDManager) m).getManagedArrays().size();
    }

    @Test
    void expectedShapesOfVitBMatchTheReference() {
        var shapes = RobustSam.expectedShapes(SamConfig.VIT_B);
        long elements = shapes.values().stream().mapToLong(Shape::size).sum();
        // the reference state_dict (build_sam_vit_b): 403 tensors; 153,181,204 nn.Parameters (the figure
        // in docs/robustsam.md) + 256 prompt PE buffer + 2,112 BatchNorm running stats + 3 batch counters
        assertEquals(403, shapes.size());
        assertEquals(153_181_204L + 256 + 2 * (768 + 256 + 32) + 3, elements);
        assertEquals(new Shape(4, 256), shapes.get("mask_decoder.custom_robust_token.weight"));
        assertEquals(new Shape(1536, 1536, 1, 1),
                shapes.get("mask_decoder.fourier_first_layer_features.fgm_block.conv_layer.weight"));
        assertNotEquals(null, shapes.get("mask_decoder.custom_token_block.mlp.2.weight"));
    }
}
