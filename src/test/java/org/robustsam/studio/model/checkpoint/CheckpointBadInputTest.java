package org.robustsam.studio.model.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.robustsam.studio.inference.Engines;

/** Broken and hostile files built in Java (no Python needed): each must give a plain-words error. */
class CheckpointBadInputTest {
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

    private String failure(Path file) {
        return assertThrows(CheckpointException.class, () -> StateDict.load(file, manager).close()).getMessage();
    }

    @Test
    void zeroByteFile() throws Exception {
        Path file = Files.write(tmp.resolve("sam_vit_b.pth"), new byte[0]);
        assertEquals("sam_vit_b.pth: empty file (0 bytes), expected a PyTorch or safetensors checkpoint", failure(file));
    }

    @Test
    void randomBytes() throws Exception {
        byte[] noise = new byte[5000];
        new Random(42).nextBytes(noise);
        noise[0] = 0x13; // keep the seed's bytes from ever looking like a zip or pickle
        String message = failure(Files.write(tmp.resolve("noise.pth"), noise));
        assertTrue(message.startsWith("noise.pth: not a recognised checkpoint: the file (5,000 bytes) starts with 13 "), message);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.1, 0.5, 0.99})
    void truncatedZip(double fraction) throws Exception {
        byte[] whole = Files.readAllBytes(CheckpointTestFiles.smallModel(tmp.resolve("m.pth")));
        int length = (int) (whole.length * fraction);
        Path cut = Files.write(tmp.resolve("sam_vit_b.pth"), Arrays.copyOf(whole, length));
        assertEquals("sam_vit_b.pth: truncated: zip central directory missing (file is "
                + String.format("%,d", length) + " bytes, expected a PyTorch zip checkpoint)", failure(cut));
    }

    @Test
    void zipWithoutDataPkl() throws Exception {
        Path file = tmp.resolve("photos.zip");
        CheckpointTestFiles.zip(file, Map.of("photos/a.jpg", new byte[] {1, 2, 3}));
        assertEquals("photos.zip: the zip has no <folder>/data.pkl, so it is not a PyTorch checkpoint (entries: photos/a.jpg)",
                failure(file));
    }

    @Test
    void storageEntryMissing() throws Exception {
        byte[] pickle = new CheckpointTestFiles.Pickle().proto().orderedDict().mark()
                .str("w").tensor("FloatStorage", "7", 4, 0, new long[] {4}, new long[] {1}).op('u').stop();
        Path file = CheckpointTestFiles.torchZip(tmp.resolve("x.pth"), "x", pickle, Map.of());
        assertEquals("x.pth: entry x/data/7 is missing from the zip", failure(file));
    }

    @Test
    void storageShorterThanView() throws Exception {
        // Declared numel matches the bytes, but the view (offset 1, last element 1+2+1) reaches past them.
        byte[] pickle = new CheckpointTestFiles.Pickle().proto().orderedDict().mark()
                .str("w").tensor("FloatStorage", "0", 2, 1, new long[] {2, 2}, new long[] {2, 1}).op('u').stop();
        Path file = CheckpointTestFiles.torchZip(tmp.resolve("x.pth"), "x", pickle,
                Map.of("0", CheckpointTestFiles.floatsLE(1, 2)));
        assertEquals("x.pth: storage x/data/0 is too short for tensor 'w': it needs 20 bytes (5 float32 elements) "
                + "but holds only 8 bytes", failure(file));
    }

    @Test
    void legacyPickleMagic() throws Exception {
        // Legacy torch.save starts with a protocol-2 pickle of its magic number.
        Path file = Files.write(tmp.resolve("old.pth"), new byte[] {(byte) 0x80, 2, (byte) 0x8a, 10, 0x6c, (byte) 0xfc});
        String message = failure(file);
        assertTrue(message.startsWith("old.pth: legacy PyTorch format"), message);
        assertTrue(message.contains("re-save with torch>=1.6"), message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"os system", "builtins eval", "posix system", "subprocess Popen",
            "torch.storage _load_from_bytes", "torch load", "numpy.core.multiarray _reconstruct"})
    void forbiddenGlobalIsRefusedAndNeverRun(String global) throws Exception {
        String[] parts = global.split(" ");
        Path marker = tmp.resolve("pwned-" + UUID.randomUUID());
        byte[] pickle = new CheckpointTestFiles.Pickle().proto().orderedDict().mark()
                .str("w").global(parts[0], parts[1]).mark().str("touch " + marker).tuple().op('R')
                .op('u').stop();
        Path file = CheckpointTestFiles.torchZip(tmp.resolve("evil.pth"), "archive", pickle, Map.of());
        String message = failure(file);
        assertTrue(message.startsWith("evil.pth: refused to load: the pickle references the Python global '"
                + parts[0] + "." + parts[1] + "'"), message);
        assertTrue(message.contains("Nothing was executed"), message);
        assertFalse(Files.exists(marker));
    }

    @Test
    void forbiddenGlobalViaStackGlobalIsRefused() throws Exception {
        byte[] pickle = new CheckpointTestFiles.Pickle().op(0x80).op(4)
                .op(0x8c).op(8).raw("builtins").op(0x8c).op(4).raw("exec").op(0x93).stop();
        Path file = CheckpointTestFiles.torchZip(tmp.resolve("evil.pth"), "archive", pickle, Map.of());
        assertTrue(failure(file).contains("'builtins.exec'"));
    }

    @Test
    void wholePickledModelIsRefusedWithAdvice() throws Exception {
        byte[] pickle = new CheckpointTestFiles.Pickle().proto().global("segment_anything.modeling.sam", "Sam")
                .op(')').op(0x81).stop();
        Path file = CheckpointTestFiles.torchZip(tmp.resolve("whole.pth"), "whole", pickle, Map.of());
        String message = failure(file);
        assertTrue(message.contains("'segment_anything.modeling.sam.Sam'"), message);
        assertTrue(message.contains("torch.save(model.state_dict(), path)"), message);
    }

    @Test
    void unknownOpcodeIsReported() throws Exception {
        byte[] pickle = new CheckpointTestFiles.Pickle().proto().op('I').stop();
        Path file = CheckpointTestFiles.torchZip(tmp.resolve("odd.pth"), "odd", pickle, Map.of());
        assertEquals("odd.pth: corrupt pickle: unsupported pickle opcode 0x49 at byte 2 of data.pkl", failure(file));
    }

    @Test
    void notADictIsReported() throws Exception {
        byte[] pickle = new CheckpointTestFiles.Pickle().proto().op(']').stop();
        Path file = CheckpointTestFiles.torchZip(tmp.resolve("list.pth"), "list", pickle, Map.of());
        assertEquals("list.pth: the checkpoint holds a list, not a dict of tensors", failure(file));
    }

    @Test
    void safetensorsHeaderLongerThanFile() throws Exception {
        Path file = tmp.resolve("m.safetensors");
        Files.write(file, new byte[] {(byte) 200, 0, 0, 0, 0, 0, 0, 0, '{', '}'});
        assertEquals("m.safetensors: truncated: the safetensors header needs 208 bytes but the file is 10 bytes",
                failure(file));
    }

    @Test
    void safetensorsHeaderNotJson() throws Exception {
        Path file = CheckpointTestFiles.safetensors(tmp.resolve("m.safetensors"), "{\"w\": [oops", new byte[0]);
        assertTrue(failure(file).startsWith("m.safetensors: bad safetensors header: the header is not valid JSON"));
    }

    @Test
    void safetensorsUnknownDtype() throws Exception {
        Path file = CheckpointTestFiles.safetensors(tmp.resolve("m.safetensors"),
                "{\"w\":{\"dtype\":\"C64\",\"shape\":[1],\"data_offsets\":[0,8]}}", new byte[8]);
        assertEquals("m.safetensors: bad safetensors header: tensor 'w' has unsupported or missing dtype \"C64\"",
                failure(file));
    }

    @Test
    void safetensorsOffsetsDisagreeWithShape() throws Exception {
        Path file = CheckpointTestFiles.safetensors(tmp.resolve("m.safetensors"),
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,12]}}", new byte[12]);
        assertEquals("m.safetensors: bad safetensors header: tensor 'w' has data_offsets [0, 12] but its shape "
                + "and dtype need 16 bytes", failure(file));
    }

    @Test
    void safetensorsMissingOffsets() throws Exception {
        Path file = CheckpointTestFiles.safetensors(tmp.resolve("m.safetensors"),
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[2]}}", new byte[8]);
        assertEquals("m.safetensors: bad safetensors header: tensor 'w' has a missing or malformed data_offsets",
                failure(file));
    }

    @Test
    void safetensorsDataTruncated() throws Exception {
        Path file = CheckpointTestFiles.safetensors(tmp.resolve("m.safetensors"),
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", new byte[10]);
        String header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}";
        int headerEnd = 8 + header.getBytes(StandardCharsets.UTF_8).length;
        assertEquals("m.safetensors: truncated: tensor 'w' needs bytes up to " + String.format("%,d", headerEnd + 16)
                + " bytes but the file is " + String.format("%,d", headerEnd + 10) + " bytes", failure(file));
    }

    @Test
    void safetensorsDuplicateNames() throws Exception {
        Path file = CheckpointTestFiles.safetensors(tmp.resolve("m.safetensors"),
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                        + "\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]);
        String message = failure(file);
        assertTrue(message.startsWith("m.safetensors: bad safetensors header: the header is not valid JSON (Duplicate field 'w'"),
                message);
    }
}
