package org.robustsam.studio.model.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.robustsam.studio.inference.Engines;

/** StateDict behaviour on small checkpoints built in Java (no Python needed). */
class CheckpointStateDictTest {
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

    @Test
    void loadsValuesViewsAndSharedStorageFromJavaBuiltZip() throws Exception {
        try (StateDict sd = StateDict.load(CheckpointTestFiles.smallModel(tmp.resolve("small.pth")), manager)) {
            assertEquals(List.of("encoder.w", "encoder.b", "head.w"), List.copyOf(sd.keys()));
            assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, sd.get("encoder.w").toFloatArray());
            assertArrayEquals(new float[] {10, 20, 30}, sd.get("encoder.b").toFloatArray());
            assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, sd.get("head.w").toFloatArray());
            assertEquals(new Shape(3, 2), sd.shape("head.w"));
            assertEquals(DataType.FLOAT32, sd.get("head.w").getDataType());
            assertEquals(15, sd.numParameters());
            assertTrue(sd.contains("encoder.b"));
            assertFalse(sd.contains("encoder"));
        }
    }

    @Test
    void getNamesTheMissingTensor() throws Exception {
        try (StateDict sd = StateDict.load(CheckpointTestFiles.smallModel(tmp.resolve("small.pth")), manager)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sd.get("mask_decoder.w"));
            assertEquals("small.pth: no tensor named 'mask_decoder.w' (3 tensors present)", e.getMessage());
        }
    }

    @Test
    void filterPrefixStripsThePrefixAndSharesArrays() throws Exception {
        try (StateDict sd = StateDict.load(CheckpointTestFiles.smallModel(tmp.resolve("small.pth")), manager)) {
            StateDict encoder = sd.filterPrefix("encoder.");
            assertEquals(List.of("w", "b"), List.copyOf(encoder.keys()));
            assertEquals(9, encoder.numParameters());
            encoder.close(); // a view owns nothing
            assertArrayEquals(new float[] {10, 20, 30}, encoder.get("b").toFloatArray());
            assertTrue(sd.get("encoder.b") == encoder.get("b"));
        }
    }

    @Test
    void stripPrefixWherePresentKeepsOtherNames() throws Exception {
        try (StateDict sd = StateDict.load(CheckpointTestFiles.smallModel(tmp.resolve("small.pth")), manager)) {
            StateDict stripped = sd.filterPrefix("").stripPrefixWherePresent("encoder.");
            assertEquals(List.of("w", "b", "head.w"), List.copyOf(stripped.keys()));
            assertArrayEquals(new float[] {10, 20, 30}, stripped.get("b").toFloatArray());
        }
    }

    @Test
    void stripPrefixWherePresentRefusesClashes() throws Exception {
        byte[] pickle = new CheckpointTestFiles.Pickle().proto().orderedDict().mark()
                .str("module.w").tensor("FloatStorage", "0", 1, 0, new long[] {1}, new long[] {1})
                .str("w").tensor("FloatStorage", "0", 1, 0, new long[] {1}, new long[] {1})
                .op('u').stop();
        Path file = CheckpointTestFiles.torchZip(tmp.resolve("dp.pth"), "dp", pickle,
                Map.of("0", CheckpointTestFiles.floatsLE(3)));
        try (StateDict sd = StateDict.load(file, manager)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> sd.stripPrefixWherePresent("module."));
            assertEquals("dp.pth: removing the prefix 'module.' gives the name 'w' twice", e.getMessage());
        }
    }

    @Test
    void closeFreesTheArraysButNotTheCallersManager() throws Exception {
        NDArray kept = manager.create(new float[] {1});
        StateDict sd = StateDict.load(CheckpointTestFiles.smallModel(tmp.resolve("small.pth")), manager);
        NDArray w = sd.get("encoder.w");
        sd.close();
        assertTrue(w.isReleased());
        assertFalse(kept.isReleased());
        kept.close();
    }

    @Test
    void verifyAcceptsMatchingShapes() throws Exception {
        Path file = CheckpointTestFiles.smallModel(tmp.resolve("small.pth"));
        try (StateDict sd = StateDict.load(file, manager)) {
            sd.verify(Map.of("encoder.w", new Shape(2, 3), "encoder.b", new Shape(3), "head.w", new Shape(3, 2)), file);
        }
    }

    @Test
    void verifyListsMissingUnexpectedAndMisShapedByName() throws Exception {
        Path file = CheckpointTestFiles.smallModel(tmp.resolve("sam_vit_b.pth"));
        Map<String, Shape> expected = new LinkedHashMap<>();
        expected.put("encoder.w", new Shape(3, 2));
        expected.put("encoder.b", new Shape(3));
        expected.put("decoder.w", new Shape(4));
        try (StateDict sd = StateDict.load(file, manager)) {
            CheckpointException e = assertThrows(CheckpointException.class, () -> sd.verify(expected, file));
            assertEquals("sam_vit_b.pth: checkpoint does not match the model:\n"
                    + "  1 missing: decoder.w\n"
                    + "  1 unexpected: head.w\n"
                    + "  1 wrong shape: encoder.w (expected (3, 2), got (2, 3))", e.getMessage());
        }
    }

    @Test
    void verifyCapsLongListsWithACount() throws Exception {
        Path file = CheckpointTestFiles.smallModel(tmp.resolve("small.pth"));
        Map<String, Shape> expected = new LinkedHashMap<>();
        expected.put("encoder.w", new Shape(2, 3));
        expected.put("encoder.b", new Shape(3));
        expected.put("head.w", new Shape(3, 2));
        for (int i = 0; i < 25; i++) {
            expected.put("blocks." + i + ".w", new Shape(1));
        }
        try (StateDict sd = StateDict.load(file, manager)) {
            String message = assertThrows(CheckpointException.class, () -> sd.verify(expected, file)).getMessage();
            assertTrue(message.contains("25 missing: blocks.0.w, blocks.1.w,"), message);
            assertTrue(message.contains("blocks.19.w, ... and 5 more"), message);
            assertFalse(message.contains("blocks.20.w"), message);
        }
    }

    @Test
    void checkFiniteNamesNonFiniteTensors() throws Exception {
        byte[] pickle = new CheckpointTestFiles.Pickle().proto().orderedDict().mark()
                .str("fine").tensor("FloatStorage", "0", 2, 0, new long[] {2}, new long[] {1})
                .str("nan").tensor("FloatStorage", "1", 2, 0, new long[] {2}, new long[] {1})
                .str("inf").tensor("FloatStorage", "2", 1, 0, new long[] {1}, new long[] {1})
                .op('u').stop();
        Path file = CheckpointTestFiles.torchZip(tmp.resolve("bad.pth"), "bad", pickle, Map.of(
                "0", CheckpointTestFiles.floatsLE(1, 2),
                "1", CheckpointTestFiles.floatsLE(1, Float.NaN),
                "2", CheckpointTestFiles.floatsLE(Float.NEGATIVE_INFINITY)));
        try (StateDict sd = StateDict.load(file, manager)) {
            CheckpointException e = assertThrows(CheckpointException.class, sd::checkFinite);
            assertEquals("bad.pth: non-finite values (NaN or Inf) in 2 tensors: nan, inf; the checkpoint is damaged",
                    e.getMessage());
            // The check must leave the tensors usable and in their own manager.
            assertFalse(sd.get("nan").isReleased());
            assertTrue(Float.isNaN(sd.get("nan").toFloatArray()[1]));
        }
        try (StateDict sd = StateDict.load(CheckpointTestFiles.smallModel(tmp.resolve("ok.pth")), manager)) {
            sd.checkFinite();
        }
    }

    @Test
    void wrappedCheckpointsPickTheStateDict() throws Exception {
        // {"epoch": 3, "state_dict": {"w": t}, "ema": {"w": t}}: the wrapper key wins over the other dict.
        byte[] pickle = new CheckpointTestFiles.Pickle().proto().op('}').mark()
                .str("epoch").integer(3)
                .str("ema").op('}').mark().str("w").tensor("FloatStorage", "1", 1, 0, new long[] {1}, new long[] {1})
                .op('u')
                .str("state_dict").op('}').mark().str("w").tensor("FloatStorage", "0", 1, 0, new long[] {1}, new long[] {1})
                .op('u')
                .op('u').stop();
        Path file = CheckpointTestFiles.torchZip(tmp.resolve("train.pth"), "train", pickle,
                Map.of("0", CheckpointTestFiles.floatsLE(7), "1", CheckpointTestFiles.floatsLE(8)));
        try (StateDict sd = StateDict.load(file, manager)) {
            assertArrayEquals(new float[] {7}, sd.get("w").toFloatArray());
        }
    }

    @Test
    void ambiguousWrapperIsRefusedListingKeys() throws Exception {
        byte[] pickle = new CheckpointTestFiles.Pickle().proto().op('}').mark()
                .str("a").op('}').mark().str("w").tensor("FloatStorage", "0", 1, 0, new long[] {1}, new long[] {1})
                .op('u')
                .str("b").op('}').mark().str("w").tensor("FloatStorage", "0", 1, 0, new long[] {1}, new long[] {1})
                .op('u')
                .op('u').stop();
        Path file = CheckpointTestFiles.torchZip(tmp.resolve("two.pth"), "two", pickle,
                Map.of("0", CheckpointTestFiles.floatsLE(7)));
        CheckpointException e = assertThrows(CheckpointException.class, () -> StateDict.load(file, manager));
        assertEquals("two.pth: no state dict found: the top-level dict has keys [a, b] and 2 of them are dicts of "
                + "tensors (ambiguous)", e.getMessage());
    }

    @Test
    void integerAndHalfStoragesFromJavaBuiltZip() throws Exception {
        byte[] pickle = new CheckpointTestFiles.Pickle().proto().orderedDict().mark()
                .str("idx").tensor("LongStorage", "0", 3, 0, new long[] {3}, new long[] {1})
                .str("half").tensor("HalfStorage", "1", 4, 0, new long[] {2, 2}, new long[] {2, 1})
                .str("bf").tensor("BFloat16Storage", "2", 2, 0, new long[] {2}, new long[] {1})
                .op('u').stop();
        java.nio.ByteBuffer longs = java.nio.ByteBuffer.allocate(24).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putLong(-1).putLong(1L << 40).putLong(5);
        // binary16: 1.0, -2.0, 65504 (max), 2^-24 (smallest subnormal)
        byte[] halves = {0x00, 0x3c, 0x00, (byte) 0xc0, (byte) 0xff, 0x7b, 0x01, 0x00};
        // bfloat16: 1.0 (0x3f80), -0.5 (0xbf00)
        byte[] bf = {(byte) 0x80, 0x3f, 0x00, (byte) 0xbf};
        Path file = CheckpointTestFiles.torchZip(tmp.resolve("types.pth"), "types", pickle,
                Map.of("0", longs.array(), "1", halves, "2", bf));
        try (StateDict sd = StateDict.load(file, manager)) {
            assertEquals(DataType.INT64, sd.get("idx").getDataType());
            assertArrayEquals(new long[] {-1, 1L << 40, 5}, sd.get("idx").toLongArray());
            assertArrayEquals(new float[] {1f, -2f, 65504f, 0x1p-24f}, sd.get("half").toFloatArray());
            assertArrayEquals(new float[] {1f, -0.5f}, sd.get("bf").toFloatArray());
        }
    }

    @Test
    void longMemoOpcodesResolve() throws Exception {
        // LONG_BINPUT 300 stores the name; LONG_BINGET 300 fetches it back as the key.
        byte[] pickle = new CheckpointTestFiles.Pickle().proto().orderedDict().mark()
                .str("x.w").op('r').op(44).op(1).op(0).op(0).op('0')
                .op('j').op(44).op(1).op(0).op(0)
                .tensor("FloatStorage", "0", 1, 0, new long[] {1}, new long[] {1})
                .op('u').stop();
        Path file = CheckpointTestFiles.torchZip(tmp.resolve("memo.pth"), "memo", pickle,
                Map.of("0", CheckpointTestFiles.floatsLE(9)));
        try (StateDict sd = StateDict.load(file, manager)) {
            assertArrayEquals(new float[] {9}, sd.get("x.w").toFloatArray());
        }
    }

    @Test
    void halfToFloatIsExactForEveryBitPattern() {
        // Independent reference: decode binary16 by its definition with doubles.
        for (int bits = 0; bits < 0x10000; bits++) {
            int exponent = (bits >> 10) & 0x1f;
            int mantissa = bits & 0x3ff;
            double sign = (bits & 0x8000) != 0 ? -1 : 1;
            float got = TensorDecoder.halfToFloat((short) bits);
            if (exponent == 0x1f) {
                assertTrue(mantissa == 0 ? Float.isInfinite(got) && Math.signum(got) == sign : Float.isNaN(got));
                continue;
            }
            double want = exponent == 0 ? sign * mantissa * Math.pow(2, -24)
                    : sign * (1 + mantissa / 1024.0) * Math.pow(2, exponent - 15);
            assertEquals(Float.floatToIntBits((float) want), Float.floatToIntBits(got), "bits " + bits);
        }
    }
}
