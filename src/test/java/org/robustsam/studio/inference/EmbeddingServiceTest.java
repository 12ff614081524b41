package org.robustsam.studio.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EmbeddingServiceTest {
    /** Callbacks run on this single "UI" thread, like Platform::runLater. */
    private final java.util.concurrent.ExecutorService ui = java.util.concurrent.Executors.newSingleThreadExecutor(r -> new Thread(r, "fake-ui"));
    private final Executor uiExecutor = ui::execute;

    @Test
    void deliversOnTheCallbackThreadAndPrefetchWarmsTheCache() throws Exception {
        CountingEncoder enc = new CountingEncoder("m");
        EmbeddingCache cache = EmbeddingCache.memoryOnly(1 << 24);
        BlockingQueue<String> delivered = new LinkedBlockingQueue<>();
        try (EmbeddingService service = new EmbeddingService(enc, cache, uiExecutor)) {
            service.request(ImageSource.ofImage("a", CountingEncoder.image(1)),
                    List.of(ImageSource.ofImage("b", CountingEncoder.image(2)), ImageSource.ofImage("c", CountingEncoder.image(3))),
                    (src, e) -> delivered.add(src.id() + "@" + Thread.currentThread().getName()),
                    (src, ex) -> delivered.add("error " + ex));
            assertEquals("a@fake-ui", delivered.poll(10, TimeUnit.SECONDS));
            waitUntil(() -> enc.calls.get() == 3);
            // The prefetched image is served from the cache: no new encode.
            service.request(ImageSource.ofImage("b", CountingEncoder.image(2)), List.of(),
                    (src, e) -> delivered.add(src.id()), (src, ex) -> delivered.add("error " + ex));
            assertEquals("b", delivered.poll(10, TimeUnit.SECONDS));
            assertEquals(3, enc.calls.get());
        }
    }

    @Test
    void aNewRequestDropsQueuedWorkAndStaleResultsAreNotDelivered() throws Exception {
        CountingEncoder enc = new CountingEncoder("m");
        enc.gate = new CountDownLatch(1);
        BlockingQueue<String> delivered = new LinkedBlockingQueue<>();
        try (EmbeddingService service = new EmbeddingService(enc, EmbeddingCache.memoryOnly(1 << 24), uiExecutor)) {
            service.request(ImageSource.ofImage("first", CountingEncoder.image(1)),
                    List.of(ImageSource.ofImage("p1", CountingEncoder.image(11)), ImageSource.ofImage("p2", CountingEncoder.image(12))),
                    (src, e) -> delivered.add(src.id()), (src, ex) -> delivered.add("error"));
            waitUntil(() -> enc.calls.get() == 1); // "first" is encoding, held by the gate
            service.request(ImageSource.ofImage("second", CountingEncoder.image(2)), List.of(),
                    (src, e) -> delivered.add(src.id()), (src, ex) -> delivered.add("error"));
            enc.gate.countDown();
            assertEquals("second", delivered.poll(10, TimeUnit.SECONDS));
            Thread.sleep(200);
            assertTrue(delivered.isEmpty(), "stale result delivered: " + delivered);
            assertEquals(2, enc.calls.get(), "queued prefetch of the old request must be dropped");
        }
    }

    @Test
    void loadErrorsReachTheCallerWithTheMessage() throws Exception {
        BlockingQueue<String> errors = new LinkedBlockingQueue<>();
        try (EmbeddingService service = new EmbeddingService(new CountingEncoder("m"), EmbeddingCache.memoryOnly(1 << 20), uiExecutor)) {
            service.request(new ImageSource("bad.jpg", () -> {
                throw new IOException("bad.jpg: file is empty (0 bytes)");
            }), List.of(), (s, e) -> errors.add("ok"), (s, ex) -> errors.add(ex.getMessage()));
            assertEquals("bad.jpg: file is empty (0 bytes)", errors.poll(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void switchingTheModelUsesTheNewEncoderAndCacheKey() throws Exception {
        CountingEncoder a = new CountingEncoder("A");
        CountingEncoder b = new CountingEncoder("B");
        BlockingQueue<ImageEmbedding> got = new LinkedBlockingQueue<>();
        try (EmbeddingService service = new EmbeddingService(a, EmbeddingCache.memoryOnly(1 << 24), uiExecutor)) {
            ImageSource img = ImageSource.ofImage("x", CountingEncoder.image(4));
            service.request(img, List.of(), (s, e) -> got.add(e), (s, ex) -> { });
            ImageEmbedding fromA = got.poll(10, TimeUnit.SECONDS);
            service.setEncoder(b);
            service.request(img, List.of(), (s, e) -> got.add(e), (s, ex) -> { });
            ImageEmbedding fromB = got.poll(10, TimeUnit.SECONDS);
            assertEquals("A", fromA.modelKey());
            assertEquals("B", fromB.modelKey());
            assertNotEquals(fromA, fromB);
            assertEquals(1, b.calls.get());
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier c) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met in 10 s");
            }
            Thread.sleep(5);
        }
    }
}
