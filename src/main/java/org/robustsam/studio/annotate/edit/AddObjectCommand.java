package org.robustsam.studio.annotate.edit;

import org.robustsam.studio.annotate.project.AnnotatedObject;
import org.robustsam.studio.annotate.project.Project;

/** Adds an object on top of an image's objects (an accepted mask). Undo removes it, redo puts it back with the same id. */
public final class AddObjectCommand implements EditCommand {
    private final String image;
    private final AnnotatedObject object;

    public AddObjectCommand(String image, AnnotatedObject object) {
        this.image = image;
        this.object = object;
    }

    @Override
    public void apply(Project project) {
        int top = project.image(image).orElseThrow(() -> new IllegalArgumentException("image " + image + " is not in the project"))
                .objects().size();
        project.insertObject(image, top, object);
    }

    @Override
    public void revert(Project project) {
        project.removeObject(image, object.id());
    }

    @Override
    public String description() {
        return "add " + object.label();
    }
}
