package org.robustsam.studio.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class EnginesTest {
    @Test
    void pytorchEngineLoadsOfflineAndMultipliesMatrices() {
        Engine engine = Engines.pytorch();
        assertEquals("PyTorch", engine.getEngineName());
        try (NDManager manager = engine.newBaseManager()) {
            NDArray a = manager.create(new float[] {1, 2, 3, 4}, new ai.djl.ndarray.types.Shape(2, 2));
            NDArray b = manager.create(new float[] {5, 6, 7, 8}, new ai.djl.ndarray.types.Shape(2, 2));
            assertArrayEquals(new float[] {19, 22, 43, 50}, a.matMul(b).toFloatArray(), 1e-6f);
        }
    }

    @Test
    void describesTheComputeDevice() {
        String d = Engines.describeDevice();
        org.junit.jupiter.api.Assertions.assertTrue(d.startsWith("CPU") || d.startsWith("GPU"), d);
    }
}
