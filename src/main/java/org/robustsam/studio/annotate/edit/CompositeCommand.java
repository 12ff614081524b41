package org.robustsam.studio.annotate.edit;

import java.util.List;
import org.robustsam.studio.annotate.project.Project;

/**
 * Several edits undone as one, e.g. "accept mask" that adds a new label and the object using it.
 * If a step fails, the steps already applied are reverted, so the project is left as before.
 */
public final class CompositeCommand implements EditCommand {
    private final String description;
    private final List<EditCommand> steps;

    public CompositeCommand(String description, List<EditCommand> steps) {
        this.description = description;
        this.steps = List.copyOf(steps);
    }

    @Override
    public void apply(Project project) {
        int done = 0;
        try {
            for (EditCommand c : steps) {
                c.apply(project);
                done++;
            }
        } catch (RuntimeException e) {
            for (int i = done - 1; i >= 0; i--) {
                steps.get(i).revert(project);
            }
            throw e;
        }
    }

    @Override
    public void revert(Project project) {
        for (int i = steps.size() - 1; i >= 0; i--) {
            steps.get(i).revert(project);
        }
    }

    @Override
    public String description() {
        return description;
    }
}
