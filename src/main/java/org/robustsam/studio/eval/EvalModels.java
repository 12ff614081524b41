package org.robustsam.studio.eval;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.robustsam.studio.inference.Segmenter;
import org.robustsam.studio.inference.Segmenters;
import org.robustsam.studio.model.manager.ModelState;
import org.robustsam.studio.model.manager.ModelStore;
import org.robustsam.studio.model.registry.ModelEntry;
import org.robustsam.studio.model.registry.ModelRegistry;

/**
 * The models of a run, opened from checkpoint paths or registry ids. A model that cannot be opened
 * is reported ({@link EvalIssue.Kind#MODEL_FAILED}) and left out; the others still run.
 */
public final class EvalModels implements AutoCloseable {
    private final List<EvalModel> models;
    private final List<EvalIssue> issues;

    private EvalModels(List<EvalModel> models, List<EvalIssue> issues) {
        this.models = List.copyOf(models);
        this.issues = List.copyOf(issues);
    }

    /** Models opened elsewhere (tests, the GUI); they are closed with this object. */
    public static EvalModels of(List<EvalModel> models) {
        return new EvalModels(models, List.of());
    }

    /**
     * Opens each source in turn: an existing file is a checkpoint; otherwise a registry id
     * ({@code sam_vit_b}) whose file must be in the models folder.
     *
     * @param onIssue told of each model that fails, as it fails (for a log)
     */
    public static EvalModels open(List<String> sources, ModelRegistry registry, ModelStore store, Consumer<EvalIssue> onIssue) {
        List<EvalModel> opened = new ArrayList<>();
        List<EvalIssue> issues = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String source : sources) {
            String name = uniqueName(displayName(source), names);
            try {
                Path checkpoint = resolve(source, registry, store);
                Segmenter s = Segmenters.open(checkpoint);
                opened.add(new EvalModel(name, s));
            } catch (Exception | OutOfMemoryError e) {
                String why = e instanceof OutOfMemoryError ? "not enough memory to load it" : e.getMessage();
                EvalIssue issue = new EvalIssue(EvalIssue.Kind.MODEL_FAILED, name, "cannot load " + source + ": " + why
                        + "; its columns are left out");
                issues.add(issue);
                onIssue.accept(issue);
            }
        }
        return new EvalModels(opened, issues);
    }

    /** The checkpoint file of a source: the path itself, or the registry model's file. */
    public static Path resolve(String source, ModelRegistry registry, ModelStore store) throws EvalException {
        Optional<Path> asFile = asFile(source);
        if (asFile.isPresent()) {
            return asFile.get();
        }
        Optional<ModelEntry> entry = registry.find(source.trim());
        if (entry.isEmpty()) {
            throw new EvalException("no such checkpoint file, and not a registry id (known ids: "
                    + String.join(", ", registry.models().stream().map(ModelEntry::id).toList()) + ")");
        }
        ModelState state = store.stateOf(entry.get());
        if (state != ModelState.READY) {
            throw new EvalException(entry.get().id() + " is " + state.name().toLowerCase().replace('_', ' ')
                    + " in " + store.dir() + " (download it with `studio models download " + entry.get().id() + "`)");
        }
        return store.fileOf(entry.get());
    }

    private static Optional<Path> asFile(String source) {
        try {
            Path p = Path.of(source.trim());
            return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }

    /** A checkpoint path's file stem, or a registry id as given. */
    static String displayName(String source) {
        String s = source.trim();
        int slash = Math.max(s.lastIndexOf('/'), s.lastIndexOf('\\'));
        if (slash >= 0 || s.endsWith(".pth") || s.endsWith(".pt") || s.endsWith(".safetensors")) {
            String file = s.substring(slash + 1);
            int dot = file.lastIndexOf('.');
            return dot > 0 ? file.substring(0, dot) : file;
        }
        return s;
    }

    static String uniqueName(String base, Set<String> taken) {
        String name = base.isEmpty() ? "model" : base;
        for (int i = 2; !taken.add(name); i++) {
            name = base + " (" + i + ")";
        }
        return name;
    }

    public List<EvalModel> models() {
        return models;
    }

    public List<EvalIssue> issues() {
        return issues;
    }

    @Override
    public void close() {
        for (EvalModel m : models) {
            m.segmenter().close();
        }
    }
}
