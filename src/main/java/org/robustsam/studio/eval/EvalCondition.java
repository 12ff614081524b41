package org.robustsam.studio.eval;

import org.robustsam.studio.degrade.Degradation;
import org.robustsam.studio.degrade.Degradations;

/**
 * What the image looks like in one row of the table: clean, or under one degradation at the run's
 * severity.
 *
 * @param id {@code clean} or the degradation id ({@code gauss_noise}): the CSV's {@code condition}
 * @param title for tables: "Clean", "Gaussian noise"
 * @param degradation null for clean
 */
public record EvalCondition(String id, String title, Degradation degradation) {
    public static final String CLEAN_ID = "clean";
    public static final EvalCondition CLEAN = new EvalCondition(CLEAN_ID, "Clean", null);

    public static EvalCondition of(Degradation d) {
        return new EvalCondition(d.id(), d.name(), d);
    }

    /** "clean" or a degradation id (any case). */
    public static EvalCondition parse(String id) {
        return id.trim().equalsIgnoreCase(CLEAN_ID) ? CLEAN : of(Degradations.get(id));
    }

    public boolean isClean() {
        return degradation == null;
    }
}
