package org.robustsam.studio.model.mobilesam;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.robustsam.studio.image.RgbImage;
import org.robustsam.studio.inference.SamPredictor;
import org.robustsam.studio.model.checkpoint.CheckpointException;
import org.robustsam.studio.model.checkpoint.StateDict;
import org.robustsam.studio.model.sam.Sam;
import org.robustsam.studio.model.sam.SamConfig;
import org.robustsam.studio.model.sam.SamFixtures;
import org.robustsam.studio.model.sam.SamModule;
import org.robustsam.studio.model.sam.SamParityBase;

/**
 * MobileSAM against the reference ({@code build_sam_vit_t} from shared/reference/mobilesam) on seeded
 * random weights, all buffers included (fixtures from make_mobilesam_fixtures.py): the checks of
 * {@link SamParityBase} (image embedding, every prompt case's low-res logits, IoU predictions and
 * full-size masks, preprocessing), plus the TinyViT stage outputs, the consumption of every
 * state_dict entry, the optional attention-index buffers, and wrong-model messages.
 *
 * <p>Encoder timing against the reference is {@code studio bench} on this fixture's checkpoint.
 */
class MobileSamParityTest extends SamParityBase {
    private static final String[] STAGES = {"stage_patch_embed", "stage_layer_0", "stage_layer_1", "stage_layer_2",
        "stage_layer_3", "image_embedding"};

    @Override
    protected String configName() {
        return "mobile_sam";
    }

    @Override
    protected SamFixtures fixtures() throws Exception {
        return MobileSamFixtures.ensure();
    }

    @Override
    protected Sam loadModel() throws Exception {
        return MobileSam.load(fx.checkpoint(), manager);
    }

    private Path fixture(String manifestKey) {
        return fx.file(manifestKey);
    }

    @Test
    void stageOutputsMatchReferenceAndForwardLeavesNoArrays() throws IOException {
        try (NDManager m = manager.newSubManager()) {
            NDArray input = fx.array("model_input", m);
            int before = count(m);
            List<NDArray> stages = MobileSam.imageEncoder(sam).forwardStages(input);
            assertEquals(before + STAGES.length, count(m), "forwardStages keeps the stage outputs only");
            for (int i = 0; i < STAGES.length; i++) {
                NDArray s = stages.get(i);
                assertArrayEquals(fx.shape(STAGES[i]), s.getShape().getShape(), STAGES[i]);
                float[] expected = fx.floats(STAGES[i]);
                float[] actual;
                try (NDManager t = m.newSubManager()) {
                    t.tempAttachAll(s); // toFloatArray of a transposed stage output makes a contiguous copy in its manager
                    actual = s.toFloatArray();
                }
                float d = maxAbsDiff(expected, actual);
                float scale = maxAbs(expected);
                note(String.format(Locale.ROOT, "%-17s %-20s max |ref| %6.3g, max |diff| %.3g", STAGES[i],
                        s.getShape(), scale, d));
                assertTrue(d <= EMBEDDING_TOL * Math.max(1f, scale), STAGES[i] + " differs by " + d);
            }
            stages.forEach(NDArray::close);
            assertEquals(before, count(m), "nothing else is left in the caller's manager");
        }
    }

    @Test
    void everyStateDictEntryIsConsumed() throws Exception {
        assertAllConsumed(fx.checkpoint(), sam, fx.manifest.get("state_dict_keys").asInt());
    }

    @Test
    void attentionIndexBuffersAreConsumedWhenACheckpointHasThem() throws Exception {
        try (Sam withIdxs = MobileSam.load(fixture("checkpoint_with_idxs"), manager)) {
            // 10 attention blocks: layers.1 (2), layers.2 (6), layers.3 (2)
            assertAllConsumed(fixture("checkpoint_with_idxs"), withIdxs, fx.manifest.get("state_dict_keys").asInt() + 10);
            long optional = withIdxs.parameters().stream().filter(SamModule.Parameter::isOptional)
                    .filter(SamModule.Parameter::isLoaded).count();
            assertEquals(10, optional, "attention_bias_idxs buffers loaded");
        }
    }

    @Test
    void wrongAttentionIndexBufferFailsNamingIt() {
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> MobileSam.load(fixture("checkpoint_bad_idxs"), manager));
        note("bad attention_bias_idxs: " + e.getMessage());
        assertTrue(e.getMessage().contains("image_encoder.layers.2.blocks.3.attn.attention_bias_idxs"), e.getMessage());
        assertTrue(e.getMessage().contains("[5, 6]"), e.getMessage());
    }

    @Test
    void samVitBCheckpointOfferedAsMobileSamSaysWhatItIsAndWhatIsMissing() {
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> MobileSam.load(fixture("sam_vit_b_checkpoint"), manager));
        String msg = e.getMessage();
        note("SAM ViT-B offered as MobileSAM: " + msg.replace('\n', ' '));
        assertTrue(msg.startsWith("sam_vit_b_shared.pth: not a MobileSAM"), msg);
        assertTrue(msg.contains("holds SAM vit_b"), msg);
        assertTrue(msg.contains("missing (in image_encoder.patch_embed.seq, image_encoder.layers.0"), msg);
        assertTrue(msg.contains("image_encoder.layers.0.blocks.0.conv1.bn.running_var"), msg);
        assertTrue(msg.contains("unexpected (in image_encoder.pos_embed, image_encoder.patch_embed.proj, "
                + "image_encoder.blocks.0"), msg);
    }

    @Test
    void mobileSamCheckpointOfferedAsSamSaysWhatItIsAndWhatIsMissing() {
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> Sam.load(SamConfig.VIT_B, fx.checkpoint(), manager));
        String msg = e.getMessage();
        note("MobileSAM offered as SAM ViT-B: " + msg.replace('\n', ' '));
        assertTrue(msg.startsWith("mobile_sam.pt: not a SAM vit_b checkpoint: the file holds MobileSAM tiny_vit_5m"), msg);
        assertTrue(msg.contains("registry id mobile_sam"), msg);
        assertTrue(msg.contains("missing (in image_encoder.pos_embed, image_encoder.patch_embed.proj, image_encoder.blocks.0"),
                msg);
    }

    @Test
    void predictorEndToEndMatchesReference() throws IOException {
        long[] s = fx.shape("image");
        RgbImage image = RgbImage.fromInterleavedRgb((int) s[1], (int) s[0], fx.bytes("image"));
        String p = "case_points_box_multi_";
        try (NDManager m = manager.newSubManager(); SamPredictor predictor = new SamPredictor(sam, m)) {
            predictor.setImage(image);
            float[] labelValues = fx.floats(p + "labels");
            int[] labels = new int[labelValues.length];
            Arrays.setAll(labels, i -> Math.round(labelValues[i]));
            try (SamPredictor.Prediction r = predictor.predict(fx.doubles(p + "points"), labels, fx.doubles(p + "box"),
                    null, true, true, m)) {
                double iou = binaryIou(fx.bytes(p + "masks"), r.masks().toFloatArray());
                float dIou = maxAbsDiff(fx.floats(p + "iou"), r.iouPredictions());
                note(String.format(Locale.ROOT, "predictor end to end (Java resize): mask IoU %.6f, IoU pred |diff| %.3g",
                        iou, dIou));
                assertTrue(iou >= MASK_IOU_MIN, "mask IoU " + iou);
                assertTrue(dIou <= IOU_TOL, "IoU predictions differ by " + dIou);
            }
        }
    }

    private void assertAllConsumed(Path file, Sam model, int expectedCount) throws Exception {
        Set<String> consumed = new HashSet<>();
        for (SamModule.Parameter p : model.parameters()) {
            if (p.isLoaded()) {
                consumed.add(p.key());
            }
        }
        Set<String> inFile;
        try (NDManager m = manager.newSubManager(); StateDict sd = StateDict.load(file, m)) {
            inFile = new LinkedHashSet<>(sd.keys());
        }
        List<String> unused = new ArrayList<>(inFile);
        unused.removeAll(consumed);
        List<String> missing = new ArrayList<>(consumed);
        missing.removeAll(inFile);
        for (String required : model.expectedShapes().keySet()) {
            if (!inFile.contains(required) && !missing.contains(required)) {
                missing.add(required);
            }
        }
        note(String.format(Locale.ROOT, "%s: %d tensors in the file, %d consumed, unused %s, missing %s",
                file.getFileName(), inFile.size(), consumed.size(), unused, missing));
        assertTrue(unused.isEmpty(), "state_dict entries the model does not use: " + unused);
        assertTrue(missing.isEmpty(), "model tensors the state_dict lacks: " + missing);
        assertEquals(expectedCount, inFile.size(), "tensors in the reference state_dict");
    }

    private static float maxAbs(float[] a) {
        float m = 0;
        for (float v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    private static int count(NDManager m) {
        return ((BaseNDManager) m).getManagedArrays().size();
    }
}
