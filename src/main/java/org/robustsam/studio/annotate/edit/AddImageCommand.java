package org.robustsam.studio.annotate.edit;

import org.robustsam.studio.annotate.project.Project;

/**
 * Registers an image (with its size and no objects) in the project, so an import that brings new
 * images can be undone as a whole: undo removes the image again once its objects are gone.
 */
public final class AddImageCommand implements EditCommand {
    private final String image;
    private final int width;
    private final int height;

    public AddImageCommand(String image, int width, int height) {
        this.image = image;
        this.width = width;
        this.height = height;
    }

    @Override
    public void apply(Project project) {
        project.addImage(image, width, height);
    }

    @Override
    public void revert(Project project) {
        project.removeImage(image);
    }

    @Override
    public String description() {
        return "add image " + image;
    }
}
