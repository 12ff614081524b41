package org.robustsam.studio.ui;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import org.robustsam.studio.annotate.mask.BinaryMask;
import org.robustsam.studio.degrade.Degradations;
import org.robustsam.studio.eval.BoundaryTolerance;
import org.robustsam.studio.eval.GroundTruthMatcher;
import org.robustsam.studio.eval.GroundTruthObject;
import org.robustsam.studio.eval.MaskMetrics;
import org.robustsam.studio.eval.SegmentationScores;
import org.robustsam.studio.image.RgbImage;
import org.robustsam.studio.inference.EmbeddingCache;
import org.robustsam.studio.inference.EmbeddingService;
import org.robustsam.studio.inference.ImageEmbedding;
import org.robustsam.studio.inference.ImageSource;
import org.robustsam.studio.inference.InferenceException;
import org.robustsam.studio.inference.MaskPrediction;
import org.robustsam.studio.inference.Prompt;
import org.robustsam.studio.inference.Segmenter;
import org.robustsam.studio.inference.Segmenters;

/**
 * Two models on one photo, prompt for prompt: the state behind {@link CompareView}, plain Java with
 * observable properties (updated on the FX thread through the executor given).
 *
 * <p>Both models see the same image (the photo, or the same degraded copy of it) and the same
 * prompt; each gives one mask (multimask off, as the paper evaluates and as {@code studio eval}
 * does). Embeddings come from one {@link EmbeddingService} per model over a shared
 * {@link EmbeddingCache}; masks, their IoU, the difference and the scores against a ground-truth
 * object under the prompt are computed on a decoder thread, latest request first.
 */
public final class CompareViewModel implements AutoCloseable {
    public enum SideId { LEFT, RIGHT }

    /** What two masks disagree on: per pixel 0 = same, 1 = only left, 2 = only right. */
    public record Difference(int width, int height, byte[] codes, long onlyLeft, long onlyRight, long both) {}

    /** One model's column: its model, embedding, mask, and its scores against the ground truth. */
    public final class Side {
        private final SideId id;
        private final ReadOnlyObjectWrapper<Path> checkpoint = new ReadOnlyObjectWrapper<>(this, "checkpoint");
        private final ReadOnlyStringWrapper modelName = new ReadOnlyStringWrapper(this, "modelName", "no model");
        private final ReadOnlyObjectWrapper<ImageEmbedding> embedding = new ReadOnlyObjectWrapper<>(this, "embedding");
        private final ReadOnlyObjectWrapper<MaskPrediction> prediction = new ReadOnlyObjectWrapper<>(this, "prediction");
        private final ReadOnlyObjectWrapper<SegmentationScores> truthScores = new ReadOnlyObjectWrapper<>(this, "truthScores");
        private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "no model loaded");
        private volatile Segmenter segmenter;
        private EmbeddingService service;
        /** Decoder-thread cache: the last prompt and embedding decoded, and the result. */
        private Prompt lastPrompt;
        private ImageEmbedding lastEmbedding;
        private MaskPrediction lastResult;

        Side(SideId id) {
            this.id = id;
        }

        public SideId id() {
            return id;
        }

        public ReadOnlyObjectProperty<Path> checkpointProperty() {
            return checkpoint.getReadOnlyProperty();
        }

        /** "sam_vit_b · sam_vit_b_01ec64.pth" */
        public ReadOnlyStringProperty modelNameProperty() {
            return modelName.getReadOnlyProperty();
        }

        public ReadOnlyObjectProperty<ImageEmbedding> embeddingProperty() {
            return embedding.getReadOnlyProperty();
        }

        public ReadOnlyObjectProperty<MaskPrediction> predictionProperty() {
            return prediction.getReadOnlyProperty();
        }

        /** Scores against the ground-truth object under the prompt; null when there is none. */
        public ReadOnlyObjectProperty<SegmentationScores> truthScoresProperty() {
            return truthScores.getReadOnlyProperty();
        }

        public ReadOnlyStringProperty statusProperty() {
            return status.getReadOnlyProperty();
        }

        public Segmenter segmenter() {
            return segmenter;
        }

        /** The mask on screen (0/1 bytes of the photo's size), or null. */
        public byte[] mask() {
            MaskPrediction p = prediction.get();
            return p == null ? null : p.masks()[0];
        }

        /** The model's own IoU estimate for its mask, or NaN. */
        public double predictedIou() {
            MaskPrediction p = prediction.get();
            return p == null ? Double.NaN : p.iouScores()[0];
        }

        /** Decodes on the decoder thread, reusing the last result when nothing changed. */
        private MaskPrediction decode(Prompt p, ImageEmbedding e, Segmenter s) throws InferenceException {
            if (p == null || p.isEmpty() || e == null || s == null || !e.modelKey().equals(s.modelKey())) {
                return null;
            }
            if (p == lastPrompt && e == lastEmbedding && lastResult != null) {
                return lastResult;
            }
            MaskPrediction r = s.predict(e, p, false);
            lastPrompt = p;
            lastEmbedding = e;
            lastResult = r;
            return r;
        }
    }

    private final RgbImage original;
    private final String imageName;
    private final List<GroundTruthObject> truth;
    private final List<BinaryMask> truthMasks = new ArrayList<>();
    private final EmbeddingCache cache;
    private final Executor fx;
    private final Side left = new Side(SideId.LEFT);
    private final Side right = new Side(SideId.RIGHT);
    private final ExecutorService decoder = Executors.newSingleThreadExecutor(daemon("compare-decoder"));
    private final ExecutorService degrader = Executors.newSingleThreadExecutor(daemon("compare-degrade"));
    private final AtomicLong refreshGeneration = new AtomicLong();
    private final AtomicLong degradeGeneration = new AtomicLong();

    private final ObjectProperty<DegradationChoice> degradation = new SimpleObjectProperty<>(this, "degradation");
    private final ReadOnlyObjectWrapper<RgbImage> displayedImage = new ReadOnlyObjectWrapper<>(this, "displayedImage");
    private final ReadOnlyStringWrapper displayedId = new ReadOnlyStringWrapper(this, "displayedId");
    private final ObjectProperty<Prompt> prompt = new SimpleObjectProperty<>(this, "prompt", Prompt.empty());
    private final ReadOnlyObjectWrapper<Double> iouBetween = new ReadOnlyObjectWrapper<>(this, "iouBetween");
    private final ReadOnlyObjectWrapper<GroundTruthObject> matchedTruth = new ReadOnlyObjectWrapper<>(this, "matchedTruth");
    private final ReadOnlyObjectWrapper<Difference> difference = new ReadOnlyObjectWrapper<>(this, "difference");
    private final BooleanProperty showDifference = new SimpleBooleanProperty(this, "showDifference", false);
    private final BooleanProperty linkViews = new SimpleBooleanProperty(this, "linkViews", true);
    private final ReadOnlyObjectWrapper<String> problem = new ReadOnlyObjectWrapper<>(this, "problem");
    private boolean closed;

    /**
     * @param truth ground-truth objects of the photo (may be empty); masks at the photo's size
     * @param cache shared with the main view, so embeddings made here serve there too
     * @param fx where property updates run (the FX thread: {@code Platform::runLater})
     */
    public CompareViewModel(RgbImage original, String imageName, List<GroundTruthObject> truth, EmbeddingCache cache, Executor fx) {
        this.original = original;
        this.imageName = imageName;
        this.cache = cache;
        this.fx = fx;
        List<GroundTruthObject> usable = new ArrayList<>();
        for (GroundTruthObject o : truth) {
            BinaryMask m = o.mask().decode();
            if (m.width() == original.width() && m.height() == original.height()) {
                usable.add(o);
                truthMasks.add(m);
            }
        }
        this.truth = List.copyOf(usable);
        if (usable.size() < truth.size()) {
            problem.set((truth.size() - usable.size()) + " ground-truth objects are not the photo's size ("
                    + original.width() + "x" + original.height() + "); they are not used");
        }
        displayedImage.set(original);
        displayedId.set(imageName);
        prompt.addListener((obs, o, n) -> refresh());
        degradation.addListener((obs, o, n) -> applyDegradation(n));
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    public Side side(SideId id) {
        return id == SideId.LEFT ? left : right;
    }

    public Side left() {
        return left;
    }

    public Side right() {
        return right;
    }

    public RgbImage original() {
        return original;
    }

    public String imageName() {
        return imageName;
    }

    /** Ground-truth objects whose masks fit the photo. */
    public List<GroundTruthObject> truth() {
        return truth;
    }

    /** The working view both models see: null = the clean photo. */
    public ObjectProperty<DegradationChoice> degradationProperty() {
        return degradation;
    }

    /** Picks a degradation by id (null or "clean" for none) at a severity; the seed is the one {@code studio eval --seed 0} uses. */
    public void setDegradation(String id, int severity) {
        degradation.set(id == null || id.equals("clean") ? null
                : new DegradationChoice(id, severity, Degradations.seedFor(0, imageName)));
    }

    public ReadOnlyObjectProperty<RgbImage> displayedImageProperty() {
        return displayedImage.getReadOnlyProperty();
    }

    /** "photo.jpg" or "photo.jpg (Fog, severity 3)". */
    public ReadOnlyStringProperty displayedIdProperty() {
        return displayedId.getReadOnlyProperty();
    }

    public ObjectProperty<Prompt> promptProperty() {
        return prompt;
    }

    /** IoU between the two masks; null until both exist. */
    public ReadOnlyObjectProperty<Double> iouBetweenProperty() {
        return iouBetween.getReadOnlyProperty();
    }

    /** The ground-truth object under the prompt, or null. */
    public ReadOnlyObjectProperty<GroundTruthObject> matchedTruthProperty() {
        return matchedTruth.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Difference> differenceProperty() {
        return difference.getReadOnlyProperty();
    }

    public BooleanProperty showDifferenceProperty() {
        return showDifference;
    }

    /** Whether zoom and pan of one view move the other. */
    public BooleanProperty linkViewsProperty() {
        return linkViews;
    }

    /** The latest problem (model that would not load, failed encode), for the status line. */
    public ReadOnlyObjectProperty<String> problemProperty() {
        return problem.getReadOnlyProperty();
    }

    public void addPoint(Prompt.Point p) {
        prompt.set(prompt.get().withPoint(p));
    }

    public void setBox(Prompt.Box b) {
        prompt.set(new Prompt(prompt.get().points(), b, null));
    }

    public void clearPrompt() {
        prompt.set(Prompt.empty());
    }

    /** Loads a checkpoint for one side in the background; a file that fails leaves the side as it was and says why. */
    public void loadModel(SideId id, Path checkpointFile) {
        Side s = side(id);
        s.status.set("loading " + checkpointFile.getFileName() + "…");
        Thread t = new Thread(() -> {
            try {
                Segmenter seg = Segmenters.open(checkpointFile);
                fx.execute(() -> {
                    if (closed) {
                        seg.close();
                        return;
                    }
                    setSegmenter(id, seg, checkpointFile);
                });
            } catch (Exception | OutOfMemoryError e) {
                String msg = checkpointFile.getFileName() + ": " + (e.getMessage() != null ? e.getMessage() : e.toString());
                fx.execute(() -> {
                    problem.set(msg);
                    s.status.set(s.segmenter == null ? "no model loaded" : "ready");
                });
            }
        }, "compare-model-loader");
        t.setDaemon(true);
        t.start();
    }

    /** Uses an open model for one side (this view model closes it later). Call on the FX thread. */
    public void setSegmenter(SideId id, Segmenter seg, Path checkpointFile) {
        Side s = side(id);
        Segmenter old = s.segmenter;
        s.segmenter = seg;
        s.checkpoint.set(checkpointFile);
        s.modelName.set(seg.modelId() + (checkpointFile != null ? " · " + checkpointFile.getFileName() : ""));
        s.embedding.set(null);
        s.prediction.set(null);
        s.truthScores.set(null);
        if (s.service == null) {
            s.service = new EmbeddingService(seg, cache, fx);
        } else {
            s.service.setEncoder(seg);
        }
        if (old != null && old != seg) {
            decoder.submit(old::close); // after any decode still using it
        }
        requestEmbedding(s);
        refresh();
    }

    private void requestEmbedding(Side s) {
        RgbImage shown = displayedImage.get();
        if (s.service == null || shown == null) {
            return;
        }
        String sourceId = displayedId.get();
        s.status.set("computing embedding…");
        s.service.request(ImageSource.ofImage(sourceId, shown), List.of(), (src, e) -> {
            if (src.id().equals(displayedId.get()) && s.segmenter != null && e.modelKey().equals(s.segmenter.modelKey())) {
                s.embedding.set(e);
                s.status.set("ready");
                refresh();
            }
        }, (src, ex) -> {
            problem.set(s.modelName.get() + ": " + ex.getMessage());
            s.status.set("embedding failed");
        });
    }

    private void applyDegradation(DegradationChoice choice) {
        long gen = degradeGeneration.incrementAndGet();
        if (choice == null) {
            showImage(original, imageName);
            return;
        }
        String id = imageName + " (" + choice.degradation().name() + ", severity " + choice.severity() + ")";
        left.status.set("degrading…");
        right.status.set("degrading…");
        degrader.submit(() -> {
            RgbImage img = choice.degradation().apply(original, choice.severity(), choice.seed());
            fx.execute(() -> {
                if (degradeGeneration.get() == gen) {
                    showImage(img, id);
                }
            });
        });
    }

    private void showImage(RgbImage img, String id) {
        displayedImage.set(img);
        displayedId.set(id);
        for (Side s : List.of(left, right)) {
            s.embedding.set(null);
            s.prediction.set(null);
            s.truthScores.set(null);
            s.status.set(s.segmenter == null ? "no model loaded" : "ready");
            requestEmbedding(s);
        }
        iouBetween.set(null);
        difference.set(null);
    }

    /** Decodes both sides for the current prompt and recomputes the comparison (decoder thread). */
    private void refresh() {
        long gen = refreshGeneration.incrementAndGet();
        Prompt p = prompt.get();
        ImageEmbedding le = left.embedding.get();
        ImageEmbedding re = right.embedding.get();
        Segmenter ls = left.segmenter;
        Segmenter rs = right.segmenter;
        if (closed) {
            return;
        }
        decoder.submit(() -> {
            if (refreshGeneration.get() != gen) {
                return; // a newer prompt or image is queued
            }
            MaskPrediction lp = null;
            MaskPrediction rp = null;
            String failure = null;
            try {
                lp = left.decode(p, le, ls);
            } catch (InferenceException | RuntimeException e) {
                failure = left.modelName.get() + ": " + e.getMessage();
            }
            try {
                rp = right.decode(p, re, rs);
            } catch (InferenceException | RuntimeException e) {
                failure = right.modelName.get() + ": " + e.getMessage();
            }
            Optional<Integer> gt = GroundTruthMatcher.match(truthMasks, p);
            GroundTruthObject matched = gt.map(truth::get).orElse(null);
            SegmentationScores ls2 = gt.isPresent() && lp != null ? score(lp, truthMasks.get(gt.get())) : null;
            SegmentationScores rs2 = gt.isPresent() && rp != null ? score(rp, truthMasks.get(gt.get())) : null;
            Double between = lp != null && rp != null ? MaskMetrics.iou(lp.masks()[0], rp.masks()[0]) : null;
            Difference diff = lp != null && rp != null ? difference(lp, rp) : null;
            MaskPrediction flp = lp;
            MaskPrediction frp = rp;
            String ffailure = failure;
            fx.execute(() -> {
                if (refreshGeneration.get() != gen) {
                    return;
                }
                left.prediction.set(flp);
                right.prediction.set(frp);
                left.truthScores.set(ls2);
                right.truthScores.set(rs2);
                matchedTruth.set(matched);
                iouBetween.set(between);
                difference.set(diff);
                if (ffailure != null) {
                    problem.set(ffailure);
                }
            });
        });
    }

    private static SegmentationScores score(MaskPrediction p, BinaryMask truthMask) {
        return MaskMetrics.score(p.masks()[0], truthMask.toRowMajor(), p.width(), p.height(),
                BoundaryTolerance.DAVIS.pixelsFor(p.width(), p.height()));
    }

    static Difference difference(MaskPrediction a, MaskPrediction b) {
        byte[] ma = a.masks()[0];
        byte[] mb = b.masks()[0];
        byte[] codes = new byte[ma.length];
        long onlyA = 0;
        long onlyB = 0;
        long both = 0;
        for (int i = 0; i < ma.length; i++) {
            if (ma[i] != 0 && mb[i] == 0) {
                codes[i] = 1;
                onlyA++;
            } else if (ma[i] == 0 && mb[i] != 0) {
                codes[i] = 2;
                onlyB++;
            } else if (ma[i] != 0) {
                both++;
            }
        }
        return new Difference(a.width(), a.height(), codes, onlyA, onlyB, both);
    }

    @Override
    public void close() {
        closed = true;
        for (Side s : List.of(left, right)) {
            if (s.service != null) {
                s.service.close();
            }
        }
        degrader.shutdownNow();
        decoder.shutdown();
        try {
            decoder.awaitTermination(10, TimeUnit.SECONDS); // a running decode uses the models' native memory
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Side s : List.of(left, right)) {
            Segmenter seg = s.segmenter;
            s.segmenter = null;
            if (seg != null) {
                seg.close();
            }
        }
    }
}
