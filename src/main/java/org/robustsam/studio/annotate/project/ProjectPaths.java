package org.robustsam.studio.annotate.project;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Image paths as the project file stores them: relative to the project folder, '/'-separated,
 * normalised, and never leading outside the folder. A project file that says {@code ../x.jpg} or
 * {@code /etc/x.jpg} is refused, so opening a project can never make the app read or export files
 * elsewhere.
 */
public final class ProjectPaths {
    private ProjectPaths() {}

    /**
     * Normalises a stored path ({@code a/./b/../c.jpg} becomes {@code a/c.jpg}, backslashes from
     * Windows tools become '/'), refusing absolute paths and {@code ..} that leave the folder.
     */
    public static String normalizeRelative(String raw) {
        if (raw == null || raw.isBlank()) {
            throw new IllegalArgumentException("image path is empty");
        }
        if (raw.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("image path '" + printable(raw) + "' contains a NUL character");
        }
        String p = raw.replace('\\', '/');
        if (p.startsWith("/") || p.matches("^[A-Za-z]:.*")) {
            throw new IllegalArgumentException("image path '" + raw + "' is absolute; project paths must be relative to the project folder");
        }
        Deque<String> parts = new ArrayDeque<>();
        for (String part : p.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (parts.isEmpty()) {
                    throw new IllegalArgumentException("image path '" + raw + "' points outside the project folder");
                }
                parts.removeLast();
            } else {
                parts.addLast(part);
            }
        }
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("image path '" + raw + "' names the project folder itself, not an image");
        }
        return String.join("/", parts);
    }

    /** The file a stored path names, inside {@code folder}. */
    public static Path resolve(Path folder, String relative) {
        Path p = folder;
        for (String part : normalizeRelative(relative).split("/")) {
            p = p.resolve(part);
        }
        return p;
    }

    /**
     * The project path of {@code file}, which must lie inside {@code folder} (compared after
     * normalising both; symbolic links are not followed, so a linked image folder inside the
     * project counts as inside).
     */
    public static String relativize(Path folder, Path file) {
        Path base = folder.toAbsolutePath().normalize();
        Path target = file.toAbsolutePath().normalize();
        if (!target.startsWith(base) || target.equals(base)) {
            throw new IllegalArgumentException(file + " is outside the project folder " + base);
        }
        StringBuilder s = new StringBuilder();
        for (Path part : base.relativize(target)) {
            if (s.length() > 0) {
                s.append('/');
            }
            s.append(part);
        }
        return s.toString();
    }

    private static String printable(String s) {
        return s.replace("\0", "\\0");
    }
}
