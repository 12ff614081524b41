package org.robustsam.studio.model.manager;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.robustsam.studio.model.checkpoint.CheckpointException;
import org.robustsam.studio.model.registry.ModelEntry;
import org.robustsam.studio.model.registry.ModelIdentifier;
import org.robustsam.studio.model.registry.ModelIdentity;
import org.robustsam.studio.settings.AppSettings;

/**
 * The folder that holds model files: per-user by default
 * ({@code $XDG_DATA_HOME/robustsam-studio/models}), the folder chosen in the Model Manager (saved in
 * the app settings), or set with {@code -Dstudio.models.dir}, which wins over both. Besides the
 * registry's files it keeps two lists of checkpoints that live elsewhere: files added in a
 * registry model's place ({@code local-models.json}) and files registered under a name of their own,
 * such as fine-tuning results ({@code named-models.json}, see {@link NamedModel}).
 */
public final class ModelStore {
    /** Below this share of a model's approximate size (no checksum published) a file counts as cut short. */
    static final double INCOMPLETE_FRACTION = 0.9;

    /** Checkpoints the user added from elsewhere on disk: registry id -> absolute path. */
    static final String LOCAL_FILE = "local-models.json";
    /** Checkpoints registered under a name of their own (fine-tuning results), in registration order. */
    static final String NAMED_FILE = "named-models.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;

    public ModelStore(Path dir) {
        this.dir = dir;
    }

    public static Path defaultDir() {
        String override = System.getProperty("studio.models.dir");
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        String chosen = AppSettings.load(AppSettings.defaultFile()).modelsDir;
        if (chosen != null && !chosen.isBlank()) {
            return Path.of(chosen);
        }
        return perUserDir();
    }

    /** {@code $XDG_DATA_HOME/robustsam-studio/models}, i.e. {@code ~/.local/share/robustsam-studio/models}. */
    public static Path perUserDir() {
        String xdg = System.getenv("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "share");
        return base.resolve("robustsam-studio").resolve("models");
    }

    public Path dir() {
        return dir;
    }

    /** The file for this model: one the user added, else the official name in the models folder. */
    public Path fileOf(ModelEntry entry) {
        String local = localModels().get(entry.id());
        return local != null ? Path.of(local) : dir.resolve(entry.file());
    }

    /**
     * Registers a checkpoint that lives elsewhere (no copy: official files are gigabytes). Its family
     * and size come from its keys and shapes, so the file name does not matter.
     *
     * @return what the file was identified as
     */
    public ModelIdentity addLocal(Path checkpoint) throws CheckpointException, IOException {
        Path abs = checkpoint.toAbsolutePath().normalize();
        ModelIdentity identity = ModelIdentifier.identify(abs);
        Map<String, String> local = localModels();
        local.put(identity.registryId(), abs.toString());
        writeLocalModels(local);
        return identity;
    }

    /** Whether this model's file is one the user added from elsewhere (not in the models folder). */
    public boolean isLocal(ModelEntry entry) {
        return localModels().containsKey(entry.id()) || isNamed(entry);
    }

    /**
     * Registers a checkpoint under a name of its own (no copy), so the model picker lists it beside
     * the registry's models. Registering the same file again replaces its entry (a job run again
     * writes the same file); a name another file already has gets " (2)", " (3)", ….
     *
     * @return the entry as stored (family and size read from the file's contents)
     */
    public NamedModel addNamed(String name, Path checkpoint) throws CheckpointException, IOException {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a model needs a name");
        }
        Path abs = checkpoint.toAbsolutePath().normalize();
        ModelIdentity identity = ModelIdentifier.identify(abs);
        List<NamedModel> models = new ArrayList<>(namedModels());
        models.removeIf(m -> m.file().equals(abs.toString()));
        String unique = name.strip();
        for (int i = 2; taken(models, unique); i++) {
            unique = name.strip() + " (" + i + ")";
        }
        NamedModel added = new NamedModel(unique, identity.family(), identity.size(), abs.toString(),
                LocalDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString());
        models.add(added);
        writeAtomically(NAMED_FILE, models);
        return added;
    }

    private static boolean taken(List<NamedModel> models, String name) {
        return models.stream().anyMatch(m -> m.name().equals(name));
    }

    /** Models registered under their own names, oldest first (empty when the list is missing or damaged). */
    public List<NamedModel> namedModels() {
        Path f = dir.resolve(NAMED_FILE);
        if (!Files.isRegularFile(f)) {
            return List.of();
        }
        try {
            return List.copyOf(JSON.readValue(f.toFile(), new TypeReference<List<NamedModel>>() { }));
        } catch (IOException e) {
            return List.of(); // a damaged list only forgets names; the files are untouched
        }
    }

    public Optional<NamedModel> named(String name) {
        return namedModels().stream().filter(m -> m.name().equals(name)).findFirst();
    }

    /** Whether this entry is a named model ({@link NamedModel#entry()}). */
    public boolean isNamed(ModelEntry entry) {
        return entry.url() == null && namedModels().stream().anyMatch(m -> m.name().equals(entry.id())
                && m.file().equals(entry.file()));
    }

    /** Drops a named model from the list; its file stays. Returns whether it was listed. */
    public boolean forgetNamed(String name) throws IOException {
        List<NamedModel> models = new ArrayList<>(namedModels());
        if (!models.removeIf(m -> m.name().equals(name))) {
            return false;
        }
        writeAtomically(NAMED_FILE, models);
        return true;
    }

    /**
     * Frees the model: deletes its file and any partial download from the models folder. A file the
     * user added from elsewhere is only forgotten, never deleted: it is theirs.
     *
     * @return bytes freed on disk
     */
    public long remove(ModelEntry entry) throws IOException {
        if (isNamed(entry)) {
            forgetNamed(entry.id()); // its file is the user's (a job's result): never deleted here
            return 0;
        }
        Map<String, String> local = localModels();
        if (local.remove(entry.id()) != null) {
            writeLocalModels(local);
        }
        Path file = dir.resolve(entry.file());
        long freed = 0;
        for (Path p : new Path[] {file, ModelDownloader.partialFile(file)}) {
            if (Files.isRegularFile(p)) {
                freed += Files.size(p);
                Files.delete(p);
            }
        }
        return freed;
    }

    private void writeLocalModels(Map<String, String> local) throws IOException {
        writeAtomically(LOCAL_FILE, local);
    }

    private void writeAtomically(String name, Object value) throws IOException {
        Files.createDirectories(dir);
        Path tmp = dir.resolve(name + ".tmp");
        JSON.writeValue(tmp.toFile(), value);
        try {
            Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private Map<String, String> localModels() {
        Path f = dir.resolve(LOCAL_FILE);
        if (!Files.isRegularFile(f)) {
            return new TreeMap<>();
        }
        try {
            return new TreeMap<>(JSON.readValue(f.toFile(), new TypeReference<Map<String, String>>() { }));
        } catch (IOException e) {
            return new TreeMap<>(); // a damaged list only forgets added files; official ones still work
        }
    }

    /**
     * State from what is on disk. A file whose size differs from a registry size known exactly
     * (a SHA-256 is given) is CORRUPT; without a checksum the size is only approximate, so only a file
     * far smaller than it ({@link #INCOMPLETE_FRACTION}) is judged CORRUPT: a copy cut short.
     */
    public ModelState stateOf(ModelEntry entry) {
        Path file = fileOf(entry);
        if (Files.isRegularFile(file)) {
            if (entry.approxBytes() > 0) {
                try {
                    long size = Files.size(file);
                    boolean wrong = entry.sha256() != null ? size != entry.approxBytes()
                            : size < entry.approxBytes() * INCOMPLETE_FRACTION;
                    if (wrong) {
                        return ModelState.CORRUPT;
                    }
                } catch (IOException e) {
                    return ModelState.CORRUPT;
                }
            }
            return ModelState.READY;
        }
        return Files.isRegularFile(ModelDownloader.partialFile(file)) ? ModelState.PARTIAL : ModelState.NOT_DOWNLOADED;
    }

    /** Bytes on disk for this model, counting a partial download. */
    public long diskUse(ModelEntry entry) {
        Path file = fileOf(entry);
        long total = 0;
        for (Path p : new Path[] {file, ModelDownloader.partialFile(file)}) {
            try {
                if (Files.isRegularFile(p)) {
                    total += Files.size(p);
                }
            } catch (IOException ignored) {
                // unreadable: counts as nothing
            }
        }
        return total;
    }
}
