package org.robustsam.studio.model.sam;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A network part whose parameters are named exactly like the PyTorch module's {@code state_dict}
 * entries: a module declares its own parameters and named children, so the full checkpoint key of
 * a tensor is the path of names ({@code mask_decoder.output_hypernetworks_mlps.0.layers.1.weight}),
 * and loading is a walk over names.
 *
 * <p>Parameters are bound once by {@link #load}; forwards never allocate in the model's manager.
 */
public abstract class SamModule {
    private final Map<String, Parameter> parameters = new LinkedHashMap<>();
    private final Map<String, SamModule> children = new LinkedHashMap<>();
    private boolean training;

    /**
     * One named tensor of a module (a parameter or a buffer of the state_dict): expected shape and
     * type from the config, value once loaded. An optional one may be absent from a checkpoint.
     */
    public static final class Parameter {
        private final String name;
        private final Shape shape;
        private final DataType dataType;
        private final boolean optional;
        private NDArray array;
        private String key;

        Parameter(String name, Shape shape, DataType dataType, boolean optional) {
            this.name = name;
            this.shape = shape;
            this.dataType = dataType;
            this.optional = optional;
        }

        public String name() {
            return name;
        }

        public Shape shape() {
            return shape;
        }

        public DataType dataType() {
            return dataType;
        }

        /** Whether a checkpoint may lack this tensor (e.g. a buffer the reference does not save). */
        public boolean isOptional() {
            return optional;
        }

        /** The full checkpoint key this parameter was loaded from, or its local name before loading. */
        public String key() {
            return key == null ? name : key;
        }

        /** The loaded value. */
        public NDArray get() {
            if (array == null) {
                throw new IllegalStateException("parameter '" + key() + "' is not loaded");
            }
            return array;
        }

        public boolean isLoaded() {
            return array != null;
        }

        /**
         * Binds a new value of the same shape and type (a copy taken for training, a value read back
         * from a checkpoint). Tensors derived from the old value stay stale until the owner's
         * {@link #rederive} runs.
         */
        public void replace(NDArray value) {
            if (!value.getShape().equals(shape)) {
                throw new IllegalArgumentException("weight " + key() + " has shape " + shape + ", got " + value.getShape());
            }
            if (value.getDataType() != DataType.FLOAT32) {
                throw new IllegalArgumentException("weight " + key() + " is float32, got " + value.getDataType());
            }
            array = value;
        }
    }

    /** A float32 tensor every checkpoint must hold. */
    protected final Parameter parameter(String name, long... shape) {
        return declare(new Parameter(name, new Shape(shape), DataType.FLOAT32, false));
    }

    /** A state_dict buffer of the given type every checkpoint must hold (e.g. BatchNorm's int64 counter). */
    protected final Parameter buffer(String name, DataType dataType, long... shape) {
        return declare(new Parameter(name, new Shape(shape), dataType, false));
    }

    /**
     * A buffer that checkpoints may or may not hold (a non-persistent buffer of the reference that
     * some exports save anyway): consumed and checked when present, derived by the module otherwise.
     */
    protected final Parameter optionalBuffer(String name, DataType dataType, long... shape) {
        return declare(new Parameter(name, new Shape(shape), dataType, true));
    }

    private Parameter declare(Parameter p) {
        String name = p.name;
        if (parameters.putIfAbsent(name, p) != null || children.containsKey(name)) {
            throw new IllegalStateException("duplicate name " + name);
        }
        return p;
    }

    protected final <M extends SamModule> M child(String name, M module) {
        if (children.putIfAbsent(name, module) != null || parameters.containsKey(name)) {
            throw new IllegalStateException("duplicate name " + name);
        }
        return module;
    }

    /**
     * Full key to expected shape of every required tensor, in declaration order (the state_dict order
     * of the reference).
     */
    public final Map<String, Shape> expectedShapes() {
        Map<String, Shape> out = new LinkedHashMap<>();
        collect("", false, out);
        return Collections.unmodifiableMap(out);
    }

    /** Full key to shape of the optional tensors (see {@link #optionalBuffer}); usually empty. */
    public final Map<String, Shape> optionalShapes() {
        Map<String, Shape> out = new LinkedHashMap<>();
        collect("", true, out);
        return Collections.unmodifiableMap(out);
    }

    private void collect(String prefix, boolean optional, Map<String, Shape> out) {
        for (Parameter p : parameters.values()) {
            if (p.optional == optional) {
                out.put(prefix + p.name, p.shape);
            }
        }
        for (Map.Entry<String, SamModule> c : children.entrySet()) {
            c.getValue().collect(prefix + c.getKey() + ".", optional, out);
        }
    }

    /** Every parameter of this module and its children, in declaration order. */
    public final List<Parameter> parameters() {
        List<Parameter> out = new ArrayList<>();
        walk(out);
        return out;
    }

    private void walk(List<Parameter> out) {
        out.addAll(parameters.values());
        for (SamModule c : children.values()) {
            c.walk(out);
        }
    }

    /**
     * Binds every parameter to {@code source.apply(prefix + name)} (null when the checkpoint lacks
     * it) and lets each module derive its cached tensors into {@code manager}. The source must
     * already have been verified for keys and shapes; this re-checks each shape and type so a
     * bypassed check still fails early.
     */
    public final void load(String prefix, Function<String, NDArray> source, NDManager manager) {
        for (Parameter p : parameters.values()) {
            String key = prefix + p.name;
            NDArray a = source.apply(key);
            if (a == null) {
                if (p.optional) {
                    continue;
                }
                throw new IllegalArgumentException("missing weight " + key);
            }
            if (!a.getShape().equals(p.shape)) {
                throw new IllegalArgumentException(
                        "weight " + key + " has shape " + a.getShape() + ", expected " + p.shape);
            }
            if (a.getDataType() != p.dataType) {
                throw new IllegalArgumentException(
                        "weight " + key + " is " + a.getDataType() + ", expected " + p.dataType);
            }
            p.array = a;
            p.key = key;
        }
        for (Map.Entry<String, SamModule> c : children.entrySet()) {
            c.getValue().load(prefix + c.getKey() + ".", source, manager);
        }
        onLoaded(manager);
    }

    /**
     * Called after this module's parameters (and its children's) are bound: precompute tensors that
     * depend only on weights (reshaped views, relative-position tables), attached to {@code manager}.
     */
    protected void onLoaded(NDManager manager) {}

    /**
     * Derives every cached tensor of this module and its children again from the current parameter
     * values, into {@code manager} (children first, as {@link #load}). Needed after parameters change
     * in place or are {@linkplain Parameter#replace replaced}; run with autograd on (inside a gradient
     * collector), the derived tensors join the graph, so gradients reach the parameters through them.
     * The previous derived tensors are no longer used; their manager may be closed.
     */
    public final void rederive(NDManager manager) {
        for (SamModule c : children.values()) {
            c.rederive(manager);
        }
        onLoaded(manager);
    }

    /**
     * Training mode (PyTorch's {@code module.train()}) for this module and its children; only layers
     * that behave differently when training (BatchNorm: batch statistics, running-statistics
     * updates) look at it. Off by default, as after {@code model.eval()}.
     */
    public final void setTraining(boolean on) {
        training = on;
        for (SamModule c : children.values()) {
            c.setTraining(on);
        }
    }

    /** Whether {@link #setTraining} switched this module to training mode. */
    public final boolean isTraining() {
        return training;
    }
}
