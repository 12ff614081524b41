package org.robustsam.studio.annotate.project;

import java.util.Objects;
import org.robustsam.studio.annotate.mask.CocoRle;

/**
 * One labelled instance on one image. Immutable: an edit replaces the object, which is what makes
 * undo a matter of putting the old value back.
 *
 * @param id       unique within the project, never reused
 * @param label    name of a {@link Label} of the project
 * @param mask     the instance mask at the image's size
 * @param prompts  the prompts it was predicted from; null for drawn or imported objects
 * @param modelId  registry id of the model that predicted it; null when not predicted
 * @param score    the model's predicted IoU for the mask; null when not predicted or edited by hand
 */
public record AnnotatedObject(long id, String label, CocoRle mask, Prompts prompts, String modelId, Double score) {
    public AnnotatedObject {
        if (id <= 0) {
            throw new IllegalArgumentException("object id must be positive, got " + id);
        }
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(mask, "mask");
        if (score != null && !Double.isFinite(score)) {
            throw new IllegalArgumentException("object " + id + " score must be a finite number, got " + score);
        }
    }

    /** An imported or hand-drawn object: no prompts, model or score. */
    public static AnnotatedObject manual(long id, String label, CocoRle mask) {
        return new AnnotatedObject(id, label, mask, null, null, null);
    }

    public AnnotatedObject withLabel(String newLabel) {
        return new AnnotatedObject(id, newLabel, mask, prompts, modelId, score);
    }

    public AnnotatedObject withMask(CocoRle newMask, Prompts newPrompts, String newModelId, Double newScore) {
        return new AnnotatedObject(id, label, newMask, newPrompts, newModelId, newScore);
    }
}
