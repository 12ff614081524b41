package org.robustsam.studio.model.manager;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.nio.file.Path;
import org.robustsam.studio.model.registry.ModelEntry;

/**
 * A checkpoint registered under a name of its own, such as a fine-tuning job's result
 * ("street-fog (2025-01-05 14:03)"), listed in the model picker beside the registry's models. The
 * file stays where it is: forgetting the model never deletes it.
 *
 * @param name what the model picker shows; unique in a models folder
 * @param family SAM, RobustSAM or MobileSAM, read from the file's contents
 * @param size vit_b, vit_l, vit_h, tiny or tiny_vit_5m, read from the file's contents
 * @param file the checkpoint's absolute path
 * @param added when it was registered (ISO local date-time)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NamedModel(String name, String family, String size, String file, String added) {
    public Path path() {
        return Path.of(file);
    }

    /** As an entry of the model list: the name as its id, the absolute file, nothing to download. */
    public ModelEntry entry() {
        return new ModelEntry(name, family, size, file, null, null, 0);
    }
}
