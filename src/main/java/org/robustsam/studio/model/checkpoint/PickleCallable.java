package org.robustsam.studio.model.checkpoint;

import java.util.List;

/**
 * A Python global that the pickle VM may call. Only the fixed set in {@link SafeGlobals} exists:
 * each is a small Java function that builds a description, never anything that runs code.
 */
interface PickleCallable {
    /** "module.name" as written in the pickle, for messages. */
    String qualifiedName();

    Object call(List<Object> args) throws CheckpointException;
}
