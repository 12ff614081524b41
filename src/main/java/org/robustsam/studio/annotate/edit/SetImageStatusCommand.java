package org.robustsam.studio.annotate.edit;

import org.robustsam.studio.annotate.project.ImageStatus;
import org.robustsam.studio.annotate.project.Project;

/** Marks an image todo, done or skipped. */
public final class SetImageStatusCommand implements EditCommand {
    private final String image;
    private final ImageStatus status;
    private ImageStatus before;

    public SetImageStatusCommand(String image, ImageStatus status) {
        this.image = image;
        this.status = status;
    }

    @Override
    public void apply(Project project) {
        before = project.setStatus(image, status);
    }

    @Override
    public void revert(Project project) {
        project.setStatus(image, before);
    }

    @Override
    public String description() {
        return "mark " + image + " " + status.fileValue();
    }
}
