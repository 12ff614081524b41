package org.robustsam.studio.model.checkpoint;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the name-to-tensor dict inside whatever a checkpoint's pickle holds.
 *
 * <p>The rule, in order:
 * <ol>
 *   <li>the top-level object is a dict whose values are all tensors: that is the state dict;
 *   <li>else the first of {@link #WRAPPER_KEYS} whose value is such a dict (training scripts save
 *       {"model": sd, "optimizer": ..., "epoch": n});
 *   <li>else the only top-level value that is such a dict;
 *   <li>else the file is refused, listing the top-level keys so the user can see what it holds.
 * </ol>
 * Keys must be strings. Empty dicts never count as state dicts.
 */
final class TensorDictLocator {
    static final List<String> WRAPPER_KEYS =
            List.of("state_dict", "model", "model_state_dict", "module", "net", "params_ema", "params", "weights");

    private TensorDictLocator() {}

    static Map<String, TensorRef> locate(Path file, Object root) throws CheckpointException {
        if (!(root instanceof Map<?, ?> top)) {
            throw new CheckpointException(file, "the checkpoint holds " + PickleMachine.describe(root)
                    + ", not a dict of tensors");
        }
        Map<String, TensorRef> direct = asTensorDict(top);
        if (direct != null) {
            return direct;
        }
        for (String key : WRAPPER_KEYS) {
            Map<String, TensorRef> inner = top.get(key) instanceof Map<?, ?> m ? asTensorDict(m) : null;
            if (inner != null) {
                return inner;
            }
        }
        List<Map<String, TensorRef>> candidates = new ArrayList<>();
        for (Object value : top.values()) {
            Map<String, TensorRef> inner = value instanceof Map<?, ?> m ? asTensorDict(m) : null;
            if (inner != null) {
                candidates.add(inner);
            }
        }
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        List<String> keys = new ArrayList<>();
        for (Object k : top.keySet()) {
            if (keys.size() == 20) {
                keys.add("...");
                break;
            }
            keys.add(String.valueOf(k));
        }
        throw new CheckpointException(file, "no state dict found: the top-level dict has keys " + keys
                + (candidates.isEmpty() ? " and none of them is a dict of tensors"
                        : " and " + candidates.size() + " of them are dicts of tensors (ambiguous)"));
    }

    /** The map as name-to-tensor, or null when it is empty or any key or value is of another kind. */
    private static Map<String, TensorRef> asTensorDict(Map<?, ?> map) {
        if (map.isEmpty()) {
            return null;
        }
        Map<String, TensorRef> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String name) || !(e.getValue() instanceof TensorRef t)) {
                return null;
            }
            out.put(name, t);
        }
        return out;
    }
}
