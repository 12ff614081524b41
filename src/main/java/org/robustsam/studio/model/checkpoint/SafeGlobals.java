package org.robustsam.studio.model.checkpoint;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The only Python globals a checkpoint pickle may name. Each maps to a Java function that returns
 * plain data (a map, a {@link TensorRef}, bytes); anything else, e.g. {@code os.system} or a
 * model class from a whole-model {@code torch.save(model)}, is refused before it could matter.
 */
final class SafeGlobals {
    /** Marker for the torch.*Storage classes: only meaningful inside a persistent id. */
    record StorageClass(StorageType type) implements PickleCallable {
        @Override
        public String qualifiedName() {
            return "torch." + type.torchStorage;
        }

        @Override
        public Object call(List<Object> args) {
            throw new IllegalStateException("storage classes are never called");
        }
    }

    private final Path file;

    SafeGlobals(Path file) {
        this.file = file;
    }

    /** The callable for {@code module.name}, or a refusal naming the global. */
    PickleCallable resolve(String module, String name) throws CheckpointException {
        String qualified = module + "." + name;
        if (module.equals("torch")) {
            StorageType type = StorageType.fromTorchStorage(name);
            if (type != null) {
                return new StorageClass(type);
            }
        }
        switch (qualified) {
            case "collections.OrderedDict":
                return fn(qualified, this::orderedDict);
            case "torch._utils._rebuild_tensor_v2":
                return fn(qualified, this::rebuildTensor);
            case "torch._utils._rebuild_parameter":
            case "torch._utils._rebuild_parameter_with_state":
                // A Parameter is its data tensor plus flags we do not need for inference.
                return fn(qualified, args -> firstTensor(qualified, args));
            case "_codecs.encode":
                // Protocol 2 writes Python bytes values as _codecs.encode(str, "latin1"); pure data.
                return fn(qualified, this::encode);
            default:
                throw new CheckpointException(file, "refused to load: the pickle references the Python global '"
                        + qualified + "', which is not on the list of safe globals (tensors, storages, "
                        + "OrderedDict). Nothing was executed. If this is a whole pickled model, re-save it "
                        + "with torch.save(model.state_dict(), path).");
        }
    }

    private interface Body {
        Object apply(List<Object> args) throws CheckpointException;
    }

    private static PickleCallable fn(String qualified, Body body) {
        return new PickleCallable() {
            @Override
            public String qualifiedName() {
                return qualified;
            }

            @Override
            public Object call(List<Object> args) throws CheckpointException {
                return body.apply(args);
            }
        };
    }

    private Object orderedDict(List<Object> args) throws CheckpointException {
        Map<Object, Object> map = new LinkedHashMap<>();
        if (args.isEmpty()) {
            return map;
        }
        if (args.size() == 1 && args.get(0) instanceof List<?> pairs) {
            for (Object pair : pairs) {
                if (!(pair instanceof PickleTuple t) || t.size() != 2) {
                    throw bad("collections.OrderedDict", "expected (key, value) pairs");
                }
                map.put(t.get(0), t.get(1));
            }
            return map;
        }
        throw bad("collections.OrderedDict", "unexpected arguments");
    }

    private Object rebuildTensor(List<Object> args) throws CheckpointException {
        String fn = "torch._utils._rebuild_tensor_v2";
        // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
        if (args.size() < 4 || args.size() > 7) {
            throw bad(fn, "expected 6 or 7 arguments, got " + args.size());
        }
        if (!(args.get(0) instanceof StorageRef storage)) {
            throw bad(fn, "first argument is not a storage reference");
        }
        long offset = toLong(fn, args.get(1));
        long[] shape = toLongs(fn, args.get(2));
        long[] stride = toLongs(fn, args.get(3));
        return new TensorRef(storage, offset, shape, stride);
    }

    private Object firstTensor(String fn, List<Object> args) throws CheckpointException {
        if (args.isEmpty() || !(args.get(0) instanceof TensorRef tensor)) {
            throw bad(fn, "first argument is not a tensor");
        }
        return tensor;
    }

    private Object encode(List<Object> args) throws CheckpointException {
        if (args.isEmpty() || !(args.get(0) instanceof String text)) {
            throw bad("_codecs.encode", "expected a string");
        }
        String encoding = args.size() > 1 && args.get(1) instanceof String e ? e : "utf-8";
        return text.getBytes(encoding.equalsIgnoreCase("latin1") || encoding.equalsIgnoreCase("latin-1")
                ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
    }

    private long toLong(String fn, Object value) throws CheckpointException {
        if (value instanceof Long l) {
            return l;
        }
        if (value instanceof BigInteger b && b.bitLength() < 64) {
            return b.longValue();
        }
        throw bad(fn, "expected an integer, got " + PickleMachine.describe(value));
    }

    private long[] toLongs(String fn, Object value) throws CheckpointException {
        if (!(value instanceof PickleTuple tuple)) {
            throw bad(fn, "expected a tuple of integers, got " + PickleMachine.describe(value));
        }
        long[] out = new long[tuple.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = toLong(fn, tuple.get(i));
        }
        return out;
    }

    private CheckpointException bad(String fn, String why) {
        return new CheckpointException(file, "corrupt pickle: bad call to " + fn + ": " + why);
    }
}
