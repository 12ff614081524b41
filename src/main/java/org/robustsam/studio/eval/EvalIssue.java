package org.robustsam.studio.eval;

import java.util.Locale;

/**
 * Something the evaluation skipped or doubted, one sentence for the log and the report.
 *
 * @param kind what went wrong
 * @param subject what it concerns: an image name, "image#object", a model name
 * @param message the reason, in plain words
 */
public record EvalIssue(Kind kind, String subject, String message) {
    public enum Kind {
        /** An image in the dataset with no annotation file or no objects: nothing to evaluate on it. */
        NO_ANNOTATIONS,
        /** An object whose mask covers no pixel: no prompt can be derived. */
        EMPTY_MASK,
        /** An object labelled {@code __ignore__} (labelme's "ignore region"): not an object to segment. */
        IGNORED_REGION,
        /** An annotation file that cannot be read; its image is skipped. */
        BAD_ANNOTATION,
        /** A remark about an annotation that did not stop it from being used. */
        ANNOTATION_WARNING,
        /** An image file that cannot be read, or whose size differs from its annotation's. */
        BAD_IMAGE,
        /** A model that cannot be loaded: its columns are left out. */
        MODEL_FAILED,
        /** A model failed on one image or prompt: those cases are left out. */
        PREDICTION_FAILED;

        /** For reports: "empty mask". */
        public String words() {
            return name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }

        /** Whether the run itself went wrong here (as opposed to input data being skipped by rule). */
        public boolean isFailure() {
            return this == BAD_IMAGE || this == MODEL_FAILED || this == PREDICTION_FAILED || this == BAD_ANNOTATION;
        }
    }

    @Override
    public String toString() {
        return kind.words() + ": " + subject + ": " + message;
    }
}
