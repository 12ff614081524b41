package org.robustsam.studio.ui;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import org.robustsam.studio.assess.ModelAdvice;
import org.robustsam.studio.assess.QualityReport;
import org.robustsam.studio.eval.ModelPair;
import org.robustsam.studio.inference.Segmenter;
import org.robustsam.studio.inference.Segmenters;

/**
 * "Use RobustSAM automatically when quality is below X": with the switch on, a SAM and a RobustSAM
 * model are kept loaded, and for every photo shown the advisor's quality picks which one the
 * prompts go to ({@link ModelAdvice}); the status line says which and why. With it off, or while a
 * model is missing, prompts go to the user's own model. The models are opened in the background
 * and closed when the switch is turned off or the app closes.
 */
public final class ModelAutoSwitch implements AutoCloseable {
    private final SegmentationViewModel segmentation;
    private final BooleanProperty enabled = new SimpleBooleanProperty(this, "enabled");
    private final DoubleProperty threshold = new SimpleDoubleProperty(this, "threshold", 0.7);
    /** Chosen checkpoints; null means "the first of its family in the models folder". */
    private final ObjectProperty<Path> samCheckpoint = new SimpleObjectProperty<>(this, "samCheckpoint");
    private final ObjectProperty<Path> robustCheckpoint = new SimpleObjectProperty<>(this, "robustCheckpoint");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");
    private final AtomicLong loadRequest = new AtomicLong();
    private final java.util.function.Supplier<ModelPair> defaults;
    private Segmenter sam;
    private Segmenter robust;
    private Path samLoaded;
    private Path robustLoaded;
    private QualityReport shown;
    private String problem;

    /**
     * @param defaults the SAM and RobustSAM in the models folder, used for a checkpoint not chosen
     */
    public ModelAutoSwitch(SegmentationViewModel segmentation, java.util.function.Supplier<ModelPair> defaults) {
        this.segmentation = segmentation;
        this.defaults = defaults;
        enabled.addListener((o, a, on) -> reload());
        samCheckpoint.addListener((o, a, p) -> reload());
        robustCheckpoint.addListener((o, a, p) -> reload());
        threshold.addListener((o, a, t) -> apply(shown, true));
        segmentation.predictedByProperty().addListener((o, a, b) -> updateStatus());
    }

    public BooleanProperty enabledProperty() {
        return enabled;
    }

    public DoubleProperty thresholdProperty() {
        return threshold;
    }

    public ObjectProperty<Path> samCheckpointProperty() {
        return samCheckpoint;
    }

    public ObjectProperty<Path> robustCheckpointProperty() {
        return robustCheckpoint;
    }

    /** "model: robustsam_vit_b — quality 0.42 < 0.70 (blur)"; empty while the switch is off. */
    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** Both models loaded and the switch on. */
    public boolean isActive() {
        return enabled.get() && sam != null && robust != null;
    }

    /**
     * The photo whose prompts come next has this quality (null: not known): borrow the advised
     * model. Call before the photo is handed to the segmentation view-model ({@code reshow} false),
     * or with {@code reshow} true to re-embed the photo on screen.
     */
    public void apply(QualityReport quality, boolean reshow) {
        shown = quality;
        if (!isActive()) {
            segmentation.borrow(null, reshow);
        } else {
            segmentation.borrow(ModelAdvice.decide(quality, threshold.get()).robust() ? robust : sam, reshow);
        }
        updateStatus();
    }

    private void updateStatus() {
        if (!enabled.get()) {
            status.set("");
            return;
        }
        if (problem != null) {
            status.set("auto-switch: " + problem);
            return;
        }
        if (!isActive()) {
            status.set("auto-switch: loading SAM and RobustSAM…");
            return;
        }
        ModelAdvice advice = ModelAdvice.decide(shown, threshold.get());
        status.set("model: " + (advice.robust() ? robust : sam).modelId() + " — " + advice.reason());
    }

    /** Opens (or closes) the two models to match the switch and the chosen files, off the FX thread. */
    private void reload() {
        long request = loadRequest.incrementAndGet();
        problem = null;
        if (!enabled.get()) {
            release();
            apply(shown, true);
            return;
        }
        ModelPair pair = null;
        Path samFile = samCheckpoint.get();
        Path robustFile = robustCheckpoint.get();
        if (samFile == null || robustFile == null) {
            pair = defaults.get();
            samFile = samFile != null ? samFile : pair.left();
            robustFile = robustFile != null ? robustFile : pair.right();
        }
        if (samFile == null || robustFile == null) {
            problem = "needs a SAM and a RobustSAM model (choose them in the Quality tab, or download them in the Model Manager)";
            release();
            apply(shown, true);
            return;
        }
        if (samFile.equals(samLoaded) && robustFile.equals(robustLoaded) && sam != null && robust != null) {
            apply(shown, true);
            return;
        }
        updateStatus();
        Path s = samFile;
        Path r = robustFile;
        Thread loader = new Thread(() -> {
            Segmenter a = null;
            Segmenter b = null;
            String failure = null;
            try {
                a = Segmenters.open(s);
                b = Segmenters.open(r);
                if (!b.modelId().startsWith("robustsam")) {
                    failure = r.getFileName() + " is " + b.modelId() + ", not a RobustSAM model";
                }
            } catch (Exception | OutOfMemoryError e) {
                failure = e instanceof OutOfMemoryError ? "not enough memory to load two models" : e.getMessage();
            }
            Segmenter fa = a;
            Segmenter fb = b;
            String ff = failure;
            Platform.runLater(() -> {
                if (loadRequest.get() != request || ff != null) {
                    closeQuietly(fa);
                    closeQuietly(fb);
                    if (loadRequest.get() == request) {
                        problem = ff;
                        release();
                        apply(shown, true);
                    }
                    return;
                }
                release();
                sam = fa;
                robust = fb;
                samLoaded = s;
                robustLoaded = r;
                apply(shown, true);
            });
        }, "auto-switch-loader");
        loader.setDaemon(true);
        loader.start();
    }

    /** Hands prompts back to the user's model and closes the two. */
    private void release() {
        if (sam == null && robust == null) {
            return;
        }
        segmentation.borrow(null, false);
        Segmenter a = sam;
        Segmenter b = robust;
        sam = null;
        robust = null;
        samLoaded = null;
        robustLoaded = null;
        segmentation.retire(a);
        segmentation.retire(b);
    }

    private static void closeQuietly(Segmenter s) {
        if (s != null) {
            try {
                s.close();
            } catch (RuntimeException ignored) {
                // closing frees native memory; nothing to report to the user
            }
        }
    }

    @Override
    public void close() {
        loadRequest.incrementAndGet();
        closeQuietly(sam);
        closeQuietly(robust);
        sam = null;
        robust = null;
    }
}
