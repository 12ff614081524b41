package org.robustsam.studio.model.manager;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.robustsam.studio.annotate.project.AtomicFiles;

/**
 * Downloads a model file the safe way: into {@code <file>.partial}, resuming with an HTTP Range
 * request when a partial file exists, checking size and SHA-256, and only then moving it atomically
 * to its final name. A file under its final name is therefore always complete and verified.
 */
public final class ModelDownloader {
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
    private static final int BUFFER = 1 << 16;

    private final HttpClient client;
    private final Duration stallTimeout;

    public ModelDownloader() {
        this(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(20)).build(),
                Duration.ofSeconds(60));
    }

    /**
     * @param stallTimeout how long the server may send nothing before the download is abandoned
     *     (the partial file stays, so the next try resumes)
     */
    public ModelDownloader(HttpClient client, Duration stallTimeout) {
        this.client = client;
        this.stallTimeout = stallTimeout;
    }

    public static Path partialFile(Path target) {
        return target.resolveSibling(target.getFileName() + ".partial");
    }

    /**
     * @param expectedSha256 lower-case hex, or null when the publisher gives none
     * @param expectedBytes the file's size when known, else 0
     */
    public void download(URI url, Path target, String expectedSha256, long expectedBytes,
                         Consumer<DownloadProgress> progress, CancelToken cancel) throws DownloadException {
        String name = target.getFileName().toString();
        Path partial = partialFile(target);
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new DownloadException(name + ": cannot create folder " + target.toAbsolutePath().getParent() + " ("
                    + AtomicFiles.describe(e) + ")", e);
        }
        boolean retriedFromScratch = false;
        while (true) {
            try {
                fetchInto(url, partial, name, expectedBytes, progress, cancel);
                break;
            } catch (RangeNotSatisfiable e) {
                // The partial file is not a prefix the server can continue: start again, once.
                deleteQuietly(partial);
                if (retriedFromScratch) {
                    throw new DownloadException(name + ": server refused the download range twice (HTTP 416)");
                }
                retriedFromScratch = true;
            }
        }
        verifyAndPublish(partial, target, name, expectedSha256, expectedBytes);
    }

    /** Thrown internally when a Range request is answered 416. */
    private static final class RangeNotSatisfiable extends Exception {
        RangeNotSatisfiable() {
            super(null, null, false, false);
        }
    }

    private void fetchInto(URI url, Path partial, String name, long expectedBytes,
                           Consumer<DownloadProgress> progress, CancelToken cancel)
            throws DownloadException, RangeNotSatisfiable {
        long have = sizeOrZero(partial);
        if (expectedBytes > 0 && have == expectedBytes) {
            return; // a previous run got every byte but stopped before verifying
        }
        HttpRequest.Builder req = HttpRequest.newBuilder(url).GET().timeout(Duration.ofSeconds(60))
                .header("User-Agent", "RobustSAM-Studio");
        if (have > 0) {
            req.header("Range", "bytes=" + have + "-");
        }
        HttpResponse<InputStream> response;
        try {
            response = client.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new DownloadException(name + ": cannot reach " + url.getHost() + " (" + describe(e) + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DownloadException(name + ": download interrupted");
        }
        int status = response.statusCode();
        InputStream body = response.body();
        cancel.attach(body);
        long offset;
        long total;
        if (status == 206 && have > 0) {
            String range = response.headers().firstValue("Content-Range").orElse("");
            Matcher m = CONTENT_RANGE.matcher(range);
            if (!m.matches() || Long.parseLong(m.group(1)) != have) {
                CancelToken.closeQuietly(body);
                throw new DownloadException(name + ": server resumed at the wrong place (Content-Range '" + range + "', expected start " + have + ")");
            }
            offset = have;
            total = "*".equals(m.group(3)) ? expectedBytes : Long.parseLong(m.group(3));
        } else if (status == 200) {
            offset = 0; // server ignored the Range header: start over
            OptionalLong len = response.headers().firstValueAsLong("Content-Length");
            total = len.isPresent() ? len.getAsLong() : expectedBytes;
        } else if (status == 416) {
            CancelToken.closeQuietly(body);
            throw new RangeNotSatisfiable();
        } else {
            CancelToken.closeQuietly(body);
            throw new DownloadException(name + ": " + httpProblem(status) + " from " + url);
        }
        if (expectedBytes > 0 && total > 0 && total != expectedBytes) {
            CancelToken.closeQuietly(body);
            throw new DownloadException(name + ": server offers " + total + " bytes but the model registry expects " + expectedBytes);
        }
        copyBody(body, partial, offset, total, name, progress, cancel);
    }

    private void copyBody(InputStream body, Path partial, long offset, long total, String name,
                          Consumer<DownloadProgress> progress, CancelToken cancel) throws DownloadException {
        AtomicLong lastByteAt = new AtomicLong(System.nanoTime());
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "download-watchdog");
            t.setDaemon(true);
            return t;
        });
        boolean[] stalled = {false};
        ScheduledFuture<?> check = watchdog.scheduleAtFixedRate(() -> {
            if (System.nanoTime() - lastByteAt.get() > stallTimeout.toNanos()) {
                stalled[0] = true;
                CancelToken.closeQuietly(body);
            }
        }, 200, 200, TimeUnit.MILLISECONDS);
        long done = offset;
        OutputStream file;
        try {
            file = Files.newOutputStream(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    offset > 0 ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            CancelToken.closeQuietly(body);
            check.cancel(false);
            watchdog.shutdownNow();
            throw new DownloadException(name + ": cannot write " + partial + " (" + AtomicFiles.describe(e) + ")", e);
        }
        try (InputStream in = body; OutputStream out = file) {
            byte[] buf = new byte[BUFFER];
            long rateStart = System.nanoTime();
            long rateBytes = 0;
            double rate = 0;
            long lastReport = 0;
            while (true) {
                if (cancel.isCancelled()) {
                    throw new DownloadException(name + ": download cancelled (" + done + " bytes kept; it resumes next time)");
                }
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                lastByteAt.set(System.nanoTime());
                try {
                    out.write(buf, 0, n);
                } catch (IOException e) {
                    // Our disk, not the connection: say so, or the user waits for a network that is fine.
                    CancelToken.closeQuietly(body);
                    throw new DownloadException(name + ": cannot write " + partial + " (" + AtomicFiles.describe(e) + ") after "
                            + done + " bytes; free some space and download again, it resumes there", e);
                }
                done += n;
                rateBytes += n;
                long now = System.nanoTime();
                if (now - rateStart > 500_000_000L) {
                    double instant = rateBytes / ((now - rateStart) / 1e9);
                    rate = rate == 0 ? instant : 0.7 * rate + 0.3 * instant;
                    rateStart = now;
                    rateBytes = 0;
                }
                if (now - lastReport > 100_000_000L) {
                    progress.accept(new DownloadProgress(done, total, rate));
                    lastReport = now;
                }
            }
            progress.accept(new DownloadProgress(done, total, rate));
        } catch (DownloadException e) {
            throw e;
        } catch (IOException e) {
            if (cancel.isCancelled()) {
                throw new DownloadException(name + ": download cancelled (" + done + " bytes kept; it resumes next time)");
            }
            if (stalled[0]) {
                throw new DownloadException(name + ": server sent nothing for " + stallTimeout.toSeconds()
                        + " s; stopped at " + done + " bytes (it resumes next time)");
            }
            throw new DownloadException(name + ": connection lost at " + done + " of " + (total > 0 ? total : "?")
                    + " bytes (" + describe(e) + "); it resumes next time", e);
        } finally {
            check.cancel(false);
            watchdog.shutdownNow();
        }
        if (total > 0 && done < total) {
            throw new DownloadException(name + ": connection closed at " + done + " of " + total + " bytes; it resumes next time");
        }
    }

    private static void verifyAndPublish(Path partial, Path target, String name, String expectedSha256, long expectedBytes)
            throws DownloadException {
        long size = sizeOrZero(partial);
        if (expectedBytes > 0 && size != expectedBytes) {
            deleteQuietly(partial);
            throw new DownloadException(name + ": downloaded " + size + " bytes, expected " + expectedBytes + "; the file was removed");
        }
        if (expectedSha256 != null && !expectedSha256.isBlank()) {
            String actual;
            try {
                actual = sha256(partial);
            } catch (IOException e) {
                throw new DownloadException(name + ": cannot read the downloaded file to check it (" + e.getMessage() + ")", e);
            }
            if (!actual.equalsIgnoreCase(expectedSha256.trim())) {
                deleteQuietly(partial);
                throw new DownloadException(name + ": checksum mismatch (SHA-256 " + actual + ", expected "
                        + expectedSha256.toLowerCase(Locale.ROOT) + "); the file was removed");
            }
        }
        try {
            try {
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new DownloadException(name + ": cannot move the finished download into place (" + AtomicFiles.describe(e) + ")", e);
        }
    }

    public static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 20];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static String httpProblem(int status) {
        return switch (status) {
            case 401, 403 -> "access denied (HTTP " + status + ")";
            case 404, 410 -> "not found on the server (HTTP " + status + ")";
            case 429 -> "server is rate-limiting (HTTP 429); try again later";
            default -> status >= 500 ? "server error (HTTP " + status + "); try again later" : "unexpected HTTP " + status;
        };
    }

    private static long sizeOrZero(Path p) {
        try {
            return Files.isRegularFile(p) ? Files.size(p) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover .partial is resumed or replaced later; it is never taken for a finished file
        }
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
