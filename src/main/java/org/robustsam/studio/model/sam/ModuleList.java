package org.robustsam.studio.model.sam;

/** {@code nn.ModuleList} / {@code nn.Sequential}: children named by their index ("0", "1", ...). */
public final class ModuleList extends SamModule {
    public <M extends SamModule> M add(String name, M m) {
        return child(name, m);
    }

    public <M extends SamModule> M add(int index, M m) {
        return child(Integer.toString(index), m);
    }
}
