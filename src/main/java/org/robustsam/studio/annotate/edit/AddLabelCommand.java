package org.robustsam.studio.annotate.edit;

import org.robustsam.studio.annotate.project.Label;
import org.robustsam.studio.annotate.project.Project;

/** Adds a label at the end of the label list. */
public final class AddLabelCommand implements EditCommand {
    private final Label label;

    public AddLabelCommand(Label label) {
        this.label = label;
    }

    @Override
    public void apply(Project project) {
        project.insertLabel(project.labels().size(), label);
    }

    @Override
    public void revert(Project project) {
        project.removeLabel(label.name());
    }

    @Override
    public String description() {
        return "add label " + label.name();
    }
}
