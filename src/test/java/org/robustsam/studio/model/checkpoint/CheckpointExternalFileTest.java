package org.robustsam.studio.model.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.robustsam.studio.inference.Engines;

/**
 * Opt-in check of a real-size checkpoint against a summary made by torch itself:
 * <pre>
 * /usr/bin/python3 src/test/python/summarize_checkpoint.py sam_vit_b.pth sam_vit_b.json
 * mvn test -Dtest=CheckpointExternalFileTest -Dcheckpoint.file=sam_vit_b.pth -Dcheckpoint.summary=sam_vit_b.json
 * </pre>
 * Skipped unless both properties are given (real checkpoints are hundreds of MB, never committed).
 */
class CheckpointExternalFileTest {
    @Test
    void matchesTorchSummary() throws Exception {
        String file = System.getProperty("checkpoint.file");
        String summaryFile = System.getProperty("checkpoint.summary");
        Assumptions.assumeTrue(file != null && summaryFile != null,
                "opt-in: pass -Dcheckpoint.file=... -Dcheckpoint.summary=... (see class comment)");
        JsonNode summary = new ObjectMapper().readTree(Paths.get(summaryFile).toFile());
        try (NDManager manager = Engines.pytorch().newBaseManager();
                StateDict sd = StateDict.load(Path.of(file), manager)) {
            List<String> names = new ArrayList<>();
            summary.fieldNames().forEachRemaining(names::add);
            assertEquals(names, new ArrayList<>(sd.keys()));
            for (String name : names) {
                JsonNode want = summary.get(name);
                NDArray got = sd.get(name);
                long[] shape = new long[want.get("shape").size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = want.get("shape").get(i).asLong();
                }
                assertArrayEquals(shape, got.getShape().getShape(), name);
                assertEquals(want.get("dtype").asText(), got.getDataType().name().toLowerCase(), name);
                if (got.getDataType() == DataType.FLOAT32) {
                    float[] v = got.toFloatArray();
                    double sum = 0;
                    for (float x : v) {
                        sum += x;
                    }
                    // Summation order differs from torch's, so the sum is compared loosely; the first values exactly.
                    assertEquals(want.get("sum").asDouble(), sum, 1e-6 * (1 + v.length), name + " sum");
                    for (int i = 0; i < want.get("first").size(); i++) {
                        assertEquals((float) want.get("first").get(i).asDouble(), v[i], name + "[" + i + "]");
                    }
                }
            }
            sd.checkFinite();
        }
    }
}
