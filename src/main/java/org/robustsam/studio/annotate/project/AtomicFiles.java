package org.robustsam.studio.annotate.project;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Replaces a file so that, whatever moment the process or the machine dies, the file holds either
 * its old bytes or its new bytes in full: write a sibling temp file, force it to the disk, rename
 * it over the target (atomic within a folder), then force the folder entry. When writing fails
 * (a full disk, a read-only folder) the target is untouched, the partial temp file is removed, and
 * the error names the file and the reason.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** The temp name used while writing {@code target}; recovery looks at it too. */
    public static Path tempFor(Path target) {
        return target.resolveSibling(target.getFileName() + ".tmp");
    }

    public static void write(Path target, byte[] data) throws FileWriteException {
        prepare(target, data).commit();
    }

    /**
     * The first half of {@link #write}: the new bytes are in the temp file, on the disk, and the
     * target is untouched until {@link Prepared#commit}. A caller that must do more before the
     * target changes (rotating backups) does it in between, so a write that fails for want of space
     * fails before anything else was changed.
     */
    public static Prepared prepare(Path target, byte[] data) throws FileWriteException {
        Path tmp = tempFor(target);
        boolean opened = false;
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            opened = true;
            ByteBuffer buf = ByteBuffer.wrap(data);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        } catch (IOException e) {
            if (opened) {
                deleteQuietly(tmp); // our half-written temp file must not fill the disk or look like a save
            }
            throw failure(target, e);
        }
        return new Prepared(target, tmp);
    }

    /** New bytes waiting in a temp file beside their target. */
    public static final class Prepared {
        private final Path target;
        private final Path tmp;

        private Prepared(Path target, Path tmp) {
            this.target = target;
            this.tmp = tmp;
        }

        /** Renames the temp file over the target (atomic within the folder) and makes that durable. */
        public void commit() throws FileWriteException {
            try {
                try {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                discard();
                throw failure(target, e);
            }
            forceFolder(target.toAbsolutePath().getParent());
        }

        /** Drops the new bytes; the target stays as it was. */
        public void discard() {
            deleteQuietly(tmp);
        }
    }

    private static FileWriteException failure(Path target, IOException e) {
        return new FileWriteException(target, "cannot be written (" + describe(e) + ")"
                + (Files.exists(target) ? "; the file on disk is unchanged" : ""), e);
    }

    /** Why a file operation failed, in words a user can act on. */
    public static String describe(IOException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        String reason = e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : message;
        if (reason.contains("No space left") || reason.contains("Disk quota exceeded")) {
            return "the disk is full";
        }
        if (reason.contains("Read-only file system")) {
            return "the folder is on a read-only file system";
        }
        if (e instanceof AccessDeniedException || reason.contains("Permission denied") || reason.contains("Operation not permitted")) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException f) {
            return "no such file or folder: " + f.getFile();
        }
        if (e instanceof FileSystemException f) {
            return (f.getReason() != null ? f.getReason() : "file system error") + " (" + f.getFile() + ")";
        }
        return reason.isBlank() ? e.getClass().getSimpleName() : reason;
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // On a read-only or vanished folder there is nothing to remove; the next save overwrites it.
        }
    }

    /** Makes renames in {@code folder} durable; a no-op where folders cannot be opened (Windows). */
    static void forceFolder(Path folder) {
        try (FileChannel ch = FileChannel.open(folder, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Not supported on every OS; the rename itself is still atomic.
        }
    }
}
