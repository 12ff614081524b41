package org.robustsam.studio.annotate;

import java.nio.file.Path;
import java.util.Objects;
import org.robustsam.studio.image.ImageHeader;

/**
 * One photo of the opened folder and what is known about it. Immutable: a probe produces a new
 * entry, so lists can be refreshed without locks.
 */
public final class PhotoEntry {
    /** Whether the file was checked, and how that went. */
    public enum Health { UNCHECKED, READABLE, BROKEN }

    private final Path path;
    private final Health health;
    private final ImageHeader header;
    private final String problem;

    private PhotoEntry(Path path, Health health, ImageHeader header, String problem) {
        this.path = Objects.requireNonNull(path);
        this.health = health;
        this.header = header;
        this.problem = problem;
    }

    public static PhotoEntry unchecked(Path path) {
        return new PhotoEntry(path, Health.UNCHECKED, null, null);
    }

    public PhotoEntry readable(ImageHeader header) {
        return new PhotoEntry(path, Health.READABLE, header, null);
    }

    public PhotoEntry broken(String problem) {
        return new PhotoEntry(path, Health.BROKEN, header, problem);
    }

    public Path path() {
        return path;
    }

    public String fileName() {
        return path.getFileName().toString();
    }

    public Health health() {
        return health;
    }

    /** Size and format from the header; null until checked or when unreadable. */
    public ImageHeader header() {
        return header;
    }

    /** A message naming the file and what is wrong with it; null unless broken. */
    public String problem() {
        return problem;
    }

    @Override
    public String toString() {
        return fileName();
    }
}
