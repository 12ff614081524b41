package org.robustsam.studio.model.checkpoint;

/**
 * A torch storage named by a pickle's persistent id: its bytes are the zip entry
 * {@code <top>/data/<key>}, holding {@code numel} elements of {@code type}.
 */
record StorageRef(String key, StorageType type, String location, long numel) {}
