package org.robustsam.studio.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The heap upscaler against the tensor path it replaces in the prompt loop. */
class MaskUpscalerTest {
    @BeforeAll
    static void engine() {
        Engines.configureOffline();
    }

    /** Smooth random logits crossing zero, as decoder outputs do. */
    private static float[] logits(int count, int low, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] v = new float[count * low * low];
        for (int c = 0; c < count; c++) {
            double fx = 0.02 + rng.nextDouble() * 0.1;
            double fy = 0.02 + rng.nextDouble() * 0.1;
            double phase = rng.nextDouble() * 6;
            for (int y = 0; y < low; y++) {
                for (int x = 0; x < low; x++) {
                    v[(c * low + y) * low + x] = (float) (4 * Math.sin(fx * x + phase) * Math.cos(fy * y)
                            + rng.nextDouble() - 0.5);
                }
            }
        }
        return v;
    }

    @Test
    void equalsTheTensorPathForLandscapePortraitAndTinyImages() {
        int[][] sizes = {{1500, 1000}, {640, 1280}, {1024, 1024}, {37, 5}, {1, 1}, {3000, 2000}};
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int[] size : sizes) {
                int origW = size[0];
                int origH = size[1];
                int[] input = ResizeLongestSide.getPreprocessShape(origH, origW, 1024);
                float[] low = logits(3, 256, origW * 31L + origH);
                byte[][] fast = MaskUpscaler.binaryMasks(low, 3, 256, 1024, input[0], input[1], origH, origW);
                try (NDManager scope = manager.newSubManager()) {
                    NDArray lowRes = scope.create(low, new Shape(1, 3, 256, 256));
                    NDArray full = SamTransforms.postprocessMasks(lowRes, 1024, input[0], input[1], origH, origW);
                    byte[] bits = SamTransforms.binarize(full).toType(DataType.INT8, false).toByteArray();
                    int plane = origW * origH;
                    int inside = 0;
                    for (int c = 0; c < 3; c++) {
                        byte[] expected = java.util.Arrays.copyOfRange(bits, c * plane, (c + 1) * plane);
                        assertArrayEquals(expected, fast[c], "mask " + c + " of a " + origW + "x" + origH + " image");
                        for (byte b : fast[c]) {
                            inside += b;
                        }
                    }
                    if (plane > 100) {
                        assertTrue(inside > 0 && inside < 3 * plane, "the test logits must cross zero");
                    }
                }
            }
        }
    }

    @Test
    void rejectsLogitsOfTheWrongLength() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MaskUpscaler.binaryMasks(new float[10], 3, 256, 1024, 683, 1024, 1000, 1500));
        assertTrue(e.getMessage().contains("3 x 256"), e.getMessage());
        assertEquals(0, MaskUpscaler.binaryMasks(new float[0], 0, 256, 1024, 10, 10, 10, 10).length);
    }
}
