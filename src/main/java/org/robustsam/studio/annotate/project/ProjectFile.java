package org.robustsam.studio.annotate.project;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;

/**
 * The project file {@code project.json} in a project folder, with its rolling backups
 * {@code project.json.bak1} (newest) to {@code .bakN}.
 *
 * <p>Rule: a save never destroys bytes this object did not write itself. Before each save the
 * current file is hard-linked (or copied) to {@code .bak1}, older backups move down one place; and
 * if the file on disk is not the one this object last read or wrote (corrupt, edited by another
 * program, or created while we were not looking) it is first kept as
 * {@code project.json.kept-<time>}, which the rotation never deletes.
 */
public final class ProjectFile {
    public static final String FILE_NAME = "project.json";
    public static final int DEFAULT_BACKUPS = 3;
    /** The project-file schema this build writes and the newest it reads. */
    public static final int SCHEMA_VERSION = ProjectJson.SCHEMA_VERSION;

    private final Path folder;
    private final Path file;
    private final int backups;
    private byte[] knownDigest; // SHA-256 of the bytes last read or written here

    public ProjectFile(Path folder) {
        this(folder, DEFAULT_BACKUPS);
    }

    public ProjectFile(Path folder, int backups) {
        if (backups < 1) {
            throw new IllegalArgumentException("keep at least one backup, got " + backups);
        }
        this.folder = folder.toAbsolutePath().normalize();
        this.file = this.folder.resolve(FILE_NAME);
        this.backups = backups;
    }

    public Path folder() {
        return folder;
    }

    public Path file() {
        return file;
    }

    public boolean exists() {
        return Files.isRegularFile(file);
    }

    /** {@code project.json.bak<n>}, n = 1 is the newest. */
    public Path backup(int n) {
        return folder.resolve(FILE_NAME + ".bak" + n);
    }

    public int backups() {
        return backups;
    }

    /** Reads the project; a problem gives a message naming the file (and line), and the file is left as it is. */
    public synchronized Project load() throws ProjectFileException {
        byte[] bytes = readBytes(file);
        Project p = parse(bytes, file, folder);
        knownDigest = sha256(bytes);
        return p;
    }

    /** Reads any project file (a backup, a temp file) as a project of {@code folder}, without touching it. */
    public static Project read(Path projectFile, Path folder) throws ProjectFileException {
        return parse(readBytes(projectFile), projectFile, folder);
    }

    private static Project parse(byte[] bytes, Path projectFile, Path folder) throws ProjectFileException {
        ProjectSnapshot snapshot = ProjectJson.read(bytes, projectFile);
        try {
            return Project.fromSnapshot(folder, snapshot);
        } catch (IllegalArgumentException e) {
            throw new ProjectFileException(projectFile, e.getMessage(), e);
        }
    }

    /**
     * Writes {@code snapshot} atomically after rotating the backups (see the class comment). When
     * the write fails (a full disk, a read-only folder) the project file on disk is unchanged and the
     * message says why; saving again later is safe.
     */
    public synchronized void save(ProjectSnapshot snapshot) throws ProjectFileException {
        byte[] bytes = ProjectJson.write(snapshot);
        AtomicFiles.Prepared prepared = null;
        try {
            Files.createDirectories(folder);
            // The new bytes go to disk first: a save that fails for want of space fails before the
            // backups were touched.
            prepared = AtomicFiles.prepare(file, bytes);
            if (Files.exists(file)) {
                byte[] current = Files.readAllBytes(file);
                byte[] currentDigest = sha256(current);
                if (!Arrays.equals(currentDigest, knownDigest)) {
                    keepAside(current);
                }
                rotateBackups(currentDigest);
            }
            prepared.commit();
        } catch (IOException e) {
            if (prepared != null) {
                prepared.discard();
            }
            throw new ProjectFileException(file, "cannot be saved (" + AtomicFiles.describe(unwrap(e)) + "); "
                    + (Files.exists(file) ? "the last saved version on disk is unchanged" : "nothing was written"), e);
        }
        knownDigest = sha256(bytes);
    }

    private static IOException unwrap(IOException e) {
        return e instanceof FileWriteException && e.getCause() instanceof IOException cause ? cause : e;
    }

    private void keepAside(byte[] current) throws IOException {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS"));
        Path kept = folder.resolve(FILE_NAME + ".kept-" + stamp);
        AtomicFiles.write(kept, current);
    }

    /**
     * Shifts the backups down one place and makes the current file {@code .bak1} - unless
     * {@code .bak1} already holds exactly the current file. That happens when the last save failed
     * (or is being retried on a full disk every second): rotating again each time would push the
     * older, different backups out one by one until all of them were copies of the same file.
     */
    private void rotateBackups(byte[] currentDigest) throws IOException {
        Path newest = backup(1);
        if (Files.isRegularFile(newest) && Arrays.equals(sha256(Files.readAllBytes(newest)), currentDigest)) {
            return;
        }
        Files.deleteIfExists(backup(backups));
        for (int n = backups - 1; n >= 1; n--) {
            if (Files.exists(backup(n))) {
                Files.move(backup(n), backup(n + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        try {
            // A second name for the current file: the atomic rename that follows then leaves it as the backup.
            Files.createLink(backup(1), file);
        } catch (IOException | UnsupportedOperationException e) {
            Files.copy(file, backup(1), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static byte[] readBytes(Path f) throws ProjectFileException {
        try {
            return Files.readAllBytes(f);
        } catch (NoSuchFileException e) {
            throw new ProjectFileException(f, "file does not exist", e);
        } catch (IOException e) {
            throw new ProjectFileException(f, "cannot be read (" + e.getMessage() + ")", e);
        }
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
