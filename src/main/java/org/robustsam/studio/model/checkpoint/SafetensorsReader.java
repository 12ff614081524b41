package org.robustsam.studio.model.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads safetensors files: an 8-byte little-endian header length, a JSON header mapping each name
 * to {dtype, shape, data_offsets}, then the raw little-endian data. Each tensor is read from the
 * file on its own (positional reads), so memory stays at the arrays plus one tensor.
 */
public final class SafetensorsReader {
    /** The format's own reference implementation refuses headers above 100 MB. */
    static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private SafetensorsReader() {}

    /** Reads every tensor in header order, attached to {@code manager}. */
    public static Map<String, NDArray> read(Path file, NDManager manager) throws CheckpointException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < 8) {
                throw bad(file, "the file is only " + CheckpointFormat.bytes(size) + ", too short for the 8-byte header length");
            }
            long headerLength = readFully(channel, 0, 8).getLong();
            if (headerLength < 2 || headerLength > MAX_HEADER_BYTES) {
                throw bad(file, "header length " + headerLength + " is not plausible");
            }
            if (8 + headerLength > size) {
                throw new CheckpointException(file, "truncated: the safetensors header needs "
                        + CheckpointFormat.bytes(8 + headerLength) + " but the file is " + CheckpointFormat.bytes(size));
            }
            JsonNode header = parseHeader(file, readFully(channel, 8, (int) headerLength));
            Map<String, NDArray> out = new LinkedHashMap<>();
            try {
                Iterator<Map.Entry<String, JsonNode>> fields = header.fields();
                while (fields.hasNext()) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    if (!field.getKey().equals("__metadata__")) {
                        out.put(field.getKey(), readTensor(file, channel, size, 8 + headerLength,
                                field.getKey(), field.getValue(), manager));
                    }
                }
            } catch (CheckpointException | RuntimeException e) {
                out.values().forEach(NDArray::close);
                throw e;
            }
            return out;
        } catch (CheckpointException e) {
            throw e;
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot read the file: " + e.getMessage(), e);
        }
    }

    /** Names and shapes from the JSON header alone, without reading tensor data. */
    public static Map<String, long[]> readShapes(Path file) throws CheckpointException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < 8) {
                throw bad(file, "the file is only " + CheckpointFormat.bytes(size) + ", too short for the 8-byte header length");
            }
            long headerLength = readFully(channel, 0, 8).getLong();
            if (headerLength < 2 || headerLength > MAX_HEADER_BYTES || 8 + headerLength > size) {
                throw bad(file, "header length " + headerLength + " is not plausible for a file of " + CheckpointFormat.bytes(size));
            }
            JsonNode header = parseHeader(file, readFully(channel, 8, (int) headerLength));
            Map<String, long[]> out = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> fields = header.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (!field.getKey().equals("__metadata__")) {
                    if (!field.getValue().isObject()) {
                        throw bad(file, "entry '" + field.getKey() + "' is not an object");
                    }
                    out.put(field.getKey(), longs(file, field.getKey(), "shape", field.getValue().get("shape"), -1));
                }
            }
            return out;
        } catch (CheckpointException e) {
            throw e;
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot read the file: " + e.getMessage(), e);
        }
    }

    private static JsonNode parseHeader(Path file, ByteBuffer bytes) throws CheckpointException {
        JsonNode header;
        try {
            header = JSON.readTree(bytes.array(), bytes.arrayOffset(), bytes.remaining());
        } catch (JsonProcessingException e) {
            throw bad(file, "the header is not valid JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw bad(file, "the header cannot be read (" + e.getMessage() + ")");
        }
        if (header == null || !header.isObject()) {
            throw bad(file, "the header is not a JSON object");
        }
        return header;
    }

    private static NDArray readTensor(Path file, FileChannel channel, long fileSize, long dataStart, String name,
            JsonNode entry, NDManager manager) throws IOException {
        if (!entry.isObject()) {
            throw bad(file, "entry '" + name + "' is not an object");
        }
        JsonNode dtypeNode = entry.get("dtype");
        StorageType type = dtypeNode == null ? null : StorageType.fromSafetensors(dtypeNode.asText());
        if (type == null) {
            throw bad(file, "tensor '" + name + "' has unsupported or missing dtype "
                    + (dtypeNode == null ? "(none)" : dtypeNode.toString()));
        }
        long[] shape = longs(file, name, "shape", entry.get("shape"), -1);
        long[] offsets = longs(file, name, "data_offsets", entry.get("data_offsets"), 2);
        long begin = offsets[0];
        long end = offsets[1];
        long numel;
        try {
            numel = TensorDecoder.numel(shape);
        } catch (ArithmeticException e) {
            throw bad(file, "tensor '" + name + "' has an impossible shape");
        }
        if (end < begin || (end - begin) != numel * type.bytes) {
            throw bad(file, "tensor '" + name + "' has data_offsets [" + begin + ", " + end + "] but its shape and dtype need "
                    + CheckpointFormat.bytes(numel * type.bytes));
        }
        if (dataStart + end > fileSize) {
            throw new CheckpointException(file, "truncated: tensor '" + name + "' needs bytes up to "
                    + CheckpointFormat.bytes(dataStart + end) + " but the file is " + CheckpointFormat.bytes(fileSize));
        }
        if (end - begin > Integer.MAX_VALUE - 64) {
            throw new CheckpointException(file, "tensor '" + name + "' is over 2 GB, larger than supported");
        }
        ByteBuffer data = readFully(channel, dataStart + begin, (int) (end - begin));
        return TensorDecoder.decode(file, name, "data of '" + name + "'", data, type, 0, shape,
                TensorDecoder.contiguousStrides(shape), manager);
    }

    private static long[] longs(Path file, String name, String field, JsonNode node, int length)
            throws CheckpointException {
        if (node == null || !node.isArray() || (length >= 0 && node.size() != length)) {
            throw bad(file, "tensor '" + name + "' has a missing or malformed " + field);
        }
        long[] out = new long[node.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = node.get(i);
            if (!v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < 0) {
                throw bad(file, "tensor '" + name + "' has a non-integer or negative value in " + field);
            }
            out[i] = v.asLong();
        }
        return out;
    }

    private static ByteBuffer readFully(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buf.hasRemaining()) {
            if (channel.read(buf, position + buf.position()) < 0) {
                throw new java.io.EOFException("unexpected end of file");
            }
        }
        return buf.flip();
    }

    private static CheckpointException bad(Path file, String why) {
        return new CheckpointException(file, "bad safetensors header: " + why);
    }
}
