package org.robustsam.studio.degrade.dataset;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a file under a hidden temporary name in the same folder and renames it into place, so a
 * file under its final name is always complete: an interrupted run leaves only {@code .*.part}
 * files, which never look like results and are removed by the next run.
 */
public final class AtomicFiles {
    /** Suffix of in-progress files. */
    public static final String PART_SUFFIX = ".part";

    /** Writes the content of a file. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    private AtomicFiles() {}

    public static void write(Path target, Writer writer) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", PART_SUFFIX);
        try {
            try (OutputStream out = Files.newOutputStream(temp)) {
                writer.write(out);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Deletes leftover {@code .*.part} files of interrupted runs in {@code dir}; returns how many. */
    public static int deleteLeftovers(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int n = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "." + "*" + PART_SUFFIX)) {
            for (Path f : files) {
                if (Files.isRegularFile(f)) {
                    Files.deleteIfExists(f);
                    n++;
                }
            }
        }
        return n;
    }
}
