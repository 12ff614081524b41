package org.robustsam.studio.annotate.edit;

import org.robustsam.studio.annotate.project.Label;
import org.robustsam.studio.annotate.project.Project;

/** Renames a label (keeping its colour); every object with that label follows. */
public final class RenameLabelCommand implements EditCommand {
    private final String oldName;
    private final String newName;
    private Label before;

    public RenameLabelCommand(String oldName, String newName) {
        this.oldName = oldName;
        this.newName = newName;
    }

    @Override
    public void apply(Project project) {
        Label current = project.label(oldName).orElseThrow(() -> new IllegalArgumentException("label '" + oldName + "' is not in the project"));
        before = project.replaceLabel(oldName, current.withName(newName));
    }

    @Override
    public void revert(Project project) {
        project.replaceLabel(newName, before);
    }

    @Override
    public String description() {
        return "rename label " + oldName + " to " + newName;
    }
}
