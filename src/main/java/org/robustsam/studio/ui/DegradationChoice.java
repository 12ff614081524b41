package org.robustsam.studio.ui;

import org.robustsam.studio.degrade.Degradation;
import org.robustsam.studio.degrade.Degradations;

/**
 * A degradation the user picked in the preview: enough to recompute the degraded image exactly,
 * {@code Degradations.get(degradationId).apply(original, severity, seed)}. Annotations stay on the
 * original; this only describes the working view.
 */
public record DegradationChoice(String degradationId, int severity, long seed) {
    public DegradationChoice {
        Degradation.checkSeverity(severity);
        Degradations.get(degradationId); // fails for an unknown id
    }

    public Degradation degradation() {
        return Degradations.get(degradationId);
    }
}
