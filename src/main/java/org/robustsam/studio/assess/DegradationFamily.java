package org.robustsam.studio.assess;

import java.util.Locale;
import java.util.Optional;

/**
 * The kinds of damage the advisor tells apart, each a group of the 15 Robust-Seg degradations
 * that look alike in a single photo. Elastic transform belongs to none: a smooth warp of one or
 * two pixels leaves a photo looking like a photo, and without the original there is nothing to
 * measure it against.
 */
public enum DegradationFamily {
    NOISE("Noise", "grain from the sensor: Gaussian or ISO noise"),
    BLUR("Blur", "lost detail: motion, zoom, resampling (low resolution) or frosted-glass blur"),
    COMPRESSION("Compression", "JPEG 8 x 8 blocks and ringing"),
    LIGHT("Light & contrast", "too dark, over-exposed, clipped or stretched contrast, shifted colours"),
    WEATHER("Weather", "fog or haze, rain streaks, snow");

    private final String label;
    private final String description;

    DegradationFamily(String label, String description) {
        this.label = label;
        this.description = description;
    }

    public String label() {
        return label;
    }

    public String description() {
        return description;
    }

    /** Lower-case id for files and command lines: {@code noise}, {@code light}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The family of one of the 15 degradations ({@code gauss_noise} -> NOISE); empty for
     * {@code elastic_transform}, which no single-image measurement can see.
     *
     * @throws IllegalArgumentException for an id that is not one of the 15
     */
    public static Optional<DegradationFamily> of(String degradationId) {
        String id = degradationId.trim().toLowerCase(Locale.ROOT);
        return switch (id) {
            case "gauss_noise", "iso_noise" -> Optional.of(NOISE);
            case "resampling_blur", "motion_blur", "zoom_blur", "frosted_glass_blur" -> Optional.of(BLUR);
            case "compression" -> Optional.of(COMPRESSION);
            // impulse_noise is, in the reference, a global gain with clipping (over-exposure).
            case "brightness", "contrast", "impulse_noise", "color_jitter" -> Optional.of(LIGHT);
            case "snow", "fog", "rain" -> Optional.of(WEATHER);
            case "elastic_transform" -> Optional.empty();
            default -> throw new IllegalArgumentException("unknown degradation '" + degradationId + "'");
        };
    }
}
