package org.robustsam.studio.model.checkpoint;

/**
 * A tensor as the pickle describes it: a view (offset, sizes, strides, all in elements) into a
 * storage. Nothing is read until the reader materialises it, so a refused or broken pickle never
 * causes storage reads.
 */
record TensorRef(StorageRef storage, long offset, long[] shape, long[] stride) {}
