package org.robustsam.studio.annotate.project;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Replaces a file so that, whatever moment the process or the machine dies, the file holds either
 * its old bytes or its new bytes in full: write a sibling temp file, force it to the disk, rename
 * it over the target (atomic within a folder), then force the folder entry.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** The temp name used while writing {@code target}; recovery looks at it too. */
    public static Path tempFor(Path target) {
        return target.resolveSibling(target.getFileName() + ".tmp");
    }

    public static void write(Path target, byte[] data) throws IOException {
        Path tmp = tempFor(target);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(data);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        forceFolder(target.toAbsolutePath().getParent());
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
