package org.robustsam.studio.model.sam;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.robustsam.studio.inference.Engines;
import org.robustsam.studio.inference.SamTransforms;

/**
 * Parity of the Java SAM with the reference on seeded random weights (fixtures from
 * make_sam_fixtures.py): image embedding, global-block outputs, and every prompt case's low-res
 * logits, IoU predictions and full-size binary masks.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class SamParityBase {
    protected static final float LOW_RES_TOL = 1e-3f;
    protected static final float IOU_TOL = 1e-4f;
    protected static final double MASK_IOU_MIN = 0.999;
    protected static final float EMBEDDING_TOL = 1e-3f;

    protected NDManager manager;
    protected Sam sam;
    protected SamFixtures fx;
    protected EncoderOutput encoded;
    protected double encodeSeconds;
    final List<String> report = new ArrayList<>();

    protected abstract String configName();

    /** The reference fixtures; SAM's by default. */
    protected SamFixtures fixtures() throws Exception {
        return SamFixtures.ensure(configName());
    }

    /** The model under test, loaded from {@code fx.checkpoint()} into {@link #manager}; SAM of {@link #configName()} by default. */
    protected Sam loadModel() throws Exception {
        return Sam.load(SamConfig.named(configName()), fx.checkpoint(), manager);
    }

    @BeforeAll
    void setUp() throws Exception {
        fx = fixtures();
        manager = Engines.pytorch().newBaseManager();
        sam = loadModel();
        NDArray input = fx.array("model_input", manager);
        long t0 = System.nanoTime();
        encoded = sam.encode(input, true);
        encoded.imageEmbedding().toFloatArray(); // force completion
        encodeSeconds = (System.nanoTime() - t0) / 1e9;
        note(String.format(Locale.ROOT, "encoder %s: %.2f s (reference torch %s: %.2f s on %d thread(s))",
                configName(), encodeSeconds, fx.text("torch"), fx.manifest.get("reference_encoder_seconds").asDouble(),
                fx.manifest.get("reference_threads").asInt()));
    }

    @AfterAll
    void tearDown() throws IOException {
        if (encoded != null) {
            encoded.close();
        }
        if (sam != null) {
            sam.close();
        }
        if (manager != null) {
            manager.close();
        }
        if (fx != null && !report.isEmpty()) {
            Files.write(fx.dir.resolve("java-parity.txt"), report);
        }
    }

    protected void note(String line) {
        System.out.println("[" + configName() + " parity] " + line);
        synchronized (report) {
            report.add(line);
        }
    }

    @Test
    void imageEmbeddingMatchesReference() throws IOException {
        NDArray e = encoded.imageEmbedding();
        assertEquals(new Shape(1, 256, 64, 64), e.getShape());
        float d = maxAbsDiff(fx.floats("image_embedding"), e.toFloatArray());
        note(String.format(Locale.ROOT, "image embedding max |diff| %.3g", d));
        assertTrue(d <= EMBEDDING_TOL, "image embedding differs by " + d);
    }

    @Test
    void globalBlockOutputsMatchReference() throws IOException {
        List<NDArray> outs = encoded.globalBlockOutputs();
        assertEquals(sam.config().globalAttnIndexes().size(), outs.size());
        for (int i = 0; i < outs.size(); i++) {
            String name = "global_block_output_" + i;
            assertArrayEquals(fx.shape(name), outs.get(i).getShape().getShape());
            float d = maxAbsDiff(fx.floats(name), outs.get(i).toFloatArray());
            note(String.format(Locale.ROOT, "global block output %d max |diff| %.3g", i, d));
            assertTrue(d <= EMBEDDING_TOL, name + " differs by " + d);
        }
    }

    @Test
    void densePositionalEncodingMatchesReference() throws IOException {
        float d = maxAbsDiff(fx.floats("dense_pe"), sam.promptEncoder().denseImagePe().toFloatArray());
        note(String.format(Locale.ROOT, "dense PE max |diff| %.3g", d));
        assertTrue(d <= 1e-4f, "dense PE differs by " + d);
    }

    @Test
    void preprocessingMatchesReference() throws IOException {
        try (NDManager m = manager.newSubManager()) {
            long[] s = fx.shape("image_resized");
            var resized = org.robustsam.studio.image.RgbImage.fromInterleavedRgb((int) s[1], (int) s[0], fx.bytes("image_resized"));
            NDArray input = SamTransforms.toModelInput(resized, 1024, m);
            float d = maxAbsDiff(fx.floats("model_input"), input.toFloatArray());
            note(String.format(Locale.ROOT, "normalise+pad max |diff| %.3g", d));
            assertTrue(d <= 1e-6f, "model input differs by " + d);
        }
    }

    @TestFactory
    Stream<DynamicTest> promptCasesMatchReference() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : fx.manifest.get("cases")) {
            String name = c.get("name").asText();
            boolean multimask = c.get("multimask").asBoolean();
            tests.add(DynamicTest.dynamicTest(name, () -> checkCase(name, multimask)));
        }
        return tests.stream();
    }

    private void checkCase(String name, boolean multimask) throws IOException {
        String p = "case_" + name + "_";
        long[] img = fx.shape("image");
        long[] resized = fx.shape("image_resized");
        try (NDManager m = manager.newSubManager()) {
            NDArray points = null;
            NDArray labels = null;
            NDArray box = null;
            NDArray mask = null;
            if (fx.has(p + "points_resized")) {
                long[] ps = fx.shape(p + "points_resized");
                points = m.create(fx.floats(p + "points_resized"), new Shape(1, ps[0], 2));
                labels = m.create(fx.floats(p + "labels"), new Shape(1, ps[0])).toType(DataType.INT32, false);
            }
            if (fx.has(p + "box_resized")) {
                box = m.create(fx.floats(p + "box_resized"), new Shape(1, 4));
            }
            if (fx.has(p + "mask_input")) {
                mask = m.create(fx.floats(p + "mask_input"), new Shape(1, 1, 256, 256));
            }
            NDArray emb = encoded.imageEmbedding();
            try (MaskDecoder.Output o = sam.decode(emb, points, labels, box, mask, multimask)) {
                long[] expected = fx.shape(p + "low_res");
                assertArrayEquals(new long[] {1, expected[0], expected[1], expected[2]},
                        o.lowResMasks().getShape().getShape());
                float dLow = maxAbsDiff(fx.floats(p + "low_res"), o.lowResMasks().toFloatArray());
                float dIou = maxAbsDiff(fx.floats(p + "iou"), o.iouPredictions().toFloatArray());
                NDArray logits = SamTransforms.postprocessMasks(o.lowResMasks(), 1024,
                        (int) resized[0], (int) resized[1], (int) img[0], (int) img[1]);
                logits.attach(m);
                float[] full = logits.toFloatArray();
                float dFull = maxAbsDiff(fx.floats(p + "mask_logits"), full);
                double iou = binaryIou(fx.bytes(p + "masks"), full);
                note(String.format(Locale.ROOT,
                        "case %-16s low-res max |diff| %.3g, IoU pred max |diff| %.3g, full logits max |diff| %.3g, mask IoU %.6f",
                        name, dLow, dIou, dFull, iou));
                assertTrue(dLow <= LOW_RES_TOL, name + ": low-res logits differ by " + dLow);
                assertTrue(dIou <= IOU_TOL, name + ": IoU predictions differ by " + dIou);
                assertTrue(iou >= MASK_IOU_MIN, name + ": binary mask IoU " + iou);
            }
        }
    }

    protected static float maxAbsDiff(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, "element count");
        float max = 0;
        for (int i = 0; i < expected.length; i++) {
            float d = Math.abs(expected[i] - actual[i]);
            if (Float.isNaN(d)) {
                return Float.NaN;
            }
            max = Math.max(max, d);
        }
        return max;
    }

    /** IoU of reference binary masks with {@code logits > 0}; 1 when both are empty. */
    protected static double binaryIou(byte[] expected, float[] logits) {
        assertEquals(expected.length, logits.length, "element count");
        long inter = 0;
        long union = 0;
        for (int i = 0; i < expected.length; i++) {
            boolean a = expected[i] != 0;
            boolean b = logits[i] > SamTransforms.MASK_THRESHOLD;
            inter += a && b ? 1 : 0;
            union += a || b ? 1 : 0;
        }
        return union == 0 ? 1.0 : (double) inter / union;
    }
}
