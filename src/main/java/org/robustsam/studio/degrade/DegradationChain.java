package org.robustsam.studio.degrade;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.robustsam.studio.image.RgbImage;

/**
 * Several degradations applied one after the other ("fog at 2, then JPEG at 4"). Step i runs with
 * a seed derived from the chain's seed and i, so a chain is as reproducible as a single step and
 * two steps of the same kind do not repeat each other's noise.
 */
public final class DegradationChain {
    /** One degradation at one severity. */
    public record Step(Degradation degradation, int severity) {
        public Step {
            Objects.requireNonNull(degradation, "degradation");
            Degradation.checkSeverity(severity);
        }

        @Override
        public String toString() {
            return degradation.id() + ":" + severity;
        }
    }

    private final List<Step> steps;

    public DegradationChain(List<Step> steps) {
        this.steps = List.copyOf(steps);
    }

    public static DegradationChain of(Step... steps) {
        return new DegradationChain(List.of(steps));
    }

    /**
     * Parses {@code "fog:2,compression:4"} (id, optional {@code :severity} defaulting to 3).
     *
     * @throws IllegalArgumentException naming the bad part
     */
    public static DegradationChain parse(String spec) {
        List<Step> steps = new ArrayList<>();
        for (String part : spec.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int colon = p.indexOf(':');
            String id = colon < 0 ? p : p.substring(0, colon);
            int severity = Degradation.REFERENCE_SEVERITY;
            if (colon >= 0) {
                try {
                    severity = Integer.parseInt(p.substring(colon + 1).trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("bad severity in '" + p + "': expected 1..5");
                }
            }
            steps.add(new Step(Degradations.get(id), severity));
        }
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("empty degradation chain '" + spec + "'");
        }
        return new DegradationChain(steps);
    }

    public List<Step> steps() {
        return steps;
    }

    /** The seed step {@code index} receives from a chain seed. */
    public static long stepSeed(long seed, int index) {
        return index == 0 ? seed : Rng.mix(seed + Rng.mix(index));
    }

    public RgbImage apply(RgbImage image, long seed) {
        RgbImage img = image;
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            img = s.degradation().apply(img, s.severity(), stepSeed(seed, i));
        }
        return img;
    }

    @Override
    public String toString() {
        return String.join(",", steps.stream().map(Step::toString).toList());
    }
}
