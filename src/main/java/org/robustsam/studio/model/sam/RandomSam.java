package org.robustsam.studio.model.sam;

import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.robustsam.studio.model.checkpoint.SafetensorsWriter;

/**
 * Seeded random SAM weights written as a checkpoint, with the scales a trained network has (unit
 * norms, fan-in-scaled matrices), so activations stay in range and masks are not degenerate. This is
 * the small model the app's smoke check and GUI tests run when no real checkpoint can be had.
 */
public final class RandomSam {
    private RandomSam() {}

    public static void write(SamConfig config, long seed, Path file) throws IOException {
        SplittableRandom rng = new SplittableRandom(seed);
        Map<String, SafetensorsWriter.Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, Shape> e : Sam.expectedShapes(config).entrySet()) {
            String name = e.getKey();
            long[] shape = e.getValue().getShape();
            float[] data = new float[(int) e.getValue().size()];
            double mean = 0;
            double std;
            if (name.endsWith("positional_encoding_gaussian_matrix")) {
                std = 1.0; // SAM draws this matrix from N(0, 1)
            } else if (shape.length == 1 && name.endsWith(".weight")) {
                mean = 1.0; // every 1-D weight in SAM is a norm's scale
                std = 0.1;
            } else if (name.endsWith(".bias") || name.contains("pos_embed") || name.contains("rel_pos")) {
                std = 0.02;
            } else {
                long fanIn = 1;
                for (int i = 1; i < shape.length; i++) {
                    fanIn *= shape[i];
                }
                std = 1.0 / Math.sqrt(Math.max(1, fanIn));
            }
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) (mean + std * gaussian(rng));
            }
            tensors.put(name, new SafetensorsWriter.Tensor(shape, data));
        }
        SafetensorsWriter.write(file, tensors);
    }

    private static double gaussian(SplittableRandom rng) {
        // Box-Muller: the same numbers on every platform for a given seed.
        double u1 = rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }
}
