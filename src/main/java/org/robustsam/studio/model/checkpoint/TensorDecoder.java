package org.robustsam.studio.model.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Turns raw storage bytes plus a view description (offset, sizes, strides in elements, as torch
 * records them) into an NDArray of the in-memory type. Shared by both readers so that dtype
 * conversion is identical for .pth and .safetensors files.
 */
final class TensorDecoder {
    private TensorDecoder() {}

    /** Row-major strides for a shape: what a contiguous tensor (and every safetensors tensor) has. */
    static long[] contiguousStrides(long[] shape) {
        long[] stride = new long[shape.length];
        long s = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            stride[d] = s;
            s *= Math.max(shape[d], 1);
        }
        return stride;
    }

    static long numel(long[] shape) {
        long n = 1;
        for (long s : shape) {
            n = Math.multiplyExact(n, s);
        }
        return n;
    }

    /**
     * Decodes one tensor view.
     *
     * @param storage the whole storage, byte order already set, positions 0..limit
     * @param storageName how to name the storage in messages, e.g. "archive/data/3"
     */
    static NDArray decode(Path file, String name, String storageName, ByteBuffer storage, StorageType type,
            long offset, long[] shape, long[] stride, NDManager manager) throws CheckpointException {
        if (shape.length != stride.length) {
            throw new CheckpointException(file, "tensor '" + name + "' has size " + Arrays.toString(shape)
                    + " but stride " + Arrays.toString(stride) + " (ranks differ)");
        }
        long n;
        try {
            n = numel(shape);
        } catch (ArithmeticException e) {
            throw new CheckpointException(file, "tensor '" + name + "' has an impossible size " + Arrays.toString(shape));
        }
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] < 0 || stride[d] < 0) {
                throw new CheckpointException(file, "tensor '" + name + "' has a negative size or stride: size "
                        + Arrays.toString(shape) + ", stride " + Arrays.toString(stride));
            }
        }
        if (offset < 0) {
            throw new CheckpointException(file, "tensor '" + name + "' has a negative storage offset " + offset);
        }
        if (n > Integer.MAX_VALUE / 8) {
            throw new CheckpointException(file, "tensor '" + name + "' has " + n
                    + " elements, more than one array can hold here");
        }
        if (n > 0) {
            long last = offset;
            for (int d = 0; d < shape.length; d++) {
                last += (shape[d] - 1) * stride[d];
            }
            long needBytes = (last + 1) * type.bytes;
            if (needBytes > storage.limit()) {
                throw new CheckpointException(file, "storage " + storageName + " is too short for tensor '" + name
                        + "': it needs " + needBytes + " bytes (" + (last + 1) + " " + type.name().toLowerCase()
                        + " elements) but holds only " + storage.limit() + " bytes");
            }
        }
        ByteBuffer out = ByteBuffer.allocateDirect((int) (n * type.target.getNumOfBytes()))
                .order(ByteOrder.nativeOrder());
        boolean contiguous = Arrays.equals(stride, contiguousStrides(shape)) || n <= 1 || isContiguousIgnoringUnitDims(shape, stride);
        if (contiguous && type == StorageType.FLOAT32 && storage.order() == ByteOrder.nativeOrder()) {
            // Fast path for the common case: one bulk copy, no per-element work.
            ByteBuffer src = storage.duplicate();
            src.position((int) (offset * 4)).limit((int) ((offset + n) * 4));
            out.put(src);
        } else if (contiguous) {
            for (long i = 0; i < n; i++) {
                copyElement(storage, (int) ((offset + i) * type.bytes), type, out);
            }
        } else {
            copyStrided(storage, type, offset, shape, stride, n, out);
        }
        out.rewind();
        NDArray array = manager.create(out, new Shape(shape), type.target);
        array.setName(name);
        return array;
    }

    private static boolean isContiguousIgnoringUnitDims(long[] shape, long[] stride) {
        long expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] == 1) {
                continue; // the stride of a size-1 dimension is never used
            }
            if (stride[d] != expected) {
                return false;
            }
            expected *= shape[d];
        }
        return true;
    }

    private static void copyStrided(ByteBuffer storage, StorageType type, long offset, long[] shape, long[] stride,
            long n, ByteBuffer out) {
        int rank = shape.length;
        long[] index = new long[rank];
        long element = offset;
        for (long i = 0; i < n; i++) {
            copyElement(storage, (int) (element * type.bytes), type, out);
            // Odometer step over the view's indices, last dimension fastest (row-major output).
            for (int d = rank - 1; d >= 0; d--) {
                index[d]++;
                element += stride[d];
                if (index[d] < shape[d]) {
                    break;
                }
                element -= stride[d] * shape[d];
                index[d] = 0;
            }
        }
    }

    private static void copyElement(ByteBuffer src, int at, StorageType type, ByteBuffer out) {
        switch (type) {
            case FLOAT32 -> out.putFloat(src.getFloat(at));
            case FLOAT16 -> out.putFloat(halfToFloat(src.getShort(at)));
            case BFLOAT16 -> out.putFloat(Float.intBitsToFloat((src.getShort(at) & 0xffff) << 16));
            case FLOAT64 -> out.putFloat((float) src.getDouble(at));
            case INT64 -> out.putLong(src.getLong(at));
            case INT32 -> out.putInt(src.getInt(at));
            case INT16 -> out.putInt(src.getShort(at));
            case INT8, UINT8 -> out.put(src.get(at));
            case BOOL -> out.put(src.get(at) != 0 ? (byte) 1 : (byte) 0);
        }
    }

    /** IEEE 754 binary16 to binary32; exact for every input, including subnormals, Inf and NaN. */
    static float halfToFloat(short half) {
        int h = half & 0xffff;
        int sign = (h >>> 15) << 31;
        int exponent = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        if (exponent == 0) {
            // Zero or subnormal: mantissa * 2^-24 is exact in float.
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
    }
}
