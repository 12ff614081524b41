package org.robustsam.studio.hardening;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.opentest4j.TestAbortedException;

/**
 * Small file systems for the disk-full and read-only cases: a tmpfs of a few megabytes mounted on a
 * folder of the test's temp dir (which needs root; CI runs as root). Without root the case is
 * skipped with a message saying so.
 */
final class Mounts {
    private Mounts() {}

    /** A mounted tmpfs; closing unmounts it. */
    static final class Tmpfs implements AutoCloseable {
        private final Path dir;

        private Tmpfs(Path dir) {
            this.dir = dir;
        }

        Path dir() {
            return dir;
        }

        /** Makes the file system read-only, as a write-protected card or a read-only share is. */
        void readOnly() throws IOException {
            run("mount", "-o", "remount,ro", dir.toString());
        }

        /** Writes a filler file until the disk is full; deleting it frees the space again. */
        Path fill() throws IOException {
            Path filler = dir.resolve("filler.bin");
            byte[] chunk = new byte[4096];
            try (OutputStream out = Files.newOutputStream(filler)) {
                while (true) {
                    out.write(chunk);
                }
            } catch (IOException full) {
                if (!String.valueOf(full.getMessage()).contains("No space left")) {
                    throw full;
                }
            }
            return filler;
        }

        @Override
        public void close() throws IOException {
            try {
                run("umount", dir.toString());
            } catch (IOException e) {
                run("umount", "-l", dir.toString()); // still busy: detach now, freed when the last file closes
            }
        }
    }

    static boolean isRoot() {
        try {
            Process p = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.waitFor(10, TimeUnit.SECONDS) && out.equals("0");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Mounts a tmpfs of {@code size} (e.g. "2m") on a new folder {@code dir}, or skips the case. */
    static Tmpfs tmpfs(Path dir, String size) throws IOException {
        if (!isRoot()) {
            throw new TestAbortedException("skipped: mounting a " + size + " tmpfs needs root (CI runs as root); run as root to test"
                    + " a full disk and a read-only folder");
        }
        Files.createDirectories(dir);
        try {
            run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString());
        } catch (IOException e) {
            throw new TestAbortedException("skipped: cannot mount a tmpfs here (" + e.getMessage() + ")");
        }
        return new Tmpfs(dir);
    }

    private static void run(String... cmd) throws IOException {
        Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", cmd) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", cmd), e);
        }
    }
}
