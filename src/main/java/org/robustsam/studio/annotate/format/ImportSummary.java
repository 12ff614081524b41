package org.robustsam.studio.annotate.format;

import java.util.List;

/** What an import added to a project, and what it skipped or doubted (warnings name the file). */
public record ImportSummary(int images, int imagesAdded, int objects, int labelsAdded, List<String> warnings) {
    public ImportSummary {
        warnings = List.copyOf(warnings);
    }
}
