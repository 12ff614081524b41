package org.robustsam.studio.eval;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.robustsam.studio.model.manager.ModelState;
import org.robustsam.studio.model.manager.ModelStore;
import org.robustsam.studio.model.registry.ModelEntry;
import org.robustsam.studio.model.registry.ModelRegistry;

/**
 * The two checkpoints a comparison starts with: SAM and RobustSAM of the same size when both are
 * on disk (smallest size first), else any SAM and any RobustSAM there are; null where none is.
 */
public record ModelPair(Path left, Path right) {
    private static final List<String> SIZES = List.of("vit_b", "vit_l", "vit_h");

    public static ModelPair defaults(ModelRegistry registry, ModelStore store) {
        for (String size : SIZES) {
            Optional<Path> sam = ready(registry, store, "sam_" + size);
            Optional<Path> robust = ready(registry, store, "robustsam_" + size);
            if (sam.isPresent() && robust.isPresent()) {
                return new ModelPair(sam.get(), robust.get());
            }
        }
        Path sam = null;
        Path robust = null;
        for (String size : SIZES) {
            if (sam == null) {
                sam = ready(registry, store, "sam_" + size).orElse(null);
            }
            if (robust == null) {
                robust = ready(registry, store, "robustsam_" + size).orElse(null);
            }
        }
        return new ModelPair(sam, robust);
    }

    private static Optional<Path> ready(ModelRegistry registry, ModelStore store, String id) {
        Optional<ModelEntry> e = registry.find(id);
        return e.isPresent() && store.stateOf(e.get()) == ModelState.READY ? Optional.of(store.fileOf(e.get())) : Optional.empty();
    }
}
