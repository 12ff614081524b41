package org.robustsam.studio.degrade;

import java.util.Objects;
import org.robustsam.studio.image.RgbImage;

/** Id, name, argument checks and seed derivation shared by the 15 degradations. */
abstract class BaseDegradation implements Degradation {
    private final String id;
    private final String name;
    /** Mixed into every seed so two degradations given the same seed do not share noise. */
    private final long salt;

    BaseDegradation(String id, String name) {
        this.id = id;
        this.name = name;
        this.salt = Rng.hash(id);
    }

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final RgbImage apply(RgbImage image, int severity, long seed) {
        Objects.requireNonNull(image, "image");
        Degradation.checkSeverity(severity);
        return degrade(image, severity, new Seeds(seed, salt));
    }

    /** The streams {@link #apply} uses for {@code seed}, for helpers that report drawn parameters. */
    final Seeds seeds(long seed) {
        return new Seeds(seed, salt);
    }

    /** The degradation proper; {@code severity} is already checked. */
    abstract RgbImage degrade(RgbImage image, int severity, Seeds seeds);

    @Override
    public String toString() {
        return id;
    }

    /** Random streams of one call: one for per-image parameters, one per (purpose, row) for pixels. */
    static final class Seeds {
        private final long seed;
        private final long salt;

        Seeds(long seed, long salt) {
            this.seed = seed;
            this.salt = salt;
        }

        /** A fresh stream for parameter draws; call once and draw from it in a fixed order. */
        Rng params() {
            return Rng.forImage(seed, salt);
        }

        Rng row(int stream, int row) {
            return Rng.forRow(seed, salt, stream, row);
        }
    }
}
