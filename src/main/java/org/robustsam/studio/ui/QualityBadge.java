package org.robustsam.studio.ui;

import java.util.Locale;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import org.robustsam.studio.assess.QualityAssessor;
import org.robustsam.studio.assess.QualityReport;

/**
 * The advisor's verdict as a small coloured tag: quality in percent, green when the photo looks
 * clean, amber when a family is present, red below 0.4; the summary as tooltip.
 */
final class QualityBadge extends Label {
    static final double POOR = 0.4;

    QualityBadge(QualityReport report) {
        getStyleClass().add("quality-badge");
        setText(String.format(Locale.ROOT, "%.0f", 100 * report.quality()));
        getStyleClass().add(styleFor(report));
        setTooltip(new Tooltip(report.summary()));
    }

    static String styleFor(QualityReport report) {
        if (report.quality() < POOR) {
            return "quality-poor";
        }
        return report.isClean() && report.quality() >= 1 - QualityAssessor.PRESENT ? "quality-good" : "quality-fair";
    }
}
