package org.robustsam.studio.model.manager;

/** Where a registry model stands on this machine. */
public enum ModelState {
    /** No file, no partial download. */
    NOT_DOWNLOADED,
    /** A {@code .partial} file exists: a download is running or can resume. */
    PARTIAL,
    /** The file is in place (only verified files are ever moved there). */
    READY,
    /** A file is in place but failed a check (wrong size or checksum): re-download it. */
    CORRUPT
}
