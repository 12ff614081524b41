package org.robustsam.studio.annotate.edit;

import org.robustsam.studio.annotate.project.Project;

/**
 * One undoable edit. {@link #apply} may be called again after {@link #revert} (redo), so a command
 * records what it replaced when it applies, not when it is built.
 */
public interface EditCommand {
    void apply(Project project);

    void revert(Project project);

    /** Shown in the Edit menu: "Undo " + description. */
    String description();
}
