package org.robustsam.studio.hardening;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.opentest4j.TestAbortedException;
import org.robustsam.studio.hardening.HardeningCase.EntryPoint;
import org.robustsam.studio.hardening.HardeningCase.Expect;

/**
 * Runs cases with a time limit each, judges the outcome against the written expectation, and keeps
 * the tally for the summary line.
 *
 * <p>Verdicts: {@code HANDLED} and {@code REJECTED} are the good ones; {@code CRASH} is an
 * unexpected exception type or an {@link Error}, {@code HANG} a case past its time limit,
 * {@code WRONG} a silently wrong result (a bad input accepted, a good one refused, a message that
 * does not name the file, a result check that failed), {@code LOST} a user file changed or gone.
 */
final class CaseRunner {
    enum Verdict { HANDLED, REJECTED, CRASH, HANG, WRONG, LOST, SKIPPED }

    record Result(HardeningCase hardeningCase, Verdict verdict, String detail, long millis) {
        boolean good() {
            return verdict == Verdict.HANDLED || verdict == Verdict.REJECTED;
        }
    }

    private final List<Result> results = new ArrayList<>();
    private ExecutorService executor = newExecutor();

    private static ExecutorService newExecutor() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "hardening-case");
            t.setDaemon(true); // a hung case must not keep the test JVM alive
            return t;
        });
    }

    synchronized Result run(HardeningCase c) {
        long start = System.nanoTime();
        Map<Path, String> before;
        try {
            before = fingerprint(c.userFiles());
        } catch (IOException e) {
            throw new IllegalStateException(c + ": cannot fingerprint the user files before the case", e);
        }
        Future<?> future = executor.submit(() -> {
            c.action().run();
            return null;
        });
        Verdict verdict;
        String detail;
        try {
            future.get(c.timeout().toMillis(), TimeUnit.MILLISECONDS);
            if (c.expect() == Expect.HANDLED) {
                verdict = Verdict.HANDLED;
                detail = "handled";
            } else {
                verdict = Verdict.WRONG;
                detail = "accepted silently: a bad input went through without an error";
            }
        } catch (TimeoutException e) {
            future.cancel(true);
            executor.shutdownNow();
            executor = newExecutor(); // the stuck thread is abandoned, the next case gets a fresh one
            verdict = Verdict.HANG;
            detail = "no outcome within " + c.timeout().toSeconds() + " s";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + c, e);
        } catch (ExecutionException e) {
            Throwable t = e.getCause();
            Verdict[] v = new Verdict[1];
            detail = judgeFailure(c, t, v);
            verdict = v[0];
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        if (verdict != Verdict.HANG && verdict != Verdict.SKIPPED) {
            String lost = compare(before, c.userFiles());
            if (lost != null) {
                verdict = Verdict.LOST;
                detail = lost + " (outcome otherwise: " + detail + ")";
            }
        }
        Result r = new Result(c, verdict, detail, millis);
        results.add(r);
        return r;
    }

    private static String judgeFailure(HardeningCase c, Throwable t, Verdict[] verdict) {
        if (t instanceof TestAbortedException) {
            verdict[0] = Verdict.SKIPPED;
            return t.getMessage();
        }
        if (t instanceof AssertionError) {
            verdict[0] = Verdict.WRONG;
            return "wrong result: " + t.getMessage();
        }
        if (t instanceof Error) {
            verdict[0] = Verdict.CRASH;
            return "crash: " + t;
        }
        boolean clear = c.clearErrors().stream().anyMatch(k -> k.isInstance(t));
        if (!clear) {
            verdict[0] = Verdict.CRASH;
            return "crash: unexpected " + t.getClass().getName() + ": " + t.getMessage();
        }
        if (c.expect() == Expect.HANDLED) {
            verdict[0] = Verdict.WRONG;
            return "a good input was refused: " + t.getMessage();
        }
        String message = t.getMessage();
        String name = c.subject().getFileName() == null ? c.subject().toString() : c.subject().getFileName().toString();
        if (message == null || !message.contains(name)) {
            verdict[0] = Verdict.WRONG;
            return "the message does not name " + name + ": " + message;
        }
        if (c.mustSay() != null && !message.contains(c.mustSay())) {
            verdict[0] = Verdict.WRONG;
            return "the message does not say '" + c.mustSay() + "': " + message;
        }
        verdict[0] = Verdict.REJECTED;
        return message;
    }

    /** SHA-256 of every regular file under the given paths (links are recorded, not followed). */
    static Map<Path, String> fingerprint(List<Path> roots) throws IOException {
        Map<Path, String> out = new LinkedHashMap<>();
        for (Path root : roots) {
            if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
                out.put(root, "absent");
                continue;
            }
            if (Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
                try (Stream<Path> walk = Files.walk(root)) {
                    for (Path p : (Iterable<Path>) walk::iterator) {
                        if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                            out.put(p, digest(p));
                        }
                    }
                }
            } else {
                out.put(root, digest(root));
            }
        }
        return out;
    }

    private static String digest(Path p) throws IOException {
        if (Files.isSymbolicLink(p)) {
            return "link to " + Files.readSymbolicLink(p);
        }
        if (!Files.isRegularFile(p)) {
            return "special file";
        }
        try (InputStream in = Files.newInputStream(p)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Null when every fingerprinted file is still there with the same bytes, else what changed. */
    private static String compare(Map<Path, String> before, List<Path> roots) {
        Map<Path, String> after;
        try {
            after = fingerprint(roots);
        } catch (IOException e) {
            return "user files cannot be read after the case: " + e;
        }
        for (Map.Entry<Path, String> e : before.entrySet()) {
            String now = after.get(e.getKey());
            if (now == null) {
                return "user file lost: " + e.getKey();
            }
            if (!now.equals(e.getValue())) {
                return "user file changed: " + e.getKey();
            }
        }
        return null;
    }

    synchronized List<Result> results() {
        return List.copyOf(results);
    }

    /** Tries, passes and failures per entry point, in entry order. */
    synchronized Map<EntryPoint, int[]> perEntryPoint() {
        Map<EntryPoint, int[]> out = new EnumMap<>(EntryPoint.class);
        for (Result r : results) {
            int[] n = out.computeIfAbsent(r.hardeningCase().entry(), k -> new int[3]);
            if (r.verdict() == Verdict.SKIPPED) {
                n[2]++;
            } else {
                n[0]++;
                n[1] += r.good() ? 1 : 0;
            }
        }
        return out;
    }

    /** {@code N inputs tried, N handled, 0 crashes, 0 lost}, with the real counts (skipped cases are not tried). */
    synchronized String summaryLine() {
        long tried = results.stream().filter(r -> r.verdict() != Verdict.SKIPPED).count();
        long handled = results.stream().filter(Result::good).count();
        long crashes = results.stream().filter(r -> r.verdict() == Verdict.CRASH || r.verdict() == Verdict.HANG).count();
        long lost = results.stream().filter(r -> r.verdict() == Verdict.LOST).count();
        return tried + " inputs tried, " + handled + " handled, " + crashes + " crashes, " + lost + " lost";
    }
}
