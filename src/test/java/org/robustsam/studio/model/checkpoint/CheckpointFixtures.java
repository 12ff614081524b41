package org.robustsam.studio.model.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Generates the Python-made fixtures once per test JVM (src/test/python/make_checkpoint_fixtures.py)
 * and compares loaded arrays with the values torch recorded. Tests that use it are skipped, not
 * failed, where /usr/bin/python3 or torch is missing.
 */
final class CheckpointFixtures {
    static final Path PYTHON = Paths.get("/usr/bin/python3");

    private static Path dir;
    private static Path marker;
    private static String skipReason;
    private static JsonNode expected;

    private CheckpointFixtures() {}

    /** The fixture directory; skips the calling test when Python with torch is unavailable. */
    static synchronized Path dir() throws Exception {
        if (dir == null && skipReason == null) {
            generate();
        }
        Assumptions.assumeTrue(skipReason == null, () -> "skipped: " + skipReason);
        return dir;
    }

    /** The file the malicious pickle would create if anything executed it. */
    static synchronized Path marker() throws Exception {
        dir();
        return marker;
    }

    static synchronized JsonNode expected() throws Exception {
        if (expected == null) {
            expected = new ObjectMapper().readTree(dir().resolve("expected.json").toFile());
        }
        return expected;
    }

    private static void generate() throws Exception {
        if (!Files.isExecutable(PYTHON)) {
            skipReason = PYTHON + " is not installed; Python fixtures need it with torch";
            return;
        }
        Path project = Paths.get(System.getProperty("studio.project.dir", "."));
        Path script = project.resolve("src/test/python/make_checkpoint_fixtures.py");
        Path out = project.resolve("target/checkpoint-fixtures");
        deleteTree(out);
        Path mark = Paths.get(System.getProperty("java.io.tmpdir"), "robustsam-pwned-" + UUID.randomUUID());
        Process p = new ProcessBuilder(PYTHON.toString(), script.toString(), out.toString(), mark.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("fixture script timed out:\n" + log);
        }
        if (p.exitValue() != 0) {
            if (log.contains("No module named 'torch'")) {
                skipReason = PYTHON + " has no torch module; install python3-torch to run these tests";
                return;
            }
            fail("fixture script failed (exit " + p.exitValue() + "):\n" + log);
        }
        dir = out;
        marker = mark;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            List<Path> all = new ArrayList<>(walk.toList());
            java.util.Collections.reverse(all);
            for (Path p : all) {
                Files.delete(p);
            }
        }
    }

    /** Asserts that {@code actual} has the dtype, shape and exact values torch recorded. */
    static void assertTensor(String file, String name, NDArray actual) throws Exception {
        JsonNode want = expected().path(file).path(name);
        if (want.isMissingNode()) {
            fail("no expected values for " + file + " / " + name);
        }
        String where = file + " / " + name;
        assertEquals(want.get("dtype").asText(), actual.getDataType().name().toLowerCase(), where + " dtype");
        long[] shape = new long[want.get("shape").size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = want.get("shape").get(i).asLong();
        }
        assertArrayEquals(shape, actual.getShape().getShape(), where + " shape");
        JsonNode values = want.get("values");
        if (actual.getDataType() == DataType.FLOAT32) {
            float[] got = actual.toFloatArray();
            assertEquals(values.size(), got.length, where + " size");
            for (int i = 0; i < got.length; i++) {
                // Exact: the JSON double is a float32 value widened, so narrowing it back is lossless.
                assertEquals(Float.floatToIntBits((float) values.get(i).asDouble()), Float.floatToIntBits(got[i]),
                        where + "[" + i + "]: expected " + values.get(i).asDouble() + " got " + got[i]);
            }
        } else {
            long[] got = actual.getDataType() == DataType.INT64 ? actual.toLongArray() : toLongs(actual.toIntArray());
            long[] want2 = new long[values.size()];
            Iterator<JsonNode> it = values.elements();
            for (int i = 0; it.hasNext(); i++) {
                want2[i] = it.next().asLong();
            }
            assertArrayEquals(want2, got, where + " values");
        }
    }

    /** The tensor names recorded for a fixture file, in file order. */
    static List<String> names(String file) throws Exception {
        List<String> names = new ArrayList<>();
        expected().path(file).fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static long[] toLongs(int[] v) {
        long[] out = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }
}
