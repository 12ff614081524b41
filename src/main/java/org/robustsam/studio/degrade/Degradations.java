package org.robustsam.studio.degrade;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The 15 Robust-Seg degradations by id, in the reference's order ({@code augment.py degraded_dict}).
 * Ids are lower case ({@code iso_noise}); lookups ignore case, so the reference's {@code ISO_noise}
 * is found too. Degradations are stateless and thread-safe: one instance serves every caller.
 */
public final class Degradations {
    private static final Map<String, Degradation> BY_ID = new LinkedHashMap<>();

    static {
        for (Degradation d : List.of(new Snow(), new Fog(), new Rain(), new GaussianNoise(), new IsoNoise(),
                new ImpulseNoise(), new ResamplingBlur(), new MotionBlur(), new ZoomBlur(), new ColorJitter(),
                new JpegCompression(), new ElasticTransform(), new FrostedGlassBlur(), new Brightness(), new Contrast())) {
            BY_ID.put(d.id(), d);
        }
    }

    private Degradations() {}

    /** All 15, in the reference's order. */
    public static List<Degradation> all() {
        return List.copyOf(BY_ID.values());
    }

    public static List<String> ids() {
        return List.copyOf(BY_ID.keySet());
    }

    public static Optional<Degradation> find(String id) {
        return id == null ? Optional.empty() : Optional.ofNullable(BY_ID.get(id.trim().toLowerCase(Locale.ROOT)));
    }

    /**
     * A per-item seed from a run's seed and a stable key such as a file's name in its dataset, so
     * every image of a batch gets its own noise and any one can be reproduced alone with
     * {@code get(id).apply(image, severity, seedFor(seed, name))}.
     */
    public static long seedFor(long seed, String key) {
        return Rng.mix(seed ^ Rng.hash(key));
    }

    /** The degradation with this id; the exception lists the valid ids. */
    public static Degradation get(String id) {
        return find(id).orElseThrow(() -> new IllegalArgumentException(
                "unknown degradation '" + id + "'; known: " + String.join(", ", ids())));
    }
}
