package org.robustsam.studio.assess;

import java.util.Objects;

/**
 * One raw figure behind the scores, for people who want to know why: "Luma noise 6.2 grey levels".
 *
 * @param id stable lower-case key for files ({@code noise_luma})
 * @param label for panels and tables
 * @param value the figure
 * @param unit what it counts ("grey levels", "%", "ratio"); empty when it has none
 */
public record Measurement(String id, String label, double value, String unit) {
    public Measurement {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(unit, "unit");
    }
}
