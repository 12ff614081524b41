package org.robustsam.studio.annotate.edit;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.robustsam.studio.annotate.project.Project;

/**
 * Undo and redo for one project, unbounded for the session (commands hold immutable values, so
 * a long history costs little). A new edit clears the redo list. Use from the editing thread.
 */
public final class UndoStack {
    private final Project project;
    private final Deque<EditCommand> undo = new ArrayDeque<>();
    private final Deque<EditCommand> redo = new ArrayDeque<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    public UndoStack(Project project) {
        this.project = Objects.requireNonNull(project);
    }

    /** Applies {@code command}; if it throws, nothing is recorded and the project is as before. */
    public void execute(EditCommand command) {
        command.apply(project);
        undo.push(command);
        redo.clear();
        fire();
    }

    /** Reverts the last edit; false when there is none. */
    public boolean undo() {
        if (undo.isEmpty()) {
            return false;
        }
        EditCommand c = undo.pop();
        c.revert(project);
        redo.push(c);
        fire();
        return true;
    }

    /** Re-applies the last undone edit; false when there is none. */
    public boolean redo() {
        if (redo.isEmpty()) {
            return false;
        }
        EditCommand c = redo.pop();
        c.apply(project);
        undo.push(c);
        fire();
        return true;
    }

    public boolean canUndo() {
        return !undo.isEmpty();
    }

    public boolean canRedo() {
        return !redo.isEmpty();
    }

    public Optional<String> undoDescription() {
        return Optional.ofNullable(undo.peek()).map(EditCommand::description);
    }

    public Optional<String> redoDescription() {
        return Optional.ofNullable(redo.peek()).map(EditCommand::description);
    }

    public int undoSize() {
        return undo.size();
    }

    /** Called after every execute, undo and redo (to enable menu items). */
    public void addListener(Runnable listener) {
        listeners.add(listener);
    }

    private void fire() {
        listeners.forEach(Runnable::run);
    }
}
