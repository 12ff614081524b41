package org.robustsam.studio.model.robustsam;

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
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.robustsam.studio.model.sam.SamFixtures;
import org.robustsam.studio.inference.Engines;
import org.robustsam.studio.model.checkpoint.StateDict;
import org.robustsam.studio.model.sam.SamConfig;
import org.robustsam.studio.model.sam.SamModule;

/**
 * Parity of the Java RobustSAM with the reference on seeded random weights (fixtures from
 * make_robustsam_fixtures.py): encoder outputs, AMFG image features, and for every prompt case
 * both decoder paths (clear = SAM's, as the reference SamPredictor; robust, as Sam.predict):
 * low-res logits, IoU predictions, robust mask features and robust tokens. RobustSAM's cost over
 * SAM is timed by {@code studio bench --baseline} (the fixture's sam_base_tiny.pth is its SAM part).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RobustSamParityBase {
    static final float LOGITS_TOL = 1e-3f;
    static final float IOU_TOL = 1e-4f;
    static final float FEATURE_TOL = 1e-3f;
    static final float TOKEN_TOL = 1e-3f;
    static final float EMBEDDING_TOL = 1e-3f;

    NDManager manager;
    RobustSam model;
    SamFixtures fx;
    RobustSam.Encoding encoded;
    RobustSam.ImageFeatures clearFeatures;
    RobustSam.ImageFeatures robustFeatures;
    double encodeSeconds;
    double robustFeatureSeconds;
    final List<String> report = new ArrayList<>();

    abstract String configName();

    @BeforeAll
    void setUp() throws Exception {
        fx = RobustSamFixtures.ensure(configName());
        manager = Engines.pytorch().newBaseManager();
        model = RobustSam.load(SamConfig.named(configName()), fx.file("checkpoint"), manager);
        NDArray input = fx.array("model_input", manager);
        long t0 = System.nanoTime();
        encoded = model.encode(input);
        encoded.imageEmbedding().toFloatArray(); // force completion
        encodeSeconds = (System.nanoTime() - t0) / 1e9;
        t0 = System.nanoTime();
        robustFeatures = model.imageFeatures(encoded, false);
        robustFeatures.features().toFloatArray();
        robustFeatureSeconds = (System.nanoTime() - t0) / 1e9;
        clearFeatures = model.imageFeatures(encoded, true);
        note(String.format(Locale.ROOT, "%s: encoder (ViT) %.2f s, AMFG image side (robust path) %.2f s; "
                        + "reference torch %s encoder %.2f s on %d thread(s)", configName(), encodeSeconds,
                robustFeatureSeconds, fx.text("torch"), fx.manifest.get("reference_encoder_seconds").asDouble(),
                fx.manifest.get("reference_threads").asInt()));
    }

    @AfterAll
    void tearDown() throws IOException {
        for (AutoCloseable c : new AutoCloseable[] {clearFeatures, robustFeatures, encoded, model, manager}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    throw new IOException(e);
                }
            }
        }
        if (fx != null && !report.isEmpty()) {
            Files.write(fx.dir.resolve("java-parity.txt"), report);
        }
    }

    void note(String line) {
        System.out.println("[RobustSAM parity] " + line);
        synchronized (report) {
            report.add(line);
        }
    }

    @Test
    void everyReferenceKeyIsConsumed() throws Exception {
        Map<String, long[]> file = StateDict.readShapes(fx.file("checkpoint"));
        Map<String, Shape> expected = RobustSam.expectedShapes(model.config());
        TreeSet<String> unused = new TreeSet<>(file.keySet());
        unused.removeAll(expected.keySet());
        TreeSet<String> missing = new TreeSet<>(expected.keySet());
        missing.removeAll(file.keySet());
        TreeSet<String> unbound = new TreeSet<>();
        for (SamModule.Parameter p : model.parameters()) {
            if (!p.isLoaded()) {
                unbound.add(p.key());
            }
        }
        note(String.format(Locale.ROOT, "keys: %d in the reference state_dict, %d expected; unused %s, missing %s, "
                + "unbound %s", file.size(), expected.size(), unused, missing, unbound));
        assertTrue(unused.isEmpty(), "reference keys the Java model does not consume: " + unused);
        assertTrue(missing.isEmpty(), "keys the Java model expects but the reference lacks: " + missing);
        assertTrue(unbound.isEmpty(), "parameters left unbound: " + unbound);
        assertEquals(fx.manifest.get("num_tensors").asInt(), model.parameters().size());
        for (Map.Entry<String, Shape> e : expected.entrySet()) {
            assertArrayEquals(file.get(e.getKey()), e.getValue().getShape(), e.getKey());
        }
        assertEquals(fx.manifest.get("num_elements").asLong(),
                expected.values().stream().mapToLong(Shape::size).sum(), "element count");
    }

    @Test
    void encoderOutputsMatchReference() throws IOException {
        check("image embedding", fx.floats("image_embedding"), encoded.imageEmbedding(), EMBEDDING_TOL);
        assertArrayEquals(fx.shape("early_features"), encoded.earlyFeatures().getShape().getShape());
        check("early features (first global block)", fx.floats("early_features"), encoded.earlyFeatures(),
                EMBEDDING_TOL);
    }

    @Test
    void amfgImageFeaturesMatchReference() throws IOException {
        check("AMFG image features, clear path", fx.floats("image_features_clear"), clearFeatures.features(),
                FEATURE_TOL);
        check("AMFG image features, robust path", fx.floats("image_features_robust"), robustFeatures.features(),
                FEATURE_TOL);
    }

    private void check(String what, float[] expected, NDArray actual, float tol) {
        float d = maxAbsDiff(expected, actual.toFloatArray());
        note(String.format(Locale.ROOT, "%s max |diff| %.3g", what, d));
        assertTrue(d <= tol, what + " differs by " + d);
    }

    @TestFactory
    Stream<DynamicTest> promptCasesMatchReference() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : fx.manifest.get("cases")) {
            String name = c.get("name").asText();
            boolean multimask = c.get("multimask").asBoolean();
            tests.add(DynamicTest.dynamicTest(name + " clear", () -> checkCase(name, multimask, true)));
            tests.add(DynamicTest.dynamicTest(name + " robust", () -> checkCase(name, multimask, false)));
        }
        return tests.stream();
    }

    /** The prompt arrays of a case ({@code [1, N, 2]}, {@code [1, N]}, {@code [1, 4]}; absent ones null). */
    NDArray[] prompts(String name, NDManager m) throws IOException {
        String p = "case_" + name + "_";
        NDArray points = null;
        NDArray labels = null;
        NDArray box = null;
        if (fx.has(p + "points_resized")) {
            long[] ps = fx.shape(p + "points_resized");
            points = m.create(fx.floats(p + "points_resized"), new Shape(1, ps[0], 2));
            labels = m.create(fx.floats(p + "labels"), new Shape(1, ps[0])).toType(DataType.INT32, false);
        }
        if (fx.has(p + "box_resized")) {
            box = m.create(fx.floats(p + "box_resized"), new Shape(1, 4));
        }
        return new NDArray[] {points, labels, box};
    }

    private void checkCase(String name, boolean multimask, boolean clear) throws IOException {
        String p = "case_" + name + "_" + (clear ? "clear_" : "robust_");
        int masks = multimask ? 3 : 1;
        try (NDManager m = manager.newSubManager()) {
            NDArray[] pr = prompts(name, m);
            RobustSam.ImageFeatures features = clear ? clearFeatures : robustFeatures;
            try (RobustMaskDecoder.Output o = model.decode(encoded, features, pr[0], pr[1], pr[2], null, multimask)) {
                assertArrayEquals(new long[] {1, masks, 256, 256}, o.lowResMasks().getShape().getShape());
                assertArrayEquals(new long[] {1, masks}, o.iouPredictions().getShape().getShape());
                // the reference's robust multimask list has 15 masks; its first 3 are the 3 masks here
                float[] refLow = Arrays.copyOf(fx.floats(p + "low_res"), masks * 256 * 256);
                float dLow = maxAbsDiff(refLow, o.lowResMasks().toFloatArray());
                float dIou = maxAbsDiff(fx.floats(p + "iou"), o.iouPredictions().toFloatArray());
                float dFeat = maxAbsDiff(fx.floats(p + "features"), o.robustMaskFeatures().toFloatArray());
                float dTok = maxAbsDiff(fx.floats(p + "token"), o.robustTokens().toFloatArray());
                String all = "";
                float dAll = 0;
                if (!clear) {
                    try (RobustMaskDecoder.Output r = model.decode(encoded, features, pr[0], pr[1], pr[2], null,
                            multimask, true)) {
                        assertArrayEquals(fx.shape(p + "low_res"),
                                Arrays.copyOfRange(r.lowResMasks().getShape().getShape(), 1, 4));
                        dAll = maxAbsDiff(fx.floats(p + "low_res"), r.lowResMasks().toFloatArray());
                        all = String.format(Locale.ROOT, ", reference layout (%d masks) %.3g",
                                fx.shape(p + "low_res")[0], dAll);
                    }
                }
                note(String.format(Locale.ROOT, "case %-16s %-6s logits %.3g, IoU %.3g, robust features %.3g, "
                        + "robust token %.3g%s", name, clear ? "clear" : "robust", dLow, dIou, dFeat, dTok, all));
                assertTrue(dLow <= LOGITS_TOL, p + ": low-res logits differ by " + dLow);
                assertTrue(dIou <= IOU_TOL, p + ": IoU predictions differ by " + dIou);
                assertTrue(dFeat <= FEATURE_TOL, p + ": robust mask features differ by " + dFeat);
                assertTrue(dTok <= TOKEN_TOL, p + ": robust tokens differ by " + dTok);
                assertTrue(dAll <= LOGITS_TOL, p + ": reference-layout logits differ by " + dAll);
            }
        }
    }

    static float maxAbsDiff(float[] expected, float[] actual) {
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
}
