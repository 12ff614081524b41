package org.robustsam.studio.model.checkpoint;

import ai.djl.ndarray.types.DataType;

/**
 * Element types found in checkpoints, with what each becomes in memory. Floating types all become
 * FLOAT32 because the models run in float32; integer and boolean types keep an integer type so that
 * index buffers (e.g. relative position indices) stay exact.
 */
enum StorageType {
    FLOAT32(4, DataType.FLOAT32, "FloatStorage", "F32"),
    FLOAT16(2, DataType.FLOAT32, "HalfStorage", "F16"),
    BFLOAT16(2, DataType.FLOAT32, "BFloat16Storage", "BF16"),
    FLOAT64(8, DataType.FLOAT32, "DoubleStorage", "F64"),
    INT64(8, DataType.INT64, "LongStorage", "I64"),
    INT32(4, DataType.INT32, "IntStorage", "I32"),
    // DJL's PyTorch engine handles INT16 poorly in arithmetic; widening is exact.
    INT16(2, DataType.INT32, "ShortStorage", "I16"),
    INT8(1, DataType.INT8, "CharStorage", "I8"),
    UINT8(1, DataType.UINT8, "ByteStorage", "U8"),
    BOOL(1, DataType.BOOLEAN, "BoolStorage", "BOOL");

    final int bytes;
    final DataType target;
    final String torchStorage;
    final String safetensorsName;

    StorageType(int bytes, DataType target, String torchStorage, String safetensorsName) {
        this.bytes = bytes;
        this.target = target;
        this.torchStorage = torchStorage;
        this.safetensorsName = safetensorsName;
    }

    /** The type for a torch storage class name such as "HalfStorage", or null if unknown. */
    static StorageType fromTorchStorage(String name) {
        for (StorageType t : values()) {
            if (t.torchStorage.equals(name)) {
                return t;
            }
        }
        return null;
    }

    /** The type for a safetensors dtype string such as "BF16", or null if unknown. */
    static StorageType fromSafetensors(String name) {
        for (StorageType t : values()) {
            if (t.safetensorsName.equals(name)) {
                return t;
            }
        }
        return null;
    }
}
