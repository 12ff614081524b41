package org.robustsam.studio.annotate.project;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code project.json.lock}: written when a session opens a project for editing, deleted when it
 * closes cleanly. Found at start-up with its process gone, it says the last session crashed (the
 * crash-recovery marker); found with its process alive, it says another window is editing.
 * A process is identified by pid plus start time, so a reused pid is not mistaken for the owner.
 */
public final class SessionLock implements AutoCloseable {
    public static final String FILE_NAME = ProjectFile.FILE_NAME + ".lock";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Who holds (or held) the lock. {@code processStart} may be null where the OS does not tell. */
    @JsonIgnoreProperties(ignoreUnknown = true) // a newer app may record more about itself
    public record Owner(long pid, String processStart, String host, String openedAt) {
        /** Owner record for this JVM. */
        static Owner current() {
            ProcessHandle self = ProcessHandle.current();
            String start = self.info().startInstant().map(Instant::toString).orElse(null);
            return new Owner(self.pid(), start, hostName(), Instant.now().toString());
        }

        /** True when the owning process still runs on this machine (another host's lock counts as alive). */
        @JsonIgnore
        public boolean isAlive() {
            if (!hostName().equals(host)) {
                return true;
            }
            Optional<ProcessHandle> h = ProcessHandle.of(pid);
            if (h.isEmpty() || !h.get().isAlive()) {
                return false;
            }
            String start = h.get().info().startInstant().map(Instant::toString).orElse(null);
            return processStart == null || start == null || processStart.equals(start);
        }
    }

    private final Path file;
    private final Owner owner;

    private SessionLock(Path file, Owner owner) {
        this.file = file;
        this.owner = owner;
    }

    public static Path fileIn(Path folder) {
        return folder.resolve(FILE_NAME);
    }

    /** The lock in {@code folder}, if any. An unreadable lock file (torn by a crash) reads as a dead owner. */
    public static Optional<Owner> read(Path folder) {
        Path f = fileIn(folder);
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(f.toFile(), Owner.class));
        } catch (IOException e) {
            return Optional.of(new Owner(-1, null, hostName(), null));
        }
    }

    /**
     * Deletes the lock if its process is gone: once the user has answered the recovery offer, the
     * crash it recorded is dealt with and must not be offered again. A live lock is left alone.
     * Returns true when a stale lock was deleted.
     */
    public static boolean clearStale(Path folder) throws IOException {
        Optional<Owner> existing = read(folder);
        if (existing.isEmpty() || existing.get().isAlive()) {
            return false;
        }
        return Files.deleteIfExists(fileIn(folder));
    }

    /**
     * Takes the lock for this process. A stale lock (its process is gone) is replaced; call
     * {@link Recovery#check} before, to learn about the crash it records. A live one is refused.
     */
    public static SessionLock acquire(Path folder) throws ProjectFileException {
        Path f = fileIn(folder);
        Optional<Owner> existing = read(folder);
        Owner me = Owner.current();
        if (existing.isPresent() && existing.get().pid() != me.pid() && existing.get().isAlive()) {
            Owner o = existing.get();
            throw new ProjectFileException(folder.resolve(ProjectFile.FILE_NAME), "the project is open in another RobustSAM Studio "
                    + "(process " + o.pid() + " on " + o.host() + ", since " + o.openedAt() + "); close it there first"
                    + " or delete " + f.getFileName() + " if that process is gone");
        }
        try {
            AtomicFiles.write(f, JSON.writeValueAsBytes(me));
        } catch (FileWriteException e) {
            throw new ProjectFileException(f, "cannot write the session lock, so the project cannot be edited here ("
                    + (e.getCause() instanceof IOException cause ? AtomicFiles.describe(cause) : e.problem()) + ")", e);
        } catch (IOException e) {
            throw new ProjectFileException(f, "cannot write the session lock (" + AtomicFiles.describe(e) + ")", e);
        }
        return new SessionLock(f, me);
    }

    public Owner owner() {
        return owner;
    }

    /** Deletes the lock if it is still ours: a clean close leaves no crash marker. */
    @Override
    public void close() throws IOException {
        Optional<Owner> now = read(file.getParent());
        if (now.isPresent() && now.get().pid() == owner.pid()) {
            Files.deleteIfExists(file);
        }
    }

    private static String hostName() {
        return HOST;
    }

    // Looked up once: a slow resolver must not stall every lock check.
    private static final String HOST = lookUpHostName();

    private static String lookUpHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
