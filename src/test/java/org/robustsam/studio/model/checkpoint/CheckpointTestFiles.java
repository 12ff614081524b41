package org.robustsam.studio.model.checkpoint;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Builds checkpoint files in Java, so the bad-input and StateDict tests need no Python: a pickle
 * writer emitting the same opcodes torch does, a zip writer using STORED entries like torch, and
 * a safetensors writer. Public for the hardening suite, which builds its hostile checkpoints with it.
 */
public final class CheckpointTestFiles {
    private CheckpointTestFiles() {}

    /** Appends pickle opcodes; method names follow the opcodes. */
    public static final class Pickle {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private int memo;

        public Pickle proto() {
            return op(0x80).op(2);
        }

        public Pickle op(int b) {
            out.write(b);
            return this;
        }

        public Pickle global(String module, String name) {
            op('c');
            out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
            return put();
        }

        public Pickle raw(String ascii) {
            out.writeBytes(ascii.getBytes(StandardCharsets.US_ASCII));
            return this;
        }

        public Pickle put() {
            return op('q').op(memo++ & 0xff);
        }

        public Pickle str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            op('X');
            out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
            out.writeBytes(b);
            return this;
        }

        public Pickle integer(long v) {
            if (v >= 0 && v < 256) {
                return op('K').op((int) v);
            }
            if (v == (int) v) {
                op('J');
                out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array());
                return this;
            }
            op(0x8a).op(8); // LONG1: eight bytes, little-endian two's complement
            out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
            return this;
        }

        public Pickle mark() {
            return op('(');
        }

        public Pickle tuple() {
            return op('t');
        }

        public Pickle ints(long... values) {
            mark();
            for (long v : values) {
                integer(v);
            }
            return tuple();
        }

        public Pickle orderedDict() {
            return global("collections", "OrderedDict").op(')').op('R');
        }

        /** _rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict()) as torch writes it. */
        public Pickle tensor(String storageClass, String key, long numel, long offset, long[] shape, long[] stride) {
            global("torch._utils", "_rebuild_tensor_v2");
            mark();
            mark().str("storage").global("torch", storageClass).str(key).str("cpu").integer(numel).tuple().op('Q');
            integer(offset).ints(shape).ints(stride).op(0x89).orderedDict();
            return tuple().op('R');
        }

        public byte[] stop() {
            op('.');
            return out.toByteArray();
        }
    }

    /** Writes a zip whose entries are STORED, as torch.save does. */
    public static void zip(Path file, Map<String, byte[]> entries) throws IOException {
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey());
                entry.setMethod(ZipEntry.STORED);
                entry.setSize(e.getValue().length);
                CRC32 crc = new CRC32();
                crc.update(e.getValue());
                entry.setCrc(crc.getValue());
                zip.putNextEntry(entry);
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
    }

    public static byte[] floatsLE(float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    /**
     * A torch-style checkpoint: top folder {@code top}, data.pkl = {@code pickle}, and the given
     * storages as {@code top/data/<key>}.
     */
    public static Path torchZip(Path file, String top, byte[] pickle, Map<String, byte[]> storages) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(top + "/data.pkl", pickle);
        for (Map.Entry<String, byte[]> s : storages.entrySet()) {
            entries.put(top + "/data/" + s.getKey(), s.getValue());
        }
        entries.put(top + "/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        zip(file, entries);
        return file;
    }

    /**
     * A small "model" checkpoint: encoder.w (2,3) float32 = 0..5, encoder.b (3) = storage view at
     * offset 6, head.w = encoder.w transposed (3,2, strided view of the same storage).
     */
    public static Path smallModel(Path file) throws IOException {
        byte[] pickle = new Pickle().proto().orderedDict().mark()
                .str("encoder.w").tensor("FloatStorage", "0", 9, 0, new long[] {2, 3}, new long[] {3, 1})
                .str("encoder.b").tensor("FloatStorage", "0", 9, 6, new long[] {3}, new long[] {1})
                .str("head.w").tensor("FloatStorage", "0", 9, 0, new long[] {3, 2}, new long[] {1, 3})
                .op('u').stop();
        return torchZip(file, file.getFileName().toString().replaceFirst("\\.[^.]*$", ""), pickle,
                Map.of("0", floatsLE(0, 1, 2, 3, 4, 5, 10, 20, 30)));
    }

    /** A safetensors file with the given raw header text and data bytes. */
    public static Path safetensors(Path file, String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        Files.write(file, b.array());
        return file;
    }
}
