package org.robustsam.studio.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.robustsam.studio.model.sam.SamModule.Parameter;

/**
 * Adam with decoupled weight decay ({@code torch.optim.AdamW}), or with L2 weight decay added to the
 * gradient ({@code torch.optim.Adam}, what the reference's train_ddp.py uses), updating the model's
 * parameter tensors in place with autograd off, the same arithmetic as torch's single-tensor path:
 *
 * <pre>
 * p *= 1 - lr * wd                       (AdamW)        g += wd * p   (Adam)
 * m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2
 * p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
 * </pre>
 *
 * DJL's own {@code ai.djl.training.optimizer.Adam} works on {@code ai.djl.nn.Parameter}s of DJL
 * blocks; the model here holds plain named tensors, so the update is written out.
 */
public final class AdamW implements AutoCloseable {
    private final List<Parameter> parameters;
    private final boolean decoupled;
    private final double weightDecay;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final NDManager manager;
    private final Map<String, NDArray> firstMoment = new LinkedHashMap<>();
    private final Map<String, NDArray> secondMoment = new LinkedHashMap<>();
    private long step;

    public AdamW(List<Parameter> parameters, TrainingConfig.OptimizerConfig c, NDManager parent) {
        this.parameters = List.copyOf(parameters);
        this.decoupled = !"adam".equalsIgnoreCase(c.type);
        this.weightDecay = c.weightDecay;
        this.beta1 = c.beta1;
        this.beta2 = c.beta2;
        this.eps = c.eps;
        this.manager = parent.newSubManager();
        for (Parameter p : this.parameters) {
            firstMoment.put(p.key(), manager.zeros(p.shape()));
            secondMoment.put(p.key(), manager.zeros(p.shape()));
        }
    }

    /** Optimizer steps taken so far (torch's {@code state['step']}). */
    public long stepCount() {
        return step;
    }

    /**
     * One update with learning rate {@code lr}; {@code gradients} holds one (clipped) gradient per
     * parameter key, or none for a parameter that got no gradient (torch skips those).
     */
    public void step(Map<String, NDArray> gradients, double lr) {
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        step++;
        double bias1 = 1 - Math.pow(beta1, step);
        double bias2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
        try (NDManager scope = manager.newSubManager()) {
            for (Parameter p : parameters) {
                NDArray g = gradients.get(p.key());
                if (g == null) {
                    continue;
                }
                // views owned by the scope: in-place ops change the tensors, temporaries stay in the scope
                NDArray param = alias(p.get(), scope);
                NDArray gv = alias(g, scope);
                NDArray m = alias(firstMoment.get(p.key()), scope);
                NDArray v = alias(secondMoment.get(p.key()), scope);
                if (decoupled) {
                    param.muli((float) (1 - lr * weightDecay));
                } else if (weightDecay != 0) {
                    gv = gv.add(param.mul((float) weightDecay));
                }
                m.muli((float) beta1).addi(gv.mul((float) (1 - beta1)));
                v.muli((float) beta2).addi(gv.mul(gv).mul((float) (1 - beta2)));
                NDArray update = m.div(v.sqrt().div((float) bias2Sqrt).add((float) eps)).mul((float) (lr / bias1));
                param.subi(update);
            }
        } finally {
            JniUtils.setGradMode(grad);
        }
    }

    private static NDArray alias(NDArray a, NDManager scope) {
        NDArray view = a.reshape(a.getShape());
        view.attach(scope);
        return view;
    }

    /** The moments, keyed {@code exp_avg.<param>} and {@code exp_avg_sq.<param>}, as float arrays. */
    public Map<String, float[]> momentsForSaving() {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : firstMoment.entrySet()) {
            out.put("exp_avg." + e.getKey(), e.getValue().toFloatArray());
        }
        for (Map.Entry<String, NDArray> e : secondMoment.entrySet()) {
            out.put("exp_avg_sq." + e.getKey(), e.getValue().toFloatArray());
        }
        return out;
    }

    /** Shapes of the saved moments, in {@link #momentsForSaving}'s keys. */
    public Map<String, Shape> momentShapes() {
        Map<String, Shape> out = new LinkedHashMap<>();
        for (Parameter p : parameters) {
            out.put("exp_avg." + p.key(), p.shape());
        }
        for (Parameter p : parameters) {
            out.put("exp_avg_sq." + p.key(), p.shape());
        }
        return out;
    }

    /** Restores the moments and the step count saved by {@link #momentsForSaving}. */
    public void restore(Map<String, float[]> moments, long steps) {
        for (Parameter p : parameters) {
            for (String prefix : new String[] {"exp_avg.", "exp_avg_sq."}) {
                float[] data = moments.get(prefix + p.key());
                if (data == null || data.length != p.shape().size()) {
                    throw new IllegalArgumentException("optimizer state lacks " + prefix + p.key()
                            + (data == null ? "" : " of " + p.shape().size() + " values (has " + data.length + ")"));
                }
                Map<String, NDArray> target = prefix.equals("exp_avg.") ? firstMoment : secondMoment;
                target.get(p.key()).close();
                target.put(p.key(), manager.create(data, p.shape()));
            }
        }
        this.step = steps;
    }

    @Override
    public void close() {
        manager.close();
    }
}
