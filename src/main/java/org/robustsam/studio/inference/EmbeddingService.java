package org.robustsam.studio.inference;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.robustsam.studio.image.RgbImage;

/**
 * Computes image embeddings in the background for an interactive view: the photo on screen first,
 * then the next ones the user is likely to open (prefetch). Results reach the caller through the
 * callback executor (the UI passes its FX-thread executor), never on the worker thread.
 *
 * <p>One worker thread, because an encode already uses every core. A new request drops the queued
 * work of the previous one; an encode already running finishes (native ops cannot be interrupted)
 * and its result is cached, not delivered, if the user has moved on.
 */
public final class EmbeddingService implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EmbeddingService.class.getName());

    /** What the worker is doing, for a status bar. */
    public record Activity(String sourceId, boolean prefetch, boolean busy) {}

    private record Task(ImageSource source, long generation, boolean prefetch,
                        BiConsumer<ImageSource, ImageEmbedding> onReady, BiConsumer<ImageSource, Exception> onError,
                        CompletableFuture<ImageEmbedding> future) {}

    private final EmbeddingCache cache;
    private final Executor callbacks;
    private final Thread worker;
    private final Deque<Task> queue = new ArrayDeque<>();
    private volatile ImageEncoder encoder;
    private volatile Consumer<Activity> activityListener = a -> { };
    private long generation;
    private boolean closed;

    public EmbeddingService(ImageEncoder encoder, EmbeddingCache cache, Executor callbacks) {
        this.encoder = Objects.requireNonNull(encoder);
        this.cache = Objects.requireNonNull(cache);
        this.callbacks = Objects.requireNonNull(callbacks);
        this.worker = new Thread(this::runWorker, "embedding-service");
        this.worker.setDaemon(true);
        this.worker.start();
    }

    public void setActivityListener(Consumer<Activity> listener) {
        this.activityListener = listener == null ? a -> { } : listener;
    }

    /** Switches the model; queued work for the old one is dropped. */
    public synchronized void setEncoder(ImageEncoder newEncoder) {
        this.encoder = Objects.requireNonNull(newEncoder);
        generation++;
        queue.clear();
    }

    public ImageEncoder encoder() {
        return encoder;
    }

    /**
     * The user is looking at {@code current}: embed it first (from the cache when possible), then
     * warm the cache for {@code prefetch}. {@code onReady}/{@code onError} are called on the
     * callback executor, for {@code current} only, and only if no newer request came meanwhile.
     */
    public synchronized void request(ImageSource current, List<ImageSource> prefetch,
                                     BiConsumer<ImageSource, ImageEmbedding> onReady,
                                     BiConsumer<ImageSource, Exception> onError) {
        ensureOpen();
        generation++;
        queue.clear();
        queue.add(new Task(current, generation, false, onReady, onError, new CompletableFuture<>()));
        for (ImageSource p : prefetch) {
            queue.add(new Task(p, generation, true, null, null, new CompletableFuture<>()));
        }
        notifyAll();
    }

    /** Adds prefetch work without cancelling anything (e.g. batch embedding). */
    public synchronized CompletableFuture<ImageEmbedding> submit(ImageSource source) {
        ensureOpen();
        Task t = new Task(source, -1, true, null, null, new CompletableFuture<>());
        queue.add(t);
        notifyAll();
        return t.future();
    }

    /** Drops queued work (the running encode still finishes into the cache). */
    public synchronized void cancelPending() {
        generation++;
        for (Task t : queue) {
            t.future().cancel(false);
        }
        queue.clear();
    }

    private synchronized Task next() throws InterruptedException {
        while (queue.isEmpty() && !closed) {
            wait();
        }
        return closed ? null : queue.poll();
    }

    private synchronized boolean isCurrent(Task t) {
        return t.generation() == generation || t.generation() < 0;
    }

    private void runWorker() {
        while (true) {
            Task task;
            try {
                task = next();
            } catch (InterruptedException e) {
                return;
            }
            if (task == null) {
                return;
            }
            if (!isCurrent(task)) {
                task.future().cancel(false);
                continue;
            }
            ImageEncoder enc = encoder;
            activityListener.accept(new Activity(task.source().id(), task.prefetch(), true));
            try {
                ImageEmbedding e = embedNow(task.source(), enc);
                task.future().complete(e);
                if (task.onReady() != null && isCurrent(task)) {
                    callbacks.execute(() -> {
                        if (isCurrent(task)) {
                            task.onReady().accept(task.source(), e);
                        }
                    });
                }
            } catch (Exception ex) {
                task.future().completeExceptionally(ex);
                if (task.onError() != null && isCurrent(task)) {
                    callbacks.execute(() -> task.onError().accept(task.source(), ex));
                } else if (task.prefetch()) {
                    LOG.log(Level.FINE, "prefetch of " + task.source().id() + " failed: " + ex.getMessage());
                }
            } catch (OutOfMemoryError oom) {
                InferenceException ex = new InferenceException(task.source().id() + ": not enough memory to encode this image");
                task.future().completeExceptionally(ex);
                if (task.onError() != null) {
                    callbacks.execute(() -> task.onError().accept(task.source(), ex));
                }
            } finally {
                activityListener.accept(new Activity(task.source().id(), task.prefetch(), false));
            }
        }
    }

    /** Cache first, encoder otherwise; the result is cached under the image's content digest. */
    private ImageEmbedding embedNow(ImageSource source, ImageEncoder enc) throws Exception {
        RgbImage image = source.loader().load();
        EmbeddingCache.Key key = new EmbeddingCache.Key(ImageDigest.of(image), enc.modelKey());
        var cached = cache.get(key);
        if (cached.isPresent()) {
            return cached.get();
        }
        ImageEmbedding e = enc.encode(image);
        cache.put(key, e);
        return e;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("embedding service is closed");
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            queue.clear();
            notifyAll();
        }
        try {
            worker.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
