package org.robustsam.studio.model.registry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The model list from {@code models/registry.json}. The file ships inside the jar; a copy on disk
 * (e.g. one the user edited) is read instead when given.
 */
public final class ModelRegistry {
    public static final String RESOURCE = "/models/registry.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    @JsonIgnoreProperties(ignoreUnknown = true)
    private record RegistryFile(int schemaVersion, List<ModelEntry> models) {}

    private final List<ModelEntry> models;

    private ModelRegistry(List<ModelEntry> models) {
        this.models = List.copyOf(models);
    }

    public static ModelRegistry bundled() {
        try (InputStream in = ModelRegistry.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("model registry " + RESOURCE + " is missing from the application");
            }
            return parse(JSON.readValue(in, RegistryFile.class), RESOURCE);
        } catch (IOException e) {
            throw new IllegalStateException("model registry " + RESOURCE + " is unreadable: " + e.getMessage(), e);
        }
    }

    public static ModelRegistry read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": model registry file not found");
        }
        try {
            return parse(JSON.readValue(file.toFile(), RegistryFile.class), file.toString());
        } catch (IOException e) {
            throw new IOException(file + ": not a valid model registry (" + e.getMessage() + ")", e);
        }
    }

    private static ModelRegistry parse(RegistryFile f, String source) throws IOException {
        if (f == null || f.models() == null) {
            throw new IOException(source + ": no \"models\" list");
        }
        if (f.schemaVersion() != 1) {
            throw new IOException(source + ": schema version " + f.schemaVersion() + " is not supported (expected 1)");
        }
        for (ModelEntry m : f.models()) {
            if (m.id() == null || m.family() == null || m.file() == null) {
                throw new IOException(source + ": a model entry lacks id, family or file: " + m);
            }
        }
        return new ModelRegistry(f.models());
    }

    public List<ModelEntry> models() {
        return models;
    }

    public Optional<ModelEntry> find(String id) {
        return models.stream().filter(m -> m.id().equals(id)).findFirst();
    }
}
