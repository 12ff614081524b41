package org.robustsam.studio.model.robustsam;

import org.robustsam.studio.model.sam.SamModule;

/**
 * {@code nn.Sequential} as a container of names: children are called by their index ("0", "1",
 * ...); parameter-free entries (activations) keep their index unused, so {@code upsample_layer.3}
 * stays {@code upsample_layer.3}. The owner runs the children in order itself.
 */
final class Sequential extends SamModule {
    <M extends SamModule> M add(int index, M module) {
        return child(Integer.toString(index), module);
    }
}
