package org.robustsam.studio.annotate.project;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Autosave survives kill -9: a separate JVM edits a project with autosave on, is killed with
 * SIGKILL mid-stream, and the project on disk must hold every edit made more than the autosave
 * delay (plus an allowance for the write itself) before the kill, with no torn state.
 */
class AnnotAutosaveCrashTest {
    private static final long DELAY_MS = 300;
    /** A save starts at most DELAY_MS after an edit; this covers writing it (and a stalled JVM) on a busy 2-core machine. */
    private static final long WRITE_ALLOWANCE_MS = 500;
    private static final int EDITS_BEFORE_KILL = 100;

    @TempDir
    Path dir;

    private record Edit(long id, long receivedNanos) {}

    @Test
    void everyEditOlderThanTheAutosaveDelaySurvivesSigkill() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path childErr = dir.resolveSibling(dir.getFileName() + "-child-stderr.txt");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                AutosaveCrashChild.class.getName(), dir.toString(), Long.toString(DELAY_MS), "15")
                .redirectError(childErr.toFile());
        Process child = pb.start();
        List<Edit> edits = new ArrayList<>();
        long killNanos;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line = out.readLine();
            assertNotNull(line, () -> "child exited before starting: " + readQuietly(childErr));
            assertTrue(line.startsWith("READY"), line);
            while (edits.size() < EDITS_BEFORE_KILL && (line = out.readLine()) != null) {
                edits.add(new Edit(Long.parseLong(line.substring("EDIT ".length())), System.nanoTime()));
            }
            killNanos = System.nanoTime();
            child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no flush, no close
        }
        assertTrue(child.waitFor(30, TimeUnit.SECONDS), "child did not die");
        assertEquals(EDITS_BEFORE_KILL, edits.size(), () -> "child stopped early: " + readQuietly(childErr));

        // The crash marker is left behind and recovery sees a crash with a readable autosave.
        assertTrue(Files.exists(SessionLock.fileIn(dir)), "the session lock marks the crash");
        Recovery.Report report = Recovery.check(dir);
        assertTrue(report.crashed(), report.describe());
        assertTrue(report.main().readable(), report.describe());

        ProjectFile file = new ProjectFile(dir);
        Project recovered = file.load();
        Set<Long> saved = new TreeSet<>();
        recovered.image("photo.png").orElseThrow().objects().forEach(o -> saved.add(o.id()));
        long cutoff = killNanos - TimeUnit.MILLISECONDS.toNanos(DELAY_MS + WRITE_ALLOWANCE_MS);
        int mustSurvive = 0;
        long newestSavedAgeMs = -1;
        for (Edit e : edits) {
            if (e.receivedNanos() < cutoff) {
                mustSurvive++;
                assertTrue(saved.contains(e.id()), "edit " + e.id() + " was made "
                        + TimeUnit.NANOSECONDS.toMillis(killNanos - e.receivedNanos()) + " ms before the kill but is not on disk");
            }
            if (saved.contains(e.id())) {
                newestSavedAgeMs = TimeUnit.NANOSECONDS.toMillis(killNanos - e.receivedNanos());
            }
        }
        assertTrue(mustSurvive > 10, "the test must have edits old enough to check, had " + mustSurvive);
        // Saves are snapshots: what is on disk is exactly the first k edits, never a gap.
        List<Long> expectedPrefix = edits.stream().map(Edit::id).filter(saved::contains).toList();
        assertEquals(edits.subList(0, expectedPrefix.size()).stream().map(Edit::id).toList(), expectedPrefix);
        assertEquals(saved.size(), expectedPrefix.size());
        System.out.printf("autosave crash test: %d edits, %d older than %d ms all saved, %d on disk, newest saved edit %d ms before the kill%n",
                edits.size(), mustSurvive, DELAY_MS + WRITE_ALLOWANCE_MS, saved.size(), newestSavedAgeMs);

        // A restart takes over the stale lock, keeps working, and a clean close removes the marker.
        try (Autosaver again = Autosaver.start(recovered, file, Duration.ofMillis(50), null)) {
            recovered.setStatus("other.png", ImageStatus.SKIPPED);
        }
        assertFalse(Files.exists(SessionLock.fileIn(dir)));
        assertEquals(ImageStatus.SKIPPED, new ProjectFile(dir).load().image("other.png").orElseThrow().status());
        assertFalse(Recovery.check(dir).needsAttention());
        try (var listing = Files.list(dir)) {
            assertTrue(listing.noneMatch(f -> f.getFileName().toString().contains(".kept-")), "our own autosave is never kept aside");
        }
        Files.deleteIfExists(childErr);
    }

    private static String readQuietly(Path f) {
        try {
            return Files.readString(f);
        } catch (Exception e) {
            return "(no stderr: " + e + ")";
        }
    }
}
