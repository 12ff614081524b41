package org.robustsam.studio.model.manager;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.robustsam.studio.model.registry.ModelEntry;

/** The downloader against a real HTTP server on 127.0.0.1 that misbehaves on purpose. */
class ModelDownloaderTest {
    private static final byte[] BLOB = new byte[300_000];

    static {
        new Random(42).nextBytes(BLOB);
    }

    @TempDir
    Path dir;

    private HttpServer server;
    private final List<String> rangesSeen = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    /** Bytes after which the first response is cut off (-1: never). */
    private volatile int dropFirstAfter = -1;
    private final ModelDownloader downloader =
            new ModelDownloader(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), Duration.ofSeconds(2));

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/model.pth", this::serveBlob);
        server.createContext("/missing.pth", ex -> reply(ex, 404));
        server.createContext("/broken.pth", ex -> reply(ex, 503));
        server.createContext("/slow.pth", this::serveSlowly);
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private void serveBlob(HttpExchange ex) throws IOException {
        int n = requests.incrementAndGet();
        String range = ex.getRequestHeaders().getFirst("Range");
        rangesSeen.add(range == null ? "none" : range);
        int start = 0;
        if (range != null && range.startsWith("bytes=")) {
            start = Integer.parseInt(range.substring(6, range.indexOf('-')));
            ex.getResponseHeaders().add("Content-Range", "bytes " + start + "-" + (BLOB.length - 1) + "/" + BLOB.length);
            ex.sendResponseHeaders(206, BLOB.length - start);
        } else {
            ex.sendResponseHeaders(200, BLOB.length);
        }
        try (OutputStream out = ex.getResponseBody()) {
            int end = BLOB.length;
            if (n == 1 && dropFirstAfter >= 0) {
                end = dropFirstAfter;
            }
            out.write(BLOB, start, end - start);
            out.flush();
            if (end < BLOB.length) {
                throw new IOException("simulated drop");
            }
        }
    }

    private void serveSlowly(HttpExchange ex) throws IOException {
        ex.sendResponseHeaders(200, BLOB.length);
        try (OutputStream out = ex.getResponseBody()) {
            for (int i = 0; i < 100; i++) {
                out.write(BLOB, i, 1);
                out.flush();
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException expected) {
            // client went away
        }
    }

    private static void reply(HttpExchange ex, int status) throws IOException {
        ex.sendResponseHeaders(status, -1);
        ex.close();
    }

    private static String sha(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void fullDownloadIsVerifiedAndMovedIntoPlace() throws Exception {
        Path target = dir.resolve("m.pth");
        List<DownloadProgress> seen = new ArrayList<>();
        downloader.download(url("/model.pth"), target, sha(BLOB), BLOB.length, seen::add, new CancelToken());
        assertArrayEquals(BLOB, Files.readAllBytes(target));
        assertFalse(Files.exists(ModelDownloader.partialFile(target)));
        DownloadProgress last = seen.get(seen.size() - 1);
        assertEquals(BLOB.length, last.bytesDone());
        assertEquals(1.0, last.fraction());
    }

    @Test
    void resumesWithARangeRequestAfterTheServerDropsMidFile() throws Exception {
        dropFirstAfter = 120_000;
        Path target = dir.resolve("m.pth");
        DownloadException first = assertThrows(DownloadException.class,
                () -> downloader.download(url("/model.pth"), target, sha(BLOB), BLOB.length, p -> { }, new CancelToken()));
        assertTrue(first.getMessage().startsWith("m.pth: connection"), first.getMessage());
        assertFalse(Files.exists(target), "an interrupted download must not look finished");
        long kept = Files.size(ModelDownloader.partialFile(target));
        assertTrue(kept > 0 && kept <= 120_000, "kept " + kept);
        ModelStore store = new ModelStore(dir);
        ModelEntry entry = new ModelEntry("m", "SAM", "vit_b", "m.pth", "x", sha(BLOB), BLOB.length);
        assertEquals(ModelState.PARTIAL, store.stateOf(entry));

        downloader.download(url("/model.pth"), target, sha(BLOB), BLOB.length, p -> { }, new CancelToken());
        assertEquals("bytes=" + kept + "-", rangesSeen.get(1));
        assertArrayEquals(BLOB, Files.readAllBytes(target));
        assertEquals(ModelState.READY, store.stateOf(entry));
    }

    @Test
    void wrongChecksumIsRejectedAndThePartialFileRemoved() throws Exception {
        Path target = dir.resolve("m.pth");
        String wrong = "0".repeat(64);
        DownloadException e = assertThrows(DownloadException.class,
                () -> downloader.download(url("/model.pth"), target, wrong, BLOB.length, p -> { }, new CancelToken()));
        assertTrue(e.getMessage().contains("checksum mismatch") && e.getMessage().contains(sha(BLOB)), e.getMessage());
        assertFalse(Files.exists(target));
        assertFalse(Files.exists(ModelDownloader.partialFile(target)));
    }

    @Test
    void notFoundAndServerErrorsGiveClearMessages() {
        Path target = dir.resolve("x.pth");
        DownloadException e404 = assertThrows(DownloadException.class,
                () -> downloader.download(url("/missing.pth"), target, null, 0, p -> { }, new CancelToken()));
        assertTrue(e404.getMessage().startsWith("x.pth: not found on the server (HTTP 404)"), e404.getMessage());
        DownloadException e503 = assertThrows(DownloadException.class,
                () -> downloader.download(url("/broken.pth"), target, null, 0, p -> { }, new CancelToken()));
        assertTrue(e503.getMessage().contains("server error (HTTP 503)"), e503.getMessage());
        assertFalse(Files.exists(target));
    }

    @Test
    void cancelStopsASlowDownloadPromptlyAndKeepsThePartForResume() throws Exception {
        Path target = dir.resolve("slow.pth");
        CancelToken cancel = new CancelToken();
        Thread canceller = new Thread(() -> {
            try {
                Thread.sleep(700);
            } catch (InterruptedException ignored) {
                return;
            }
            cancel.cancel();
        });
        canceller.start();
        long t0 = System.nanoTime();
        DownloadException e = assertThrows(DownloadException.class,
                () -> downloader.download(url("/slow.pth"), target, null, BLOB.length, p -> { }, cancel));
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(e.getMessage().contains("cancelled"), e.getMessage());
        assertTrue(seconds < 3, "cancel took " + seconds + " s");
        assertFalse(Files.exists(target));
    }

    @Test
    void unreachableServerIsNamed() {
        int closedPort = server.getAddress().getPort();
        server.stop(0);
        DownloadException e = assertThrows(DownloadException.class, () -> downloader.download(
                URI.create("http://127.0.0.1:" + closedPort + "/model.pth"), dir.resolve("m.pth"), null, 0, p -> { }, new CancelToken()));
        assertTrue(e.getMessage().startsWith("m.pth: cannot reach 127.0.0.1"), e.getMessage());
    }
}
