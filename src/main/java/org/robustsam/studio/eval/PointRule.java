package org.robustsam.studio.eval;

import java.util.Locale;

/** Where the evaluation's single click goes inside a ground-truth mask. */
public enum PointRule {
    /** The mask pixel farthest from the boundary (the centre of the largest inscribed disk). */
    CENTER,
    /** A mask pixel drawn uniformly at random from a seed, as the reference's data loader samples prompts. */
    RANDOM;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static PointRule parse(String id) {
        for (PointRule r : values()) {
            if (r.id().equals(id.trim().toLowerCase(Locale.ROOT))) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown point rule '" + id + "' (center, random)");
    }
}
