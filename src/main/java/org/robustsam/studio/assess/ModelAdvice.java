package org.robustsam.studio.assess;

import java.util.Locale;

/**
 * Which model to prompt with on a photo: RobustSAM where the photo's quality is below the user's
 * threshold (where SAM is likely to fail), SAM otherwise, with the reason in words for the status
 * bar.
 *
 * @param robust true for RobustSAM
 * @param reason "quality 0.42 < 0.70 (blur)", "quality 0.93 >= 0.70", "quality not known yet"
 */
public record ModelAdvice(boolean robust, String reason) {
    /**
     * @param report the photo's assessment, or null while it is not known (SAM then)
     * @param threshold quality below which RobustSAM is advised, 0..1
     */
    public static ModelAdvice decide(QualityReport report, double threshold) {
        if (report == null) {
            return new ModelAdvice(false, "quality not known yet");
        }
        if (report.quality() < threshold) {
            String why = report.dominant() == null ? "" : " (" + report.dominant().label().toLowerCase(Locale.ROOT) + ")";
            return new ModelAdvice(true, String.format(Locale.ROOT, "quality %.2f < %.2f%s", report.quality(), threshold, why));
        }
        return new ModelAdvice(false, String.format(Locale.ROOT, "quality %.2f >= %.2f", report.quality(), threshold));
    }
}
