package org.robustsam.studio.model.robustsam;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Seeded start values for RobustSAM's modules when they are added to a plain SAM checkpoint (the
 * start of fine-tuning). The reference trains them from PyTorch's default initialisation (its
 * loader puts the SAM weights in with {@code strict=False} and leaves the new modules as
 * constructed); the same distributions are drawn here, by module type, from one
 * {@code java.util.Random(seed)} in key order, so a seed always gives the same model (the values
 * are not torch's own random stream):
 * <ul>
 *   <li>Linear, Conv2d, ConvTranspose2d weights: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) (kaiming_uniform
 *       with a = sqrt(5)), fan_in = {@code weight.shape[1] * kernel area} as torch counts it (for
 *       ConvTranspose2d that is out channels x k x k); their biases: the same bound;</li>
 *   <li>Embedding ({@code custom_robust_token}): N(0, 1);</li>
 *   <li>LayerNorm2d and BatchNorm2d: weight 1, bias 0; running mean 0, running var 1, batch counter 0.</li>
 * </ul>
 * A norm is recognised by its one-dimensional {@code weight} (Linear and conv weights have two or
 * more dimensions); the only embedding is named.
 */
final class FreshInit {
    private static final Set<String> EMBEDDINGS = Set.of("mask_decoder.custom_robust_token.weight");

    private FreshInit() {}

    /** One tensor per key, in {@code shapes}' order, in {@code manager}. */
    static Map<String, NDArray> tensors(Map<String, Shape> shapes, long seed, NDManager manager) {
        Random random = new Random(seed);
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, Shape> e : shapes.entrySet()) {
            String key = e.getKey();
            Shape shape = e.getValue();
            float[] values = new float[Math.toIntExact(shape.size())];
            String leaf = key.substring(key.lastIndexOf('.') + 1);
            String module = key.substring(0, key.lastIndexOf('.') + 1);
            Shape weight = shapes.get(module + "weight");
            switch (leaf) {
                case BatchNorm2d.BATCH_COUNTER, "running_mean" -> { } // zeros
                case "running_var" -> java.util.Arrays.fill(values, 1f);
                case "weight" -> {
                    if (EMBEDDINGS.contains(key)) {
                        for (int i = 0; i < values.length; i++) {
                            values[i] = (float) random.nextGaussian();
                        }
                    } else if (shape.dimension() == 1) {
                        java.util.Arrays.fill(values, 1f); // norm gain
                    } else {
                        uniform(values, bound(shape), random);
                    }
                }
                case "bias" -> {
                    if (weight == null) {
                        throw new IllegalStateException("bias without weight: " + key);
                    }
                    if (weight.dimension() > 1) {
                        uniform(values, bound(weight), random);
                    } // else a norm's bias: zeros
                }
                default -> throw new IllegalStateException("no initialiser for " + key);
            }
            out.put(key, manager.create(values, shape));
        }
        return out;
    }

    /** 1 / sqrt(fan_in), fan_in = shape[1] * prod(shape[2:]) (torch's _calculate_fan_in_and_fan_out). */
    private static float bound(Shape weight) {
        long fanIn = weight.get(1);
        for (int i = 2; i < weight.dimension(); i++) {
            fanIn *= weight.get(i);
        }
        return (float) (1.0 / Math.sqrt(fanIn));
    }

    private static void uniform(float[] values, float bound, Random random) {
        for (int i = 0; i < values.length; i++) {
            values[i] = (2f * random.nextFloat() - 1f) * bound;
        }
    }
}
