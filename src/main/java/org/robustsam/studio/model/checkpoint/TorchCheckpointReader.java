package org.robustsam.studio.model.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads PyTorch's zip checkpoints ({@code torch.save} since torch 1.6) without Python.
 *
 * <p>The pickle ({@code <top>/data.pkl}) is interpreted by {@link PickleMachine}, which only
 * builds tensor descriptions; then each storage ({@code <top>/data/<key>}) is read from the zip on
 * its own, so peak memory is the arrays plus one storage, never the whole file.
 */
public final class TorchCheckpointReader {
    /** A ViT-H data.pkl is well under 1 MB; a far larger one is hostile or not a state dict. */
    static final int MAX_PICKLE_BYTES = 256 * 1024 * 1024;

    private TorchCheckpointReader() {}

    /**
     * Reads every tensor of the checkpoint's state dict (see {@link TensorDictLocator} for how a
     * wrapped {"model": sd} is handled), in file order, attached to {@code manager}.
     */
    public static Map<String, NDArray> read(Path file, NDManager manager) throws CheckpointException {
        if (CheckpointFormat.detect(file) != CheckpointFormat.TORCH_ZIP) {
            throw new CheckpointException(file, "not a PyTorch zip checkpoint (it looks like a safetensors file)");
        }
        try (ZipFile zip = open(file)) {
            String top = topFolder(file, zip);
            ByteOrder order = byteOrder(file, zip, top);
            Map<String, StorageRef> storages = new HashMap<>();
            byte[] pickle = readEntry(file, zip, top + "/data.pkl", MAX_PICKLE_BYTES);
            Object root = new PickleMachine(file, pickle, new SafeGlobals(file),
                    pid -> storageFor(file, pid, storages)).run();
            Map<String, TensorRef> refs = TensorDictLocator.locate(file, root);
            return materialise(file, zip, top, order, refs, manager);
        } catch (CheckpointException e) {
            throw e;
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot read the zip: " + e.getMessage(), e);
        } catch (StackOverflowError e) {
            throw tooDeep(file);
        }
    }

    /**
     * Names and shapes of the state dict's tensors, from data.pkl alone: no storage is read, so
     * identifying a 2.5 GB checkpoint takes milliseconds.
     */
    public static Map<String, long[]> readShapes(Path file) throws CheckpointException {
        if (CheckpointFormat.detect(file) != CheckpointFormat.TORCH_ZIP) {
            throw new CheckpointException(file, "not a PyTorch zip checkpoint (it looks like a safetensors file)");
        }
        try (ZipFile zip = open(file)) {
            String top = topFolder(file, zip);
            Map<String, StorageRef> storages = new HashMap<>();
            byte[] pickle = readEntry(file, zip, top + "/data.pkl", MAX_PICKLE_BYTES);
            Object root = new PickleMachine(file, pickle, new SafeGlobals(file),
                    pid -> storageFor(file, pid, storages)).run();
            Map<String, long[]> shapes = new LinkedHashMap<>();
            TensorDictLocator.locate(file, root).forEach((name, ref) -> shapes.put(name, ref.shape().clone()));
            return shapes;
        } catch (CheckpointException e) {
            throw e;
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot read the zip: " + e.getMessage(), e);
        } catch (StackOverflowError e) {
            throw tooDeep(file);
        }
    }

    /**
     * The pickle VM works without recursion and refuses deep tuples and unhashable keys, so no
     * checkpoint should get here; this is the last line against a structure nested deep enough to
     * exhaust the stack somewhere (a message, a hash), turned into the same kind of error as the rest.
     */
    private static CheckpointException tooDeep(Path file) {
        return new CheckpointException(file, "corrupt pickle: values nested too deeply to be a checkpoint");
    }

    private static ZipFile open(Path file) throws CheckpointException {
        try {
            return new ZipFile(file.toFile());
        } catch (ZipException e) {
            long size = sizeOf(file);
            if (String.valueOf(e.getMessage()).contains("END header")) {
                throw new CheckpointException(file, "truncated: zip central directory missing (file is "
                        + CheckpointFormat.bytes(size) + ", expected a PyTorch zip checkpoint)", e);
            }
            throw new CheckpointException(file, "corrupt zip (" + e.getMessage() + "; file is "
                    + CheckpointFormat.bytes(size) + "), probably truncated or damaged; download it again", e);
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot open the file: " + e.getMessage(), e);
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    /** The folder holding data.pkl; torch names it after the saved file's stem, or "archive". */
    private static String topFolder(Path file, ZipFile zip) throws CheckpointException {
        List<String> names = new ArrayList<>();
        Enumeration<? extends ZipEntry> entries = zip.entries();
        while (entries.hasMoreElements()) {
            String name = entries.nextElement().getName();
            int slash = name.indexOf('/');
            if (slash > 0 && name.substring(slash + 1).equals("data.pkl")) {
                return name.substring(0, slash);
            }
            names.add(name);
        }
        boolean torchScript = names.stream().anyMatch(n -> n.endsWith("/constants.pkl") || n.contains("/code/"));
        throw new CheckpointException(file, torchScript
                ? "this is a TorchScript archive without data.pkl, not a state dict checkpoint"
                : "the zip has no <folder>/data.pkl, so it is not a PyTorch checkpoint (entries: "
                        + preview(names) + ")");
    }

    private static String preview(List<String> names) {
        if (names.isEmpty()) {
            return "none";
        }
        List<String> head = names.subList(0, Math.min(10, names.size()));
        return String.join(", ", head) + (names.size() > 10 ? ", ... " + names.size() + " in all" : "");
    }

    /** torch >= 2.1 records the byte order; older files are always little-endian. */
    private static ByteOrder byteOrder(Path file, ZipFile zip, String top) throws CheckpointException {
        if (zip.getEntry(top + "/byteorder") == null) {
            return ByteOrder.LITTLE_ENDIAN;
        }
        String order = new String(readEntry(file, zip, top + "/byteorder", 16), StandardCharsets.US_ASCII).trim();
        return order.equals("big") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }

    private static StorageRef storageFor(Path file, Object pid, Map<String, StorageRef> storages)
            throws CheckpointException {
        if (!(pid instanceof PickleTuple t) || t.size() != 5 || !"storage".equals(t.get(0))) {
            throw new CheckpointException(file, "corrupt pickle: unknown persistent id " + PickleMachine.describe(pid)
                    + " (expected ('storage', type, key, location, numel))");
        }
        if (!(t.get(1) instanceof SafeGlobals.StorageClass type) || !(t.get(2) instanceof String key)
                || !(t.get(4) instanceof Long numel)) {
            throw new CheckpointException(file, "corrupt pickle: malformed storage id");
        }
        if (!(t.get(3) instanceof String location)) {
            throw new CheckpointException(file, "corrupt pickle: storage location is " + PickleMachine.describe(t.get(3))
                    + ", not text such as 'cpu'");
        }
        StorageRef ref = storages.get(key + "/" + type.type());
        if (ref == null) {
            ref = new StorageRef(key, type.type(), location, numel);
            storages.put(key + "/" + type.type(), ref);
        }
        return ref;
    }

    private static Map<String, NDArray> materialise(Path file, ZipFile zip, String top, ByteOrder order,
            Map<String, TensorRef> refs, NDManager manager) throws CheckpointException {
        // Group tensors by storage so each storage entry is read exactly once.
        Map<String, List<String>> byStorage = new LinkedHashMap<>();
        for (Map.Entry<String, TensorRef> e : refs.entrySet()) {
            byStorage.computeIfAbsent(e.getValue().storage().key(), k -> new ArrayList<>()).add(e.getKey());
        }
        Map<String, NDArray> made = new HashMap<>();
        try {
            for (Map.Entry<String, List<String>> group : byStorage.entrySet()) {
                String entry = top + "/data/" + group.getKey();
                ByteBuffer storage = ByteBuffer.wrap(readEntry(file, zip, entry, Integer.MAX_VALUE - 64)).order(order);
                for (String name : group.getValue()) {
                    TensorRef t = refs.get(name);
                    long numel = t.storage().numel();
                    // Compared by elements: numel * bytes can overflow for a hostile numel and look small.
                    if (numel < 0 || numel > storage.limit() / t.storage().type().bytes) {
                        String declared = numel >= 0 && numel <= Long.MAX_VALUE / 8
                                ? " (" + CheckpointFormat.bytes(numel * t.storage().type().bytes) + ")" : "";
                        throw new CheckpointException(file, "storage " + entry + " is too short: it holds "
                                + CheckpointFormat.bytes(storage.limit()) + " but tensor '" + name + "' declares "
                                + numel + " " + t.storage().type().name().toLowerCase() + " elements"
                                + declared + "; the file is damaged");
                    }
                    made.put(name, TensorDecoder.decode(file, name, entry, storage, t.storage().type(), t.offset(),
                            t.shape(), t.stride(), manager));
                }
            }
        } catch (CheckpointException | RuntimeException e) {
            made.values().forEach(NDArray::close);
            throw e;
        }
        Map<String, NDArray> ordered = new LinkedHashMap<>();
        for (String name : refs.keySet()) {
            ordered.put(name, made.get(name));
        }
        return ordered;
    }

    private static byte[] readEntry(Path file, ZipFile zip, String name, int maxBytes) throws CheckpointException {
        ZipEntry entry = zip.getEntry(name);
        if (entry == null) {
            throw new CheckpointException(file, "entry " + name + " is missing from the zip");
        }
        long size = entry.getSize();
        if (size > maxBytes) {
            throw new CheckpointException(file, "entry " + name + " is " + CheckpointFormat.bytes(size)
                    + ", larger than supported (" + CheckpointFormat.bytes(maxBytes) + ")");
        }
        try (InputStream in = zip.getInputStream(entry)) {
            byte[] data = size >= 0 ? in.readNBytes((int) size) : in.readAllBytes();
            if (size >= 0 && data.length != size) {
                throw new CheckpointException(file, "truncated: entry " + name + " should have "
                        + CheckpointFormat.bytes(size) + " but only " + CheckpointFormat.bytes(data.length) + " could be read");
            }
            return data;
        } catch (CheckpointException e) {
            throw e;
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot read entry " + name + " (" + e.getMessage()
                    + "); the file is damaged or truncated", e);
        }
    }
}
