package org.robustsam.studio.model.checkpoint;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.function.Supplier;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a state dict the way {@code torch.save(state_dict, path)} does (the official SAM and
 * RobustSAM checkpoint format), so the reference Python code loads it with {@code torch.load} and
 * {@code load_state_dict(strict=True)}, and {@link TorchCheckpointReader} reads it back.
 *
 * <p>The file is an uncompressed (STORED) zip whose entries share one top folder:
 * {@code <top>/data.pkl}, a protocol-2 pickle of an {@code OrderedDict} name -> tensor, each tensor
 * {@code torch._utils._rebuild_tensor_v2(storage, 0, size, stride, False, OrderedDict())} with the
 * storage a persistent id {@code ("storage", torch.FloatStorage | torch.LongStorage, "<n>", "cpu",
 * numel)}; {@code <top>/data/<n>}, the storage's raw little-endian bytes; {@code <top>/version}
 * ("3") and {@code <top>/byteorder} ("little"), as torch 1.13+ writes them. Tensors are contiguous,
 * one storage each.
 */
public final class TorchCheckpointWriter {
    /**
     * One tensor: its shape, whether it is int64 (BatchNorm's {@code num_batches_tracked}) rather
     * than float32, and its row-major little-endian bytes, produced only when the tensor is written
     * (so a large model is never held twice in memory).
     */
    public record Tensor(long[] shape, boolean int64, Supplier<byte[]> data) {
        public static Tensor ofFloats(long[] shape, float[] values) {
            return new Tensor(shape, false, () -> floatBytes(values));
        }

        public static Tensor ofLongs(long[] shape, long[] values) {
            return new Tensor(shape, true, () -> {
                ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
                b.asLongBuffer().put(values);
                return b.array();
            });
        }

        /** Float values fetched at write time. */
        public static Tensor lazyFloats(long[] shape, Supplier<float[]> values) {
            return new Tensor(shape, false, () -> floatBytes(values.get()));
        }

        long numel() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }

        int elementSize() {
            return int64 ? 8 : 4;
        }
    }

    static byte[] floatBytes(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return b.array();
    }

    private TorchCheckpointWriter() {}

    /**
     * Writes {@code tensors} (in iteration order, which becomes the state dict's order) to
     * {@code file} atomically: a sibling temp file, flushed to the disk, renamed over the target.
     * The zip's top folder is the file's stem, as {@code torch.save} names it.
     */
    public static void write(Path file, Map<String, Tensor> tensors) throws IOException {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String top = (dot > 0 ? name.substring(0, dot) : name).replaceAll("[^A-Za-z0-9_.-]", "_");
        if (top.isEmpty()) {
            top = "archive";
        }
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = parent.resolve(name + ".tmp");
        try (OutputStream raw = Files.newOutputStream(tmp);
             ZipOutputStream zip = new ZipOutputStream(new java.io.BufferedOutputStream(raw, 1 << 20))) {
            zip.setLevel(0);
            stored(zip, top + "/data.pkl", pickle(tensors));
            stored(zip, top + "/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
            int n = 0;
            for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                Tensor t = e.getValue();
                byte[] data = t.data().get();
                if (data.length != t.numel() * t.elementSize()) {
                    throw new IllegalArgumentException(e.getKey() + ": shape " + java.util.Arrays.toString(t.shape())
                            + " needs " + t.numel() + " values, got " + data.length / t.elementSize());
                }
                stored(zip, top + "/data/" + n++, data);
            }
            stored(zip, top + "/version", "3\n".getBytes(StandardCharsets.US_ASCII));
            zip.finish();
        }
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(tmp,
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void stored(ZipOutputStream zip, String entryName, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(entryName);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        e.setCompressedSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }

    // ---- pickle protocol 2 ----
    private static final int PROTO = 0x80;
    private static final int GLOBAL = 'c';
    private static final int EMPTY_TUPLE = ')';
    private static final int REDUCE = 'R';
    private static final int MARK = '(';
    private static final int TUPLE = 't';
    private static final int SETITEMS = 'u';
    private static final int BINPERSID = 'Q';
    private static final int BININT = 'J';
    private static final int BININT1 = 'K';
    private static final int BINUNICODE = 'X';
    private static final int NEWFALSE = 0x89;
    private static final int STOP = '.';

    static byte[] pickle(Map<String, Tensor> tensors) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(PROTO);
        out.write(2);
        global(out, "collections", "OrderedDict");
        out.write(EMPTY_TUPLE);
        out.write(REDUCE);
        out.write(MARK);
        int n = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            string(out, e.getKey());
            global(out, "torch._utils", "_rebuild_tensor_v2");
            out.write(MARK);
            // persistent id: ('storage', storage class, key, location, numel)
            out.write(MARK);
            string(out, "storage");
            global(out, "torch", t.int64() ? "LongStorage" : "FloatStorage");
            string(out, Integer.toString(n++));
            string(out, "cpu");
            integer(out, t.numel());
            out.write(TUPLE);
            out.write(BINPERSID);
            integer(out, 0); // storage offset
            tuple(out, t.shape());
            tuple(out, strides(t.shape()));
            out.write(NEWFALSE); // requires_grad
            global(out, "collections", "OrderedDict"); // backward hooks
            out.write(EMPTY_TUPLE);
            out.write(REDUCE);
            out.write(TUPLE);
            out.write(REDUCE);
        }
        out.write(SETITEMS);
        out.write(STOP);
        return out.toByteArray();
    }

    private static long[] strides(long[] shape) {
        long[] s = new long[shape.length];
        long acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    private static void global(ByteArrayOutputStream out, String module, String name) {
        out.write(GLOBAL);
        out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    private static void string(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(BINUNICODE);
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
        out.writeBytes(b);
    }

    private static void tuple(ByteArrayOutputStream out, long[] values) {
        if (values.length == 0) {
            out.write(EMPTY_TUPLE);
            return;
        }
        out.write(MARK);
        for (long v : values) {
            integer(out, v);
        }
        out.write(TUPLE);
    }

    private static void integer(ByteArrayOutputStream out, long v) {
        if (v >= 0 && v < 256) {
            out.write(BININT1);
            out.write((int) v);
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            out.write(BININT);
            out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array());
        } else {
            throw new IllegalArgumentException("integer " + v + " does not fit a 4-byte pickle int");
        }
    }
}
