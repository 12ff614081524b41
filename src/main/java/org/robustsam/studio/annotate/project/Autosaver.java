package org.robustsam.studio.annotate.project;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Saves a project in the background after it changes, so a crash loses at most the last
 * {@code delay} of work. The first change after a save schedules a write {@code delay} later;
 * further changes ride along instead of pushing it back, so a steady stream of edits is still
 * saved every {@code delay} (a pure debounce could postpone saving forever). Writes go through
 * {@link ProjectFile#save} (atomic, with rolling backups) on one background thread, from a
 * {@link Project#snapshot()}, so the editing thread never waits for the disk.
 *
 * <p>While running it holds the {@link SessionLock}; {@link #close()} saves what is pending and
 * removes the lock, so only a crash leaves the lock behind.
 */
public final class Autosaver implements ProjectListener, AutoCloseable {
    /** Hears about saves; both methods run on the saver thread. */
    public interface Observer {
        default void saved(Instant when, long changesSaved) {}

        default void saveFailed(Exception error) {}
    }

    public static final Duration DEFAULT_DELAY = Duration.ofSeconds(1);

    private final Project project;
    private final ProjectFile file;
    private final Duration delay;
    private final Observer observer;
    private final SessionLock lock;
    private final ScheduledExecutorService worker;
    private final AtomicLong changes = new AtomicLong(); // changes made so far
    private volatile long savedChanges;                   // changes included in the last successful save
    private ScheduledFuture<?> pending;                    // guarded by this
    private boolean closed;                                // guarded by this

    private Autosaver(Project project, ProjectFile file, Duration delay, Observer observer, SessionLock lock) {
        this.project = project;
        this.file = file;
        this.delay = delay;
        this.observer = observer;
        this.lock = lock;
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "project-autosave");
            t.setDaemon(true);
            return t;
        });
    }

    /** Takes the session lock and starts listening to {@code project}. */
    public static Autosaver start(Project project, ProjectFile file, Duration delay, Observer observer) throws ProjectFileException {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("autosave delay must not be negative, got " + delay);
        }
        SessionLock lock = SessionLock.acquire(file.folder());
        Autosaver saver = new Autosaver(project, file, delay, observer == null ? new Observer() {} : observer, lock);
        project.addListener(saver);
        return saver;
    }

    public Duration delay() {
        return delay;
    }

    /** True when every change so far is on disk. */
    public boolean isSaved() {
        return savedChanges == changes.get();
    }

    @Override
    public void projectChanged(ProjectChange change) {
        changes.incrementAndGet();
        scheduleIfIdle();
    }

    private synchronized void scheduleIfIdle() {
        if (!closed && (pending == null || pending.isDone())) {
            pending = worker.schedule(this::saveInBackground, delay.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void saveInBackground() {
        try {
            saveNow();
        } catch (Exception e) {
            observer.saveFailed(e);
        }
        synchronized (this) {
            pending = null;
        }
        if (!isSaved()) {
            scheduleIfIdle(); // changes made during the write, or a retry after a failure
        }
    }

    /** Runs on the worker thread only, so saves never overlap. */
    private void saveNow() throws IOException {
        long upTo = changes.get(); // read before the snapshot: the snapshot holds at least these changes
        if (upTo == savedChanges) {
            return;
        }
        file.save(project.snapshot());
        savedChanges = upTo;
        observer.saved(Instant.now(), upTo);
    }

    /** Saves everything now and waits for it (menu "Save", closing a project). */
    public void flush() throws IOException {
        try {
            worker.submit(() -> {
                saveNow();
                return null;
            }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while saving " + file.file(), e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof IOException io ? io : new IOException("cannot save " + file.file() + ": " + c, c);
        }
    }

    /** Saves what is pending, stops, and removes the session lock (a clean close); if the save fails the lock stays. */
    @Override
    public void close() throws IOException {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        project.removeListener(this);
        try {
            flush();
        } finally {
            worker.shutdown();
        }
        // Only a clean save removes the marker: after a failed one, the next start should offer recovery.
        lock.close();
    }
}
