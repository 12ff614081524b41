package org.robustsam.studio.annotate.project;

/** One change to a {@link Project}, as told to {@link ProjectListener}s. Images are named by their project path. */
public sealed interface ProjectChange {
    record ImageAdded(ImageRecord image) implements ProjectChange {}

    /** Only an image without objects is removed (the undo of adding it). */
    record ImageRemoved(ImageRecord image) implements ProjectChange {}

    record ObjectAdded(String image, int index, AnnotatedObject object) implements ProjectChange {}

    record ObjectRemoved(String image, int index, AnnotatedObject object) implements ProjectChange {}

    /** Same id, new label, mask, prompts or score. */
    record ObjectReplaced(String image, AnnotatedObject before, AnnotatedObject after) implements ProjectChange {}

    record LabelAdded(int index, Label label) implements ProjectChange {}

    record LabelRemoved(int index, Label label) implements ProjectChange {}

    /** Renamed or recoloured; objects carrying the old name now carry the new one. */
    record LabelChanged(Label before, Label after) implements ProjectChange {}

    record ImageStatusChanged(String image, ImageStatus before, ImageStatus after) implements ProjectChange {}
}
