package org.robustsam.studio.annotate.edit;

import org.robustsam.studio.annotate.mask.CocoRle;
import org.robustsam.studio.annotate.project.AnnotatedObject;
import org.robustsam.studio.annotate.project.Prompts;

/**
 * Gives an object a new mask: the result of a brush or eraser stroke, or of a new prediction from
 * more prompts. The object keeps its id, label and place in the drawing order.
 */
public final class ChangeMaskCommand extends ReplaceObjectCommand {
    private final CocoRle mask;
    private final boolean predicted;
    private final Prompts prompts;
    private final String modelId;
    private final Double score;
    private final String what;

    private ChangeMaskCommand(String image, long objectId, CocoRle mask, boolean predicted, Prompts prompts,
                              String modelId, Double score, String what) {
        super(image, objectId);
        this.mask = mask;
        this.predicted = predicted;
        this.prompts = prompts;
        this.modelId = modelId;
        this.score = score;
        this.what = what;
    }

    /**
     * A brush or eraser result. Prompts and model stay as the object's history; the score is
     * dropped because it was the model's estimate for a mask that no longer exists.
     */
    public static ChangeMaskCommand handEdit(String image, long objectId, CocoRle mask) {
        return new ChangeMaskCommand(image, objectId, mask, false, null, null, null, "edit mask");
    }

    /** A new prediction for the object from (more) prompts. */
    public static ChangeMaskCommand prediction(String image, long objectId, CocoRle mask, Prompts prompts, String modelId, Double score) {
        return new ChangeMaskCommand(image, objectId, mask, true, prompts, modelId, score, "refine mask");
    }

    @Override
    AnnotatedObject change(AnnotatedObject current) {
        return predicted ? current.withMask(mask, prompts, modelId, score)
                : current.withMask(mask, current.prompts(), current.modelId(), null);
    }

    @Override
    public String description() {
        return what;
    }
}
