package org.robustsam.studio.model.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An ordered name-to-tensor map loaded from a checkpoint.
 *
 * <p>A loaded StateDict owns a child of the caller's NDManager holding every array, so
 * {@link #close()} frees the native memory at once (a ViT-H checkpoint is 2.5 GB). Views made
 * with {@link #filterPrefix} share the arrays and own nothing: closing a view is a no-op, and a
 * view is unusable once its parent is closed.
 */
public final class StateDict implements AutoCloseable {
    private static final int MAX_NAMES = 20;

    private final Path source;
    private final Map<String, NDArray> tensors;
    private final NDManager owned; // null for views

    private StateDict(Path source, Map<String, NDArray> tensors, NDManager owned) {
        this.source = source;
        this.tensors = Collections.unmodifiableMap(tensors);
        this.owned = owned;
    }

    /**
     * Loads a PyTorch zip checkpoint or a safetensors file, chosen by the file's first bytes.
     *
     * @param parent the manager the StateDict's own manager is made under
     */
    public static StateDict load(Path file, NDManager parent) throws CheckpointException {
        CheckpointFormat format = CheckpointFormat.detect(file);
        NDManager manager = parent.newSubManager();
        try {
            Map<String, NDArray> tensors = format == CheckpointFormat.TORCH_ZIP
                    ? TorchCheckpointReader.read(file, manager)
                    : SafetensorsReader.read(file, manager);
            return new StateDict(file, new LinkedHashMap<>(tensors), manager);
        } catch (CheckpointException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** The file this was loaded from; messages name it. */
    /**
     * Names and shapes of a checkpoint's tensors without loading any weights (format chosen by
     * content, as in {@link #load}).
     */
    public static Map<String, long[]> readShapes(Path file) throws CheckpointException {
        return CheckpointFormat.detect(file) == CheckpointFormat.SAFETENSORS
                ? SafetensorsReader.readShapes(file)
                : TorchCheckpointReader.readShapes(file);
    }

    public Path source() {
        return source;
    }

    /** The tensor called {@code name}; throws naming it (and the file) when absent. */
    public NDArray get(String name) {
        NDArray array = tensors.get(name);
        if (array == null) {
            throw new IllegalArgumentException(fileName() + ": no tensor named '" + name + "' (" + tensors.size()
                    + " tensors present)");
        }
        return array;
    }

    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    /** Names in file order. */
    public Set<String> keys() {
        return tensors.keySet();
    }

    public int size() {
        return tensors.size();
    }

    public Shape shape(String name) {
        return get(name).getShape();
    }

    /** Every name with its shape, in file order (what {@link #readShapes} gives without loading). */
    public Map<String, long[]> shapes() {
        Map<String, long[]> out = new LinkedHashMap<>();
        tensors.forEach((name, a) -> out.put(name, a.getShape().getShape()));
        return out;
    }

    /** Total number of elements over all tensors. */
    public long numParameters() {
        long n = 0;
        for (NDArray a : tensors.values()) {
            n += a.getShape().size();
        }
        return n;
    }

    /**
     * The tensors whose names start with {@code prefix}, with the prefix removed, e.g.
     * {@code filterPrefix("image_encoder.")} to load a submodule. A non-owning view.
     */
    public StateDict filterPrefix(String prefix) {
        Map<String, NDArray> view = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                view.put(e.getKey().substring(prefix.length()), e.getValue());
            }
        }
        return new StateDict(source, view, null);
    }

    /**
     * A view where names starting with {@code prefix} lose it and all others are kept as they are,
     * e.g. {@code stripPrefixWherePresent("module.")} for checkpoints saved from a DataParallel
     * wrapper, as RobustSAM's own loader does.
     *
     * @throws IllegalArgumentException when stripping makes two names equal (e.g. "module.x" and "x")
     */
    public StateDict stripPrefixWherePresent(String prefix) {
        Map<String, NDArray> view = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
            String name = e.getKey().startsWith(prefix) ? e.getKey().substring(prefix.length()) : e.getKey();
            if (view.put(name, e.getValue()) != null) {
                throw new IllegalArgumentException(fileName() + ": removing the prefix '" + prefix
                        + "' gives the name '" + name + "' twice");
            }
        }
        return new StateDict(source, view, null);
    }

    /**
     * Checks the names and shapes against what a model expects.
     *
     * @param file the file to name in the message (usually {@link #source()})
     * @throws CheckpointException listing missing, unexpected and mis-shaped tensors
     */
    public void verify(Map<String, Shape> expected, Path file) throws CheckpointException {
        verify(expected, Map.of(), file);
    }

    /**
     * Checks the names and shapes against what a model expects, where the {@code optional} tensors
     * may be absent but must have their shape when present.
     *
     * @throws CheckpointException listing missing, unexpected and mis-shaped tensors
     */
    public void verify(Map<String, Shape> expected, Map<String, Shape> optional, Path file)
            throws CheckpointException {
        List<String> missing = new ArrayList<>();
        List<String> misShaped = new ArrayList<>();
        for (Map.Entry<String, Shape> e : expected.entrySet()) {
            NDArray a = tensors.get(e.getKey());
            if (a == null) {
                missing.add(e.getKey());
            } else if (!a.getShape().equals(e.getValue())) {
                misShaped.add(e.getKey() + " (expected " + e.getValue() + ", got " + a.getShape() + ")");
            }
        }
        for (Map.Entry<String, Shape> e : optional.entrySet()) {
            NDArray a = tensors.get(e.getKey());
            if (a != null && !a.getShape().equals(e.getValue())) {
                misShaped.add(e.getKey() + " (expected " + e.getValue() + ", got " + a.getShape() + ")");
            }
        }
        List<String> unexpected = new ArrayList<>();
        for (String name : tensors.keySet()) {
            if (!expected.containsKey(name) && !optional.containsKey(name)) {
                unexpected.add(name);
            }
        }
        if (missing.isEmpty() && misShaped.isEmpty() && unexpected.isEmpty()) {
            return;
        }
        StringBuilder sb = new StringBuilder("checkpoint does not match the model:");
        appendNames(sb, "missing", missing);
        appendNames(sb, "unexpected", unexpected);
        appendNames(sb, "wrong shape", misShaped);
        throw new CheckpointException(file, sb.toString());
    }

    /**
     * Throws naming the first floating-point tensors that contain NaN or Inf: a checkpoint damaged
     * that way loads fine but makes every mask empty, which is far harder to diagnose later.
     */
    public void checkFinite() throws CheckpointException {
        List<String> bad = new ArrayList<>();
        int count = 0;
        for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
            NDArray a = e.getValue();
            if (!a.getDataType().isFloating() || a.getShape().size() == 0) {
                continue;
            }
            // The scope gets the temporary results and frees them; the tensor itself goes back to its manager.
            try (NDManager scope = a.getManager().newSubManager()) {
                scope.tempAttachAll(a);
                boolean nonFinite = a.isNaN().logicalOr(a.isInfinite()).any().getBoolean();
                if (nonFinite) {
                    count++;
                    if (bad.size() < MAX_NAMES) {
                        bad.add(e.getKey());
                    }
                }
            }
        }
        if (count > 0) {
            throw new CheckpointException(source, "non-finite values (NaN or Inf) in " + count + " tensor"
                    + (count == 1 ? "" : "s") + ": " + String.join(", ", bad) + (count > bad.size() ? ", ..." : "")
                    + "; the checkpoint is damaged");
        }
    }

    private static void appendNames(StringBuilder sb, String what, List<String> names) {
        if (names.isEmpty()) {
            return;
        }
        sb.append("\n  ").append(names.size()).append(' ').append(what);
        List<String> modules = modulesOf(names);
        if (modules.size() < names.size()) {
            sb.append(" (in ").append(String.join(", ", modules.subList(0, Math.min(MAX_NAMES, modules.size()))))
                    .append(modules.size() > MAX_NAMES ? ", ..." : "").append(')');
        }
        sb.append(": ");
        sb.append(String.join(", ", names.subList(0, Math.min(MAX_NAMES, names.size()))));
        if (names.size() > MAX_NAMES) {
            sb.append(", ... and ").append(names.size() - MAX_NAMES).append(" more");
        }
    }

    /**
     * The modules a list of tensor names belongs to, in first-seen order: each name without its last
     * part, cut to three parts ({@code image_encoder.layers.1.blocks.0.attn.qkv.weight} ->
     * {@code image_encoder.layers.1}; a top-level tensor such as {@code image_encoder.pos_embed}
     * stands for itself), so a message can say which parts of a network are missing or extra.
     */
    public static List<String> modulesOf(List<String> names) {
        Set<String> out = new java.util.LinkedHashSet<>();
        for (String name : names) {
            String[] parts = name.split("\\.");
            if (parts.length <= 2) {
                out.add(name);
            } else {
                out.add(String.join(".", java.util.Arrays.copyOfRange(parts, 0, Math.min(3, parts.length - 1))));
            }
        }
        return new ArrayList<>(out);
    }

    private String fileName() {
        return source == null || source.getFileName() == null ? "state dict" : source.getFileName().toString();
    }

    /** Frees every array of a loaded StateDict; no-op for a view. */
    @Override
    public void close() {
        if (owned != null) {
            owned.close();
        }
    }
}
