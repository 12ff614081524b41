package org.robustsam.studio.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.stage.Stage;
import org.robustsam.studio.SmokeModel;
import org.robustsam.studio.inference.BuildInfo;
import org.robustsam.studio.inference.Engines;
import org.robustsam.studio.inference.MaskPrediction;
import org.robustsam.studio.inference.Prompt;

/**
 * {@code --smoke}: starts the real app window, opens the bundled sample photo, loads the bundled tiny
 * random-weight SAM, clicks one point through the prompt pipeline and checks that a non-empty mask
 * comes back; prints one line and returns 0, or a line saying what failed and 1. Run from an
 * installed app it also checks that libtorch was loaded from the app's own copy, which proves the
 * native engine works from the installed layout.
 *
 * <p>Everything it writes (settings, embedding cache, the photo's project file) goes to a temporary
 * folder that is deleted afterwards, so the user's settings and models are untouched.
 *
 * <p>Properties: {@code studio.smoke.model} (the checkpoint; the installer sets it to the app's
 * {@code smoke/} folder; without it the model next to the app jar is used, or one is generated),
 * {@code studio.libtorch.bundled} (the folder libtorch must come from; the Linux installer sets it),
 * {@code studio.smoke.timeout.s} (default 300).
 */
public final class SmokeRun {
    public static final String FLAG = "--smoke";
    static final String SAMPLE = "/assets/samples/street-rain.jpg";

    /** The smoke app reports here; the launching thread reads it after the FX toolkit exits. */
    private static final AtomicReference<String> FAILURE = new AtomicReference<>();
    private static final AtomicReference<String> SUCCESS = new AtomicReference<>();
    private static volatile Path photos;
    private static volatile String modelOrigin;
    private static volatile long startNanos;

    private SmokeRun() {}

    /** Runs the check; returns the process exit code. */
    public static int run() {
        startNanos = System.nanoTime();
        long timeoutS = Long.getLong("studio.smoke.timeout.s", 300);
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(timeoutS * 1000);
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("smoke FAILED: no mask within " + timeoutS + " s (set studio.smoke.timeout.s to wait longer)");
            System.err.flush();
            Runtime.getRuntime().halt(1);
        }, "smoke-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();

        Path work = null;
        try {
            work = Files.createTempDirectory("robustsam-smoke");
            Path model = locateModel(work);
            photos = Files.createDirectories(work.resolve("photos"));
            try (InputStream in = SmokeRun.class.getResourceAsStream(SAMPLE)) {
                if (in == null) {
                    return fail("the sample photo " + SAMPLE + " is missing from the application");
                }
                Files.copy(in, photos.resolve("street-rain.jpg"));
            }
            // The app reads these at start: a private config and cache, this model, no Model Manager offer.
            System.setProperty("studio.config.dir", work.resolve("config").toString());
            System.setProperty("studio.cache.dir", work.resolve("cache").toString());
            System.setProperty("studio.model", model.toString());
            System.setProperty(ModelManagerDialog.OFFER_PROPERTY, "false");
            try {
                Application.launch(SmokeApp.class);
            } catch (RuntimeException | Error e) {
                Throwable root = e;
                while (root.getCause() != null && root.getCause() != root) {
                    root = root.getCause();
                }
                FAILURE.compareAndSet(null, "the app could not start: " + root
                        + (System.getenv("DISPLAY") == null && System.getProperty("glass.platform") == null
                                ? " (no DISPLAY: run it under a desktop session or xvfb-run)" : ""));
            }
        } catch (IOException | UncheckedIOException e) {
            FAILURE.compareAndSet(null, "cannot prepare the check: " + e.getMessage());
        } finally {
            if (work != null) {
                deleteQuietly(work);
            }
        }
        watchdog.interrupt();
        if (FAILURE.get() != null) {
            return fail(FAILURE.get());
        }
        if (SUCCESS.get() == null) {
            return fail("the app closed before a mask came back");
        }
        System.out.println("smoke OK: " + SUCCESS.get());
        System.out.flush();
        return 0;
    }

    private static int fail(String why) {
        System.err.println("smoke FAILED: " + why);
        System.err.flush();
        return 1;
    }

    /**
     * The installed app's bundled model ({@code studio.smoke.model}); else {@code smoke/} beside the
     * app jar (the installer's input folder); else a freshly generated one in the work folder.
     */
    static Path locateModel(Path work) throws IOException {
        String configured = System.getProperty("studio.smoke.model");
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured);
            if (!Files.isRegularFile(p)) {
                throw new IOException("the bundled smoke model " + p + " is missing (studio.smoke.model)");
            }
            modelOrigin = "bundled";
            return p;
        }
        try {
            Path jar = Path.of(SmokeRun.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path beside = jar.getParent().resolve("smoke").resolve(SmokeModel.FILE_NAME);
            if (Files.isRegularFile(beside)) {
                modelOrigin = "bundled";
                return beside;
            }
        } catch (URISyntaxException | RuntimeException ignored) {
            // no usable code source: generate one below
        }
        Path generated = work.resolve(SmokeModel.FILE_NAME);
        SmokeModel.write(generated);
        modelOrigin = "generated";
        return generated;
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // a temp file left behind is harmless
                }
            });
        } catch (IOException ignored) {
            // same
        }
    }

    /** The real app, driven through its view-models as a user's click would drive it. */
    public static final class SmokeApp extends Application {
        private StudioApp app;
        private boolean prompted;
        private long embeddedAt;

        @Override
        public void start(Stage stage) {
            app = new StudioApp();
            app.start(stage);
            SegmentationViewModel seg = app.segmentation();
            seg.problemProperty().addListener((o, a, problem) -> {
                if (problem != null) {
                    finish(null, problem);
                }
            });
            app.main().currentProblemProperty().addListener((o, a, problem) -> {
                if (problem != null) {
                    finish(null, "the sample photo did not open: " + problem);
                }
            });
            seg.embeddingProperty().addListener((o, a, embedding) -> {
                if (embedding != null && !prompted) {
                    prompted = true;
                    embeddedAt = System.nanoTime();
                    var img = app.main().displayedImageProperty().get();
                    seg.addPoint(new Prompt.Point(Math.min(450, img.width() - 1), Math.min(250, img.height() - 1), true));
                }
            });
            seg.predictionProperty().addListener((o, a, p) -> {
                if (p != null) {
                    check(p, seg);
                }
            });
            if (!app.main().openFolder(photos)) {
                var msg = app.main().messageProperty().get();
                finish(null, "cannot open the sample photo folder" + (msg == null ? "" : ": " + msg.text()));
            }
        }

        private void check(MaskPrediction p, SegmentationViewModel seg) {
            byte[] mask = seg.selectedMask();
            int c = Math.min(seg.candidateProperty().get(), p.count() - 1);
            long area = p.area(c);
            if (mask == null || area == 0) {
                finish(null, "the model answered with an empty mask (" + p.count() + " candidates)");
                return;
            }
            String libtorch;
            try {
                Path dir = Engines.nativeLibraryDir().toRealPath();
                String bundled = System.getProperty("studio.libtorch.bundled");
                if (bundled != null && !bundled.isBlank()) {
                    Path expected = Path.of(bundled).toRealPath();
                    if (!dir.equals(expected)) {
                        finish(null, "libtorch was loaded from " + dir + ", not from the app's own copy in " + expected);
                        return;
                    }
                    libtorch = dir + " (bundled with the app)";
                } else {
                    libtorch = dir.toString();
                }
            } catch (IOException | RuntimeException e) {
                finish(null, "cannot tell where libtorch was loaded from: " + e);
                return;
            }
            var image = app.main().displayedImageProperty().get();
            double share = 100.0 * area / ((double) p.width() * p.height());
            double total = (System.nanoTime() - startNanos) / 1e9;
            double embedS = (embeddedAt - startNanos) / 1e9;
            finish(String.format(Locale.ROOT,
                    "RobustSAM Studio %s; %s; libtorch %s; model %s (%s, %s); %s %d×%d; 1 click → %d masks, chosen %d px (%.1f%%), score %.2f;"
                            + " embedding ready at %.1f s, mask in %.0f ms; %.1f s in all",
                    BuildInfo.version(), Engines.describeDevice(), libtorch, seg.segmenter().modelId(), modelOrigin,
                    System.getProperty("studio.model"), "street-rain.jpg", image.width(), image.height(),
                    p.count(), area, share, p.iouScores()[c], embedS, seg.lastDecodeMillis(), total), null);
        }

        private void finish(String success, String failure) {
            if (SUCCESS.get() != null || FAILURE.get() != null) {
                return;
            }
            if (failure != null) {
                FAILURE.set(failure);
            } else {
                SUCCESS.set(success);
            }
            Platform.exit();
        }

        @Override
        public void stop() {
            if (app != null) {
                app.stop();
            }
        }
    }
}
