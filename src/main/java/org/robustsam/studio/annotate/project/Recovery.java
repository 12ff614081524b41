package org.robustsam.studio.annotate.project;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What can be recovered in a project folder at start-up: whether the last session ended without
 * closing (its {@link SessionLock} is still there and its process is gone), whether
 * {@code project.json} reads, and which other copies (the temp file of an interrupted save, the
 * backups) read and how much they hold. The app shows this and lets the user pick; nothing here
 * changes files except {@link #restore}.
 */
public final class Recovery {
    private Recovery() {}

    public enum LockState { NONE, STALE, LIVE }

    public enum Kind { MAIN, TEMP, BACKUP }

    /** One file that might hold the project. {@code problem} is null when it reads. */
    public record Candidate(Path file, Kind kind, Instant modified, String problem, int images, int objects) {
        public boolean readable() {
            return problem == null;
        }
    }

    public record Report(Path folder, LockState lock, Optional<SessionLock.Owner> lockOwner, Candidate main,
                         List<Candidate> alternatives) {
        /** The last session did not close cleanly. */
        public boolean crashed() {
            return lock == LockState.STALE;
        }

        /** Something to show the user: a crash, or a project file that does not read. */
        public boolean needsAttention() {
            return crashed() || (main != null && !main.readable());
        }

        /** The newest readable copy, the main file first when it reads. */
        public Optional<Candidate> best() {
            if (main != null && main.readable()) {
                // An interrupted save's temp file can be newer than the main file and complete.
                Optional<Candidate> newerTemp = alternatives.stream()
                        .filter(c -> c.kind() == Kind.TEMP && c.readable() && c.modified().isAfter(main.modified()))
                        .findFirst();
                return newerTemp.isPresent() ? newerTemp : Optional.of(main);
            }
            return alternatives.stream().filter(Candidate::readable).max(Comparator.comparing(Candidate::modified));
        }

        /** A few lines for the recovery dialog. */
        public String describe() {
            StringBuilder s = new StringBuilder();
            if (crashed()) {
                s.append("The last session on this project did not close normally");
                lockOwner.ifPresent(o -> s.append(" (process ").append(o.pid()).append(", opened ").append(o.openedAt()).append(')'));
                s.append(".\n");
            }
            if (main == null) {
                s.append(ProjectFile.FILE_NAME).append(" is missing.\n");
            } else if (!main.readable()) {
                s.append("The project file cannot be read: ").append(main.problem()).append('\n');
            } else {
                s.append("Last autosave: ").append(main.modified()).append(", ").append(main.objects()).append(" objects on ")
                        .append(main.images()).append(" images.\n");
            }
            best().filter(b -> b != main).ifPresent(b -> s.append("Recoverable: ").append(b.file().getFileName())
                    .append(" (").append(b.modified()).append(", ").append(b.objects()).append(" objects).\n"));
            return s.toString();
        }
    }

    public static Report check(Path folder) {
        ProjectFile pf = new ProjectFile(folder);
        Optional<SessionLock.Owner> owner = SessionLock.read(pf.folder());
        LockState lock = owner.isEmpty() ? LockState.NONE : owner.get().isAlive() ? LockState.LIVE : LockState.STALE;
        Candidate main = Files.exists(pf.file()) ? inspect(pf.file(), Kind.MAIN, pf.folder()) : null;
        List<Candidate> alternatives = new ArrayList<>();
        Path tmp = AtomicFiles.tempFor(pf.file());
        if (Files.exists(tmp)) {
            alternatives.add(inspect(tmp, Kind.TEMP, pf.folder()));
        }
        for (int n = 1; Files.exists(pf.backup(n)); n++) {
            alternatives.add(inspect(pf.backup(n), Kind.BACKUP, pf.folder()));
        }
        return new Report(pf.folder(), lock, owner, main, alternatives);
    }

    /**
     * Makes {@code candidate} the project file. The current project file, if any and different,
     * is kept as {@code project.json.corrupt-<time>} first, so restoring never loses a version.
     * Returns the kept file, or null when there was none to keep.
     */
    public static Path restore(Path folder, Candidate candidate) throws IOException {
        if (!candidate.readable()) {
            throw new ProjectFileException(candidate.file(), "cannot restore from a file that does not read: " + candidate.problem());
        }
        ProjectFile pf = new ProjectFile(folder);
        if (candidate.file().equals(pf.file())) {
            return null;
        }
        byte[] restored = Files.readAllBytes(candidate.file());
        Path kept = null;
        if (Files.exists(pf.file())) {
            String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS"));
            kept = pf.folder().resolve(ProjectFile.FILE_NAME + ".corrupt-" + stamp);
            AtomicFiles.write(kept, Files.readAllBytes(pf.file()));
        }
        AtomicFiles.write(pf.file(), restored);
        return kept;
    }

    private static Candidate inspect(Path file, Kind kind, Path folder) {
        Instant modified;
        try {
            modified = Files.getLastModifiedTime(file).toInstant();
        } catch (IOException e) {
            modified = Instant.EPOCH;
        }
        try {
            ProjectSnapshot s = ProjectFile.read(file, folder).snapshot();
            return new Candidate(file, kind, modified, null, s.images().size(), s.objectCount());
        } catch (ProjectFileException e) {
            return new Candidate(file, kind, modified, e.getMessage(), 0, 0);
        }
    }
}
