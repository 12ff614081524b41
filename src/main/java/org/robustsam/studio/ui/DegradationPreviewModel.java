package org.robustsam.studio.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.scene.image.Image;
import org.robustsam.studio.degrade.Degradation;
import org.robustsam.studio.degrade.Degradations;
import org.robustsam.studio.image.RgbImage;

/**
 * State of the degradation preview: the source image, severity and seed, and one thumbnail per
 * degradation. All pixel work runs on background threads; results come back to the FX thread one
 * thumbnail at a time. Every change of source, severity or seed starts a new request that cancels
 * the older one, so dragging the slider never queues stale work.
 *
 * <p>Thumbnails are computed on a copy of the source shrunk to {@value #PREVIEW_SIDE} pixels on its
 * longer side. Degradation parameters are in pixels (as in the reference), so blurs look stronger
 * on a thumbnail than on the full image; the full-size result is computed on demand.
 *
 * <p>Properties are read and written on the FX thread only.
 */
public final class DegradationPreviewModel implements AutoCloseable {
    /** Longer side of the working copy thumbnails are computed on. */
    public static final int PREVIEW_SIDE = 384;

    /** Where one thumbnail stands. */
    public enum State { EMPTY, COMPUTING, READY, FAILED }

    /** One degradation's thumbnail. */
    public static final class Thumbnail {
        private final Degradation degradation;
        private final ReadOnlyObjectWrapper<Image> image = new ReadOnlyObjectWrapper<>(this, "image");
        private final ReadOnlyObjectWrapper<RgbImage> pixels = new ReadOnlyObjectWrapper<>(this, "pixels");
        private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(this, "state", State.EMPTY);
        private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper(this, "problem");
        private int shownSeverity;
        private long shownSeed;

        Thumbnail(Degradation degradation) {
            this.degradation = degradation;
        }

        public Degradation degradation() {
            return degradation;
        }

        public String id() {
            return degradation.id();
        }

        public String label() {
            return degradation.name();
        }

        public ReadOnlyObjectProperty<Image> imageProperty() {
            return image.getReadOnlyProperty();
        }

        /** The degraded working copy behind {@link #imageProperty()}. */
        public ReadOnlyObjectProperty<RgbImage> pixelsProperty() {
            return pixels.getReadOnlyProperty();
        }

        public ReadOnlyObjectProperty<State> stateProperty() {
            return state.getReadOnlyProperty();
        }

        public ReadOnlyStringProperty problemProperty() {
            return problem.getReadOnlyProperty();
        }

        /** Severity and seed of the image shown (valid when READY). */
        public int shownSeverity() {
            return shownSeverity;
        }

        public long shownSeed() {
            return shownSeed;
        }
    }

    private final ExecutorService thumbnailPool;
    private final ExecutorService fullSizeThread;
    private final AtomicLong generation = new AtomicLong();
    private final AtomicLong fullSizeRequest = new AtomicLong();
    private final List<Future<?>> running = new ArrayList<>();
    private Future<?> runningFullSize;

    private final ObjectProperty<RgbImage> source = new SimpleObjectProperty<>(this, "source");
    private final IntegerProperty severity = new SimpleIntegerProperty(this, "severity", Degradation.REFERENCE_SEVERITY);
    private final LongProperty seed = new SimpleLongProperty(this, "seed", 0);
    private final ReadOnlyIntegerWrapper readyCount = new ReadOnlyIntegerWrapper(this, "readyCount");
    private final ReadOnlyObjectWrapper<Thumbnail> selected = new ReadOnlyObjectWrapper<>(this, "selected");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "No image");
    private final ObservableList<Thumbnail> thumbnails;

    /** The shrunk copy of the current source (computed once per source, in the background). */
    private volatile RgbImage previewSource;
    private volatile RgbImage previewOf;

    public DegradationPreviewModel() {
        this(Math.max(1, Runtime.getRuntime().availableProcessors() - 1));
    }

    /** @param threads thumbnail workers; on a 2-core machine 1 leaves a core for the FX thread */
    public DegradationPreviewModel(int threads) {
        thumbnailPool = Executors.newFixedThreadPool(threads, daemon("degradation-preview"));
        fullSizeThread = Executors.newSingleThreadExecutor(daemon("degradation-full-size"));
        List<Thumbnail> list = new ArrayList<>();
        for (Degradation d : Degradations.all()) {
            list.add(new Thumbnail(d));
        }
        thumbnails = FXCollections.unmodifiableObservableList(FXCollections.observableArrayList(list));
        severity.addListener((obs, o, n) -> {
            int s = n.intValue();
            if (s < Degradation.MIN_SEVERITY || s > Degradation.MAX_SEVERITY) {
                severity.set(Math.max(Degradation.MIN_SEVERITY, Math.min(Degradation.MAX_SEVERITY, s)));
                return;
            }
            refresh();
        });
        seed.addListener((obs, o, n) -> refresh());
        source.addListener((obs, o, n) -> refresh());
    }

    public ObservableList<Thumbnail> thumbnails() {
        return thumbnails;
    }

    public ObjectProperty<RgbImage> sourceProperty() {
        return source;
    }

    public IntegerProperty severityProperty() {
        return severity;
    }

    public LongProperty seedProperty() {
        return seed;
    }

    /** How many thumbnails show the current source, severity and seed. */
    public ReadOnlyIntegerProperty readyCountProperty() {
        return readyCount.getReadOnlyProperty();
    }

    /** The thumbnail last clicked (its full-size image was requested), or null. */
    public ReadOnlyObjectProperty<Thumbnail> selectedProperty() {
        return selected.getReadOnlyProperty();
    }

    /** A short line for the user: progress, or what the full-size request is doing. */
    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public Thumbnail thumbnail(String id) {
        return thumbnails.stream().filter(t -> t.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no thumbnail for " + id));
    }

    /** The choice the selected thumbnail stands for at the current severity and seed, or null. */
    public DegradationChoice currentChoice() {
        Thumbnail t = selected.get();
        return t == null ? null : new DegradationChoice(t.id(), severity.get(), seed.get());
    }

    /** Recomputes every thumbnail for the current source, severity and seed (cancels older work). */
    public void refresh() {
        long gen = generation.incrementAndGet();
        running.forEach(f -> f.cancel(true));
        running.clear();
        readyCount.set(0);
        RgbImage src = source.get();
        if (src == null) {
            for (Thumbnail t : thumbnails) {
                t.image.set(null);
                t.pixels.set(null);
                t.state.set(State.EMPTY);
            }
            status.set("No image");
            return;
        }
        int sev = severity.get();
        long sd = seed.get();
        status.set("Computing previews at severity " + sev + "…");
        for (Thumbnail t : thumbnails) {
            t.state.set(State.COMPUTING);
            running.add(thumbnailPool.submit(() -> compute(t, src, sev, sd, gen)));
        }
    }

    private void compute(Thumbnail t, RgbImage src, int sev, long sd, long gen) {
        if (generation.get() != gen) {
            return; // superseded before it started
        }
        try {
            RgbImage small = preview(src);
            if (generation.get() != gen) {
                return;
            }
            RgbImage degraded = t.degradation.apply(small, sev, sd);
            Image fx = FxImages.toFx(degraded);
            Platform.runLater(() -> {
                if (generation.get() != gen) {
                    return;
                }
                t.pixels.set(degraded);
                t.image.set(fx);
                t.shownSeverity = sev;
                t.shownSeed = sd;
                t.problem.set(null);
                t.state.set(State.READY);
                readyCount.set(readyCount.get() + 1);
                if (readyCount.get() == thumbnails.size()) {
                    status.set("Severity " + sev + ", seed " + sd + ": click a preview to view it full size");
                }
            });
        } catch (RuntimeException | OutOfMemoryError e) {
            Platform.runLater(() -> {
                if (generation.get() == gen) {
                    t.problem.set(t.label() + ": " + e);
                    t.state.set(State.FAILED);
                }
            });
        }
    }

    /** The shrunk working copy of {@code src}, shared by all thumbnails of that source. */
    private RgbImage preview(RgbImage src) {
        RgbImage cached = previewSource;
        if (cached != null && previewOf == src) {
            return cached;
        }
        synchronized (this) {
            if (previewSource == null || previewOf != src) {
                previewSource = shrink(src, PREVIEW_SIDE);
                previewOf = src;
            }
            return previewSource;
        }
    }

    /**
     * Computes the full-size degraded image of {@code thumbnail} at the current severity and seed in
     * the background and hands it to {@code onReady} on the FX thread. A newer request supersedes
     * this one (its result is dropped). Marks the thumbnail as selected.
     */
    public void requestFullSize(Thumbnail thumbnail, Consumer<DegradedPreview> onReady) {
        Objects.requireNonNull(thumbnail, "thumbnail");
        RgbImage src = source.get();
        selected.set(thumbnail);
        if (src == null) {
            return;
        }
        DegradationChoice choice = new DegradationChoice(thumbnail.id(), severity.get(), seed.get());
        long request = fullSizeRequest.incrementAndGet();
        if (runningFullSize != null) {
            runningFullSize.cancel(true);
        }
        status.set(thumbnail.label() + ", severity " + choice.severity() + ": computing " + src.width() + " × " + src.height() + "…");
        runningFullSize = fullSizeThread.submit(() -> {
            if (fullSizeRequest.get() != request) {
                return;
            }
            try {
                RgbImage full = choice.degradation().apply(src, choice.severity(), choice.seed());
                Platform.runLater(() -> {
                    if (fullSizeRequest.get() == request) {
                        status.set(thumbnail.label() + ", severity " + choice.severity() + ", seed " + choice.seed() + " (full size)");
                        onReady.accept(new DegradedPreview(choice, full));
                    }
                });
            } catch (RuntimeException | OutOfMemoryError e) {
                Platform.runLater(() -> status.set(thumbnail.label() + ": cannot be computed (" + e + ")"));
            }
        });
    }

    /** Area-averaged copy whose longer side is at most {@code maxSide} (the image itself if smaller). */
    static RgbImage shrink(RgbImage src, int maxSide) {
        int w = src.width();
        int h = src.height();
        int longer = Math.max(w, h);
        if (longer <= maxSide) {
            return src;
        }
        int dw = Math.max(1, (int) Math.round((double) w * maxSide / longer));
        int dh = Math.max(1, (int) Math.round((double) h * maxSide / longer));
        int[] px = src.pixels();
        int[] out = new int[dw * dh];
        for (int y = 0; y < dh; y++) {
            int y0 = (int) ((long) y * h / dh);
            int y1 = Math.max(y0 + 1, (int) ((long) (y + 1) * h / dh));
            for (int x = 0; x < dw; x++) {
                int x0 = (int) ((long) x * w / dw);
                int x1 = Math.max(x0 + 1, (int) ((long) (x + 1) * w / dw));
                long r = 0;
                long g = 0;
                long b = 0;
                for (int yy = y0; yy < y1; yy++) {
                    for (int xx = x0; xx < x1; xx++) {
                        int p = px[yy * w + xx];
                        r += (p >> 16) & 0xFF;
                        g += (p >> 8) & 0xFF;
                        b += p & 0xFF;
                    }
                }
                long n = (long) (y1 - y0) * (x1 - x0);
                out[y * dw + x] = (int) ((r + n / 2) / n) << 16 | (int) ((g + n / 2) / n) << 8 | (int) ((b + n / 2) / n);
            }
        }
        return new RgbImage(dw, dh, out);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            t.setPriority(Thread.NORM_PRIORITY - 1);
            return t;
        };
    }

    @Override
    public void close() {
        generation.incrementAndGet();
        fullSizeRequest.incrementAndGet();
        thumbnailPool.shutdownNow();
        fullSizeThread.shutdownNow();
    }
}
