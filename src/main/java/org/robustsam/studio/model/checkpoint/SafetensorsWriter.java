package org.robustsam.studio.model.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes float32 tensors as a safetensors file (the format {@link SafetensorsReader} reads), for
 * checkpoints the app makes itself: fine-tuned modules and the small random-weight smoke model.
 */
public final class SafetensorsWriter {
    /** One tensor to write: row-major float32 data and its shape. */
    public record Tensor(long[] shape, float[] data) {}

    private SafetensorsWriter() {}

    /** Writes float32 values little-endian, in 64 KB chunks (no full-size byte copy of large tensors). */
    public static void writeFloats(OutputStream out, float[] data) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < data.length; ) {
            buf.clear();
            int n = Math.min(buf.capacity() / 4, data.length - i);
            buf.asFloatBuffer().put(data, i, n);
            out.write(buf.array(), 0, n * 4);
            i += n;
        }
    }

    /** Writes atomically (temp file + rename): a crash never leaves a half-written checkpoint behind. */
    public static void write(Path file, Map<String, Tensor> tensors) throws IOException {
        Map<String, Object> header = new LinkedHashMap<>();
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            long n = 1;
            for (long d : e.getValue().shape()) {
                n *= d;
            }
            if (n != e.getValue().data().length) {
                throw new IllegalArgumentException(e.getKey() + ": shape needs " + n + " values, got " + e.getValue().data().length);
            }
            header.put(e.getKey(), Map.of("dtype", "F32", "shape", e.getValue().shape(),
                    "data_offsets", List.of(offset, offset + 4 * n)));
            offset += 4 * n;
        }
        byte[] json = new ObjectMapper().writeValueAsBytes(header);
        // The format pads the header with spaces to an 8-byte boundary.
        int padded = (json.length + 7) / 8 * 8;
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (OutputStream out = Files.newOutputStream(tmp)) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
            out.write(json);
            out.write(" ".repeat(padded - json.length).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            for (Tensor t : tensors.values()) {
                writeFloats(out, t.data());
            }
        }
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
