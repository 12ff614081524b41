package org.robustsam.studio.annotate.project;

import java.util.Locale;

/** Where an image is in the annotator's work: still to do, finished, or deliberately left out. */
public enum ImageStatus {
    TODO, DONE, SKIPPED;

    /** The lower-case word stored in the project file. */
    public String fileValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ImageStatus fromFileValue(String value) {
        for (ImageStatus s : values()) {
            if (s.fileValue().equals(value)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown image status '" + value + "' (expected todo, done or skipped)");
    }
}
