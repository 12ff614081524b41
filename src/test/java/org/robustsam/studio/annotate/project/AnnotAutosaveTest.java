package org.robustsam.studio.annotate.project;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnnotAutosaveTest {
    @TempDir
    Path dir;

    private static final class Counting implements Autosaver.Observer {
        final AtomicInteger saves = new AtomicInteger();
        final List<Exception> failures = new CopyOnWriteArrayList<>();

        @Override
        public void saved(Instant when, long changesSaved) {
            saves.incrementAndGet();
        }

        @Override
        public void saveFailed(Exception error) {
            failures.add(error);
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier done, long timeoutMs) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!done.getAsBoolean() && System.nanoTime() < end) {
            Thread.sleep(10);
        }
    }

    @Test
    void aBurstOfEditsIsWrittenOnceAfterTheDelay() throws Exception {
        Project p = ProjectFixtures.twoImages(dir);
        ProjectFile file = new ProjectFile(dir);
        Counting obs = new Counting();
        try (Autosaver saver = Autosaver.start(p, file, Duration.ofMillis(400), obs)) {
            for (int i = 0; i < 30; i++) {
                p.setStatus("sub/b.png", i % 2 == 0 ? ImageStatus.SKIPPED : ImageStatus.TODO);
            }
            assertFalse(saver.isSaved());
            assertFalse(file.exists(), "nothing is written before the delay");
            waitUntil(saver::isSaved, 5000);
            assertTrue(saver.isSaved());
            assertEquals(1, obs.saves.get(), "30 quick edits, one write");
            assertEquals(p.snapshot(), new ProjectFile(dir).load().snapshot());
        }
        assertTrue(obs.failures.isEmpty(), obs.failures.toString());
    }

    @Test
    void aSteadyStreamOfEditsIsStillSavedEveryDelay() throws Exception {
        Project p = ProjectFixtures.twoImages(dir);
        Counting obs = new Counting();
        try (Autosaver saver = Autosaver.start(p, new ProjectFile(dir), Duration.ofMillis(100), obs)) {
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1000);
            int i = 0;
            while (System.nanoTime() < end) {
                p.setStatus("sub/b.png", i++ % 2 == 0 ? ImageStatus.SKIPPED : ImageStatus.TODO);
                Thread.sleep(20); // faster than the delay: a pure debounce would never save
            }
            assertTrue(obs.saves.get() >= 4, "saves during 1 s of edits every 20 ms with a 100 ms delay: " + obs.saves.get());
        }
    }

    @Test
    void closeSavesPendingEditsAndRemovesTheLock() throws Exception {
        Project p = ProjectFixtures.twoImages(dir);
        Autosaver saver = Autosaver.start(p, new ProjectFile(dir), Duration.ofSeconds(60), null);
        assertTrue(Files.exists(SessionLock.fileIn(dir)));
        assertEquals(Recovery.LockState.LIVE, Recovery.check(dir).lock(), "our own running session");
        p.setStatus("sub/b.png", ImageStatus.DONE);
        saver.close();
        assertFalse(Files.exists(SessionLock.fileIn(dir)));
        assertEquals(ImageStatus.DONE, new ProjectFile(dir).load().image("sub/b.png").orElseThrow().status());
    }

    @Test
    void aFailedSaveIsReportedAndRetried() throws Exception {
        Project p = ProjectFixtures.twoImages(dir);
        ProjectFile file = new ProjectFile(dir);
        Counting obs = new Counting();
        Path tmp = AtomicFiles.tempFor(file.file());
        Files.createDirectory(tmp); // the temp file cannot be created: every save fails
        try (Autosaver saver = Autosaver.start(p, file, Duration.ofMillis(50), obs)) {
            p.setStatus("a.jpg", ImageStatus.SKIPPED);
            waitUntil(() -> !obs.failures.isEmpty(), 5000);
            assertFalse(obs.failures.isEmpty());
            assertFalse(saver.isSaved());
            Files.delete(tmp);
            waitUntil(saver::isSaved, 5000);
            assertTrue(saver.isSaved(), "retried after the failure without a new edit");
        }
        assertEquals(ImageStatus.SKIPPED, new ProjectFile(dir).load().image("a.jpg").orElseThrow().status());
    }

    @Test
    void aStaleLockIsACrashAndALiveOneBlocksASecondSession() throws Exception {
        Process finished = new ProcessBuilder("true").start();
        finished.waitFor();
        writeLock(finished.pid(), null);
        Recovery.Report r = Recovery.check(dir);
        assertEquals(Recovery.LockState.STALE, r.lock());
        assertTrue(r.crashed());
        assertTrue(r.describe().startsWith("The last session on this project did not close normally (process " + finished.pid()), r.describe());
        Autosaver.start(Project.create(dir), new ProjectFile(dir), Duration.ofMillis(10), null).close();

        Process other = new ProcessBuilder("sleep", "60").start();
        try {
            writeLock(other.pid(), other.info().startInstant().map(Instant::toString).orElse(null));
            assertEquals(Recovery.LockState.LIVE, Recovery.check(dir).lock());
            ProjectFileException e = assertThrows(ProjectFileException.class,
                    () -> Autosaver.start(Project.create(dir), new ProjectFile(dir), Duration.ofMillis(10), null));
            assertTrue(e.getMessage().contains("open in another RobustSAM Studio (process " + other.pid()), e.getMessage());
            // Same pid but another start time: the pid was reused, the lock is stale.
            writeLock(other.pid(), "2001-01-01T00:00:00Z");
            assertEquals(Recovery.LockState.STALE, Recovery.check(dir).lock());
        } finally {
            other.destroyForcibly();
        }
    }

    private void writeLock(long pid, String start) throws IOException {
        String json = "{\"pid\": " + pid + ", \"processStart\": " + (start == null ? "null" : "\"" + start + "\"")
                + ", \"host\": \"" + java.net.InetAddress.getLocalHost().getHostName() + "\", \"openedAt\": \"2025-01-01T00:00:00Z\"}";
        Files.writeString(SessionLock.fileIn(dir), json, StandardCharsets.UTF_8);
    }
}
