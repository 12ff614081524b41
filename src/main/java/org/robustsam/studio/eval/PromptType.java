package org.robustsam.studio.eval;

import java.util.Locale;

/** The prompt the paper evaluates with: the object's box, or one click inside it. */
public enum PromptType {
    BOX, POINT;

    /** Lower-case id used on the command line and in the CSV: {@code box}, {@code point}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** For tables: "Box", "Point". */
    public String title() {
        return this == BOX ? "Box" : "Point";
    }

    public static PromptType parse(String id) {
        for (PromptType t : values()) {
            if (t.id().equals(id.trim().toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown prompt type '" + id + "' (box, point)");
    }
}
