package org.robustsam.studio.annotate.edit;

import org.robustsam.studio.annotate.project.AnnotatedObject;
import org.robustsam.studio.annotate.project.ImageRecord;
import org.robustsam.studio.annotate.project.Project;

/** Deletes an object; undo puts it back at the same place in the drawing order. */
public final class DeleteObjectCommand implements EditCommand {
    private final String image;
    private final long objectId;
    private AnnotatedObject removed;
    private int index;

    public DeleteObjectCommand(String image, long objectId) {
        this.image = image;
        this.objectId = objectId;
    }

    @Override
    public void apply(Project project) {
        ImageRecord img = project.image(image).orElseThrow(() -> new IllegalArgumentException("image " + image + " is not in the project"));
        index = img.indexOf(objectId);
        removed = project.removeObject(image, objectId);
    }

    @Override
    public void revert(Project project) {
        project.insertObject(image, index, removed);
    }

    @Override
    public String description() {
        return "delete " + (removed != null ? removed.label() : "object " + objectId);
    }
}
