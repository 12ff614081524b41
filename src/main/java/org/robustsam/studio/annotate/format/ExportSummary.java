package org.robustsam.studio.annotate.format;

import java.nio.file.Path;
import java.util.List;

/** What an export wrote: where, how many images, objects and files, and what it had to leave out. */
public record ExportSummary(Path output, int images, int objects, int files, List<String> warnings) {
    public ExportSummary {
        warnings = List.copyOf(warnings);
    }
}
