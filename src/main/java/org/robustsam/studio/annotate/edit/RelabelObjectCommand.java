package org.robustsam.studio.annotate.edit;

import org.robustsam.studio.annotate.project.AnnotatedObject;

/** Gives an object another (existing) label. */
public final class RelabelObjectCommand extends ReplaceObjectCommand {
    private final String newLabel;

    public RelabelObjectCommand(String image, long objectId, String newLabel) {
        super(image, objectId);
        this.newLabel = newLabel;
    }

    @Override
    AnnotatedObject change(AnnotatedObject current) {
        return current.withLabel(newLabel);
    }

    @Override
    public String description() {
        return "relabel as " + newLabel;
    }
}
