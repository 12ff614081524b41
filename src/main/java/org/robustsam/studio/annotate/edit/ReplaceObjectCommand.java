package org.robustsam.studio.annotate.edit;

import org.robustsam.studio.annotate.project.AnnotatedObject;
import org.robustsam.studio.annotate.project.Project;

/** Shared shape of the edits that change one object in place: remember the old value, put it back on undo. */
abstract class ReplaceObjectCommand implements EditCommand {
    private final String image;
    private final long objectId;
    private AnnotatedObject before;

    ReplaceObjectCommand(String image, long objectId) {
        this.image = image;
        this.objectId = objectId;
    }

    /** The new value of the object, computed from its current value. */
    abstract AnnotatedObject change(AnnotatedObject current);

    @Override
    public final void apply(Project project) {
        AnnotatedObject current = project.object(image, objectId)
                .orElseThrow(() -> new IllegalArgumentException("object " + objectId + " is not on image " + image));
        project.replaceObject(image, change(current));
        before = current;
    }

    @Override
    public final void revert(Project project) {
        project.replaceObject(image, before);
    }
}
