package org.robustsam.studio.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.robustsam.studio.model.sam.SamFixtures;
import org.robustsam.studio.inference.Engines;
import org.robustsam.studio.model.robustsam.RobustSam;
import org.robustsam.studio.model.sam.SamConfig;
import org.robustsam.studio.model.sam.SamModule.Parameter;

/**
 * One training step in Java against the reference computed by make_train_fixtures.py on the same
 * seeded tiny RobustSAM, images and prompts: each loss term (1e-4 relative), each module's gradients
 * (AMFG's three blocks, AOTG, ROT's token and MLP: 1e-3 relative L2), every gradient tensor no
 * further from the float64 gradient than a few times the float32 reference's own error, BatchNorm's running statistics after the training-mode
 * forward, the clipped global norm, and the parameters after one AdamW step fed the reference's
 * clipped gradients; SAM's weights get no gradient and do not change.
 */
class TrainStepParityTest {
    static final double LOSS_REL_TOL = 1e-4;
    static final double GRAD_TOL = 1e-3;
    static final double FLOAT_NOISE_FACTOR = 4;
    static final double BUFFER_TOL = 1e-4;
    static final double ADAMW_TOL = 1e-6;

    @Test
    void stepMatchesReference() throws Exception {
        SamFixtures fx = TrainFixtures.ensure();
        Engines.pytorch();
        int threads = ai.djl.pytorch.jni.JniUtils.getNumThreads();
        ai.djl.pytorch.jni.JniUtils.setNumThreads(1); // a shared 2-core machine: one thread is faster
        List<String> report = new ArrayList<>();
        long[] in = fx.manifest.get("input_size").traverse(new com.fasterxml.jackson.databind.ObjectMapper())
                .readValueAs(long[].class);
        long[] orig = fx.manifest.get("original_size").traverse(new com.fasterxml.jackson.databind.ObjectMapper())
                .readValueAs(long[].class);
        try (NDManager root = Engines.pytorch().newBaseManager()) {
            for (JsonNode c : fx.manifest.get("cases")) {
                String name = c.get("name").asText();
                String prefix = "case_" + name + "_";
                try (NDManager m = root.newSubManager();
                     RobustSam model = RobustSam.load(SamConfig.TINY, fx.file("checkpoint"), m)) {
                    Map<String, float[]> frozenBefore = new HashMap<>();
                    List<String> robustKeys = model.robustParameters().stream().map(Parameter::key).toList();
                    var samKeys = org.robustsam.studio.model.sam.Sam.expectedShapes(SamConfig.TINY).keySet();
                    for (Parameter p : model.parameters()) {
                        if (samKeys.contains(p.key()) && p.key().startsWith("mask_decoder.")) {
                            frozenBefore.put(p.key(), p.get().toFloatArray());
                        }
                    }
                    RobustSam.Encoding clean = model.encode(fx.array("model_input_clean", m));
                    RobustSam.Encoding degraded = model.encode(fx.array("model_input_degraded", m));
                    NDArray points = fx.has(prefix + "points") ? fx.array(prefix + "points", m) : null;
                    NDArray labels = fx.has(prefix + "labels") ? fx.array(prefix + "labels", m) : null;
                    NDArray box = fx.has(prefix + "box") ? fx.array(prefix + "box", m) : null;
                    NDArray gt = fx.array("gt", m).reshape(1, 1, orig[0], orig[1]);
                    TrainingStep.Input input = new TrainingStep.Input(clean, degraded, points, labels, box, gt,
                            (int) in[0], (int) in[1], (int) orig[0], (int) orig[1]);

                    TrainingConfig.LossWeights weights = new TrainingConfig.LossWeights();
                    JsonNode w = fx.manifest.get("weights");
                    assertEquals(w.get("focal").asDouble(), weights.focal, "default focal weight is the reference's");
                    assertEquals(w.get("dice").asDouble(), weights.dice, "default dice weight is the reference's");
                    assertEquals(w.get("token").asDouble(), weights.token, "default token weight is the reference's");
                    assertEquals(w.get("embedding").asDouble(), weights.embedding, "default embedding weight");

                    TrainingStep step = new TrainingStep(model, new RobustSamLoss(weights));
                    long t0 = System.nanoTime();
                    LossValues v;
                    List<java.nio.ByteBuffer> scribbles;
                    try (NDManager s = m.newSubManager();
                         ai.djl.training.GradientCollector collector = Engines.pytorch().newGradientCollector()) {
                        RobustSamLoss.Terms terms = step.forward(input, s);
                        v = terms.values();
                        // What a long job does between forward and backward: the garbage collector frees
                        // Java buffers and new ones reuse their memory. A tensor autograd kept over freed
                        // Java memory would now hold garbage and the gradients below would be wrong.
                        scribbles = scribbleOverFreedJavaBuffers();
                        collector.backward(terms.total());
                    }
                    scribbles.clear();
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    JsonNode ref = c.get("loss");
                    for (String term : List.of("total", "focal", "dice", "token", "embedding", "teacher_focal",
                            "teacher_dice")) {
                        double javaValue = switch (term) {
                            case "total" -> v.total();
                            case "focal" -> v.focal();
                            case "dice" -> v.dice();
                            case "token" -> v.token();
                            case "teacher_focal" -> v.teacherFocal();
                            case "teacher_dice" -> v.teacherDice();
                            default -> v.embedding();
                        };
                        double r = ref.get(term).asDouble();
                        double rel = Math.abs(javaValue - r) / Math.abs(r);
                        report.add(String.format(Locale.ROOT, "%s loss %-9s java %.7g ref %.7g rel %.2e", name, term,
                                javaValue, r, rel));
                        assertTrue(rel <= LOSS_REL_TOL, name + " " + term + ": java " + javaValue + " ref " + r);
                    }
                    report.add(String.format(Locale.ROOT, "%s forward+backward %.2f s", name, seconds));

                    // gradients before clipping
                    TrainingStep.Gradients g = step.gradients(0, m);
                    double worst = 0;
                    String worstKey = "";
                    List<String> trainable = new ArrayList<>();
                    c.get("trainable").forEach(n -> trainable.add(n.asText()));
                    assertEquals(trainable, robustKeys, "the same parameters are trained as in the reference");
                    // per RobustSAM module: relative L2 of all its gradients against the float32 reference
                    Map<String, double[]> modules = new java.util.LinkedHashMap<>(); // module -> {diff^2, ref^2}
                    double worstExcess = 0;
                    String worstExcessKey = "";
                    for (String key : trainable) {
                        float[] javaGrad = g.byKey().get(key).toFloatArray();
                        float[] refGrad = fx.floats(prefix + "grad_" + key);
                        float[] exact = fx.floats(prefix + "grad64_" + key);
                        double r = relDiff(javaGrad, refGrad);
                        if (r > worst) {
                            worst = r;
                            worstKey = key;
                        }
                        double[] acc = modules.computeIfAbsent(key.split("\\.")[1], k -> new double[2]);
                        for (int i = 0; i < javaGrad.length; i++) {
                            acc[0] += (double) (javaGrad[i] - refGrad[i]) * (javaGrad[i] - refGrad[i]);
                            acc[1] += (double) refGrad[i] * refGrad[i];
                        }
                        // against the float64 gradients: no further off than float32 noise (the reference's own error)
                        double javaError = relL2(javaGrad, exact);
                        double refError = relL2(refGrad, exact);
                        double excess = javaError / (refError + 1e-6);
                        if (excess > worstExcess) {
                            worstExcess = excess;
                            worstExcessKey = String.format(Locale.ROOT, "%s: java %.2e, reference %.2e", key, javaError,
                                    refError);
                        }
                        assertTrue(javaError <= FLOAT_NOISE_FACTOR * refError + 1e-5, name + " gradient of " + key
                                + " is " + javaError + " from the float64 gradient, the float32 reference " + refError);
                    }
                    for (Map.Entry<String, double[]> e : modules.entrySet()) {
                        double rel = Math.sqrt(e.getValue()[0] / e.getValue()[1]);
                        report.add(String.format(Locale.ROOT, "%s module %-28s gradient relative L2 %.2e", name,
                                e.getKey(), rel));
                        assertTrue(rel <= GRAD_TOL, name + " gradients of module " + e.getKey() + " off by " + rel);
                    }
                    report.add(String.format(Locale.ROOT, "%s vs float64: worst ratio %.2f (%s)", name, worstExcess,
                            worstExcessKey));
                    report.add(String.format(Locale.ROOT, "%s gradients: %d tensors, worst %.2e (%s)", name,
                            trainable.size(), worst, worstKey));

                    // BatchNorm running statistics after the training-mode forward
                    double worstBuffer = 0;
                    for (Parameter p : model.parameters()) {
                        if (fx.has(prefix + "buffer_" + p.key())) {
                            worstBuffer = Math.max(worstBuffer, relDiff(p.get().toFloatArray(),
                                    fx.floats(prefix + "buffer_" + p.key())));
                        }
                    }
                    report.add(String.format(Locale.ROOT, "%s BatchNorm buffers worst %.2e", name, worstBuffer));
                    assertTrue(worstBuffer <= BUFFER_TOL, "BatchNorm running statistics off by " + worstBuffer);

                    // clipping
                    TrainingStep.Gradients clipped = step.gradients(fx.manifest.get("clip").asDouble(), m);
                    double refNorm = c.get("grad_norm").asDouble();
                    report.add(String.format(Locale.ROOT, "%s grad norm java %.6g ref %.6g", name, clipped.norm(), refNorm));
                    assertEquals(refNorm, clipped.norm(), refNorm * 1e-4);
                    double worstClipped = 0;
                    for (String key : trainable) {
                        worstClipped = Math.max(worstClipped, relDiff(clipped.byKey().get(key).toFloatArray(),
                                fx.floats(prefix + "clipped_" + key)));
                    }
                    report.add(String.format(Locale.ROOT, "%s clipped gradients worst %.2e", name, worstClipped));

                    // AdamW, fed the reference's clipped gradients
                    JsonNode a = fx.manifest.get("adamw");
                    TrainingConfig.OptimizerConfig oc = new TrainingConfig.OptimizerConfig();
                    oc.type = "adamw";
                    oc.beta1 = a.get("beta1").asDouble();
                    oc.beta2 = a.get("beta2").asDouble();
                    oc.eps = a.get("eps").asDouble();
                    oc.weightDecay = a.get("weight_decay").asDouble();
                    Map<String, NDArray> refClipped = new HashMap<>();
                    for (String key : trainable) {
                        refClipped.put(key, fx.array(prefix + "clipped_" + key, m));
                    }
                    try (AdamW opt = new AdamW(model.robustParameters(), oc, m)) {
                        opt.step(refClipped, a.get("lr").asDouble());
                    }
                    double worstParam = 0;
                    for (Parameter p : model.robustParameters()) {
                        float[] after = p.get().toFloatArray();
                        float[] expected = fx.floats(prefix + "after_" + p.key());
                        for (int i = 0; i < after.length; i++) {
                            worstParam = Math.max(worstParam, Math.abs(after[i] - expected[i]));
                        }
                    }
                    report.add(String.format(Locale.ROOT, "%s AdamW step: params worst abs diff %.2e", name, worstParam));
                    assertTrue(worstParam <= ADAMW_TOL, "parameters after AdamW off by " + worstParam);

                    // frozen: no gradient, no change
                    for (Parameter p : model.parameters()) {
                        if (frozenBefore.containsKey(p.key())) {
                            assertFalse(p.get().hasGradient(), p.key() + " must not require a gradient");
                            assertArrayEquals(frozenBefore.get(p.key()), p.get().toFloatArray(), p.key() + " changed");
                        }
                    }
                    step.zeroGradients();
                }
            }
        } finally {
            ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
            report.forEach(l -> System.out.println("[train parity] " + l));
            Files.write(TrainFixtures.projectDir().resolve("target/fixtures/train/java-parity.txt"), report);
        }
    }

    /** Frees unreachable direct buffers (GC) and fills fresh ones of many sizes with 0xFF (NaN floats). */
    static List<java.nio.ByteBuffer> scribbleOverFreedJavaBuffers() throws InterruptedException {
        List<java.nio.ByteBuffer> keep = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            System.gc();
            Thread.sleep(50);
            for (int size : new int[] {4, 8, 16, 64, 256, 1024, 4096, 65536, 1 << 20}) {
                for (int i = 0; i < (size < 4096 ? 2000 : 16); i++) {
                    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocateDirect(size);
                    while (b.hasRemaining()) {
                        b.put((byte) 0xFF);
                    }
                    keep.add(b);
                }
            }
        }
        return keep;
    }

    /** ||a - b|| / ||b|| (L2). */
    static double relL2(float[] a, float[] b) {
        double d = 0;
        double n = 0;
        for (int i = 0; i < a.length; i++) {
            d += (double) (a[i] - b[i]) * (a[i] - b[i]);
            n += (double) b[i] * b[i];
        }
        return n == 0 ? Math.sqrt(d) : Math.sqrt(d / n);
    }

    /** max |a - b| / max |b|. */
    static double relDiff(float[] a, float[] b) {
        assertEquals(b.length, a.length, "length");
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
            scale = Math.max(scale, Math.abs(b[i]));
        }
        return scale == 0 ? diff : diff / scale;
    }
}
