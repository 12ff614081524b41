package org.robustsam.studio.annotate.format;

import java.nio.file.Path;

/** The annotation formats a project can import, with what each reads (a folder or a file). */
public enum ImportFormat {
    /** A folder of LabelMe JSON files (searched recursively), or one such file. */
    LABELME("LabelMe", true),
    /** A COCO instances JSON file. */
    COCO("COCO", false),
    /** A Pascal VOC folder as {@code studio export --format voc} writes it. */
    VOC("Pascal VOC", true);

    private final String displayName;
    private final boolean folder;

    ImportFormat(String displayName, boolean folder) {
        this.displayName = displayName;
        this.folder = folder;
    }

    public String displayName() {
        return displayName;
    }

    /** True when the input is a folder, false when it is one file. */
    public boolean readsFolder() {
        return folder;
    }

    /** Reads and checks {@code input} against the images in {@code projectFolder}; applies nothing. */
    public ImportBatch read(Path input, Path projectFolder) throws ImportException {
        return switch (this) {
            case LABELME -> LabelMeImporter.read(input, projectFolder);
            case COCO -> CocoImporter.read(input, projectFolder);
            case VOC -> VocImporter.read(input, projectFolder);
        };
    }
}
