package org.robustsam.studio.model.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.robustsam.studio.inference.Engines;

/** safetensors reading, plus format detection by content through {@link StateDict#load}. */
class CheckpointSafetensorsTest {
    private static NDManager manager;

    @TempDir
    Path tmp;

    @BeforeAll
    static void engine() {
        manager = Engines.pytorch().newBaseManager();
    }

    @AfterAll
    static void release() {
        manager.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tensors.safetensors", "tensors_named_like_torch.pth"})
    void readsTorchWrittenValuesExactly(String file) throws Exception {
        try (StateDict sd = StateDict.load(CheckpointFixtures.dir().resolve(file), manager)) {
            assertEquals(CheckpointFixtures.names(file), new ArrayList<>(sd.keys()));
            for (String name : sd.keys()) {
                CheckpointFixtures.assertTensor(file, name, sd.get(name));
            }
        }
    }

    @Test
    void readsJavaBuiltFileIgnoringMetadata() throws Exception {
        String header = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"a\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[8,16]}}";
        java.nio.ByteBuffer data = java.nio.ByteBuffer.allocate(16).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putFloat(1.5f).putFloat(-2f).putLong(42);
        Path file = CheckpointTestFiles.safetensors(tmp.resolve("weights.bin"), header, data.array());
        try (StateDict sd = StateDict.load(file, manager)) {
            assertEquals(java.util.List.of("b", "a"), new ArrayList<>(sd.keys()));
            assertArrayEquals(new float[] {1.5f, -2f}, sd.get("b").toFloatArray());
            assertArrayEquals(new long[] {42}, sd.get("a").toLongArray());
            assertEquals(0, sd.shape("a").dimension());
        }
    }
}
