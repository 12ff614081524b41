package org.robustsam.studio.inference;

import java.util.Arrays;

/**
 * A tensor copied to the Java heap: shape and row-major float data. Caches hold these rather than
 * NDArrays so that cached embeddings cost no native memory and can be written to disk as they are.
 */
public record FloatTensor(long[] shape, float[] data) {
    public FloatTensor {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " values, got " + data.length);
        }
    }

    public long bytes() {
        return 4L * data.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FloatTensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "FloatTensor" + Arrays.toString(shape);
    }
}
