package org.robustsam.studio.ui;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import javafx.application.Platform;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import org.robustsam.studio.inference.EmbeddingCache;
import org.robustsam.studio.inference.EmbeddingService;
import org.robustsam.studio.inference.ImageEmbedding;
import org.robustsam.studio.inference.ImageSource;
import org.robustsam.studio.inference.InferenceException;
import org.robustsam.studio.inference.MaskPrediction;
import org.robustsam.studio.inference.Prompt;
import org.robustsam.studio.inference.Segmenter;

/**
 * Prompting on the photo on screen: the embedding comes from the background service (then the
 * next photos are prefetched), and every prompt change is decoded on a decoder thread, latest
 * first, so the FX thread only ever paints. With one click SAM proposes three candidates; more
 * clicks refine the chosen one (its logits are fed back as the mask input), as SAM's demo does.
 */
public final class SegmentationViewModel implements AutoCloseable {
    private final EmbeddingCache cache;
    private final ExecutorService decoder = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "prompt-decoder");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong decodeRequest = new AtomicLong();
    private EmbeddingService service;
    /** The model prompts go to now: the user's own, or one borrowed from the auto-switch. */
    private Segmenter segmenter;
    /** The model the user loaded (menu, Model Manager, last session): closed when replaced. */
    private Segmenter owned;

    private final ReadOnlyObjectWrapper<ImageEmbedding> embedding = new ReadOnlyObjectWrapper<>(this, "embedding");
    private final ObjectProperty<Prompt> prompt = new SimpleObjectProperty<>(this, "prompt", Prompt.empty());
    private final ReadOnlyObjectWrapper<MaskPrediction> prediction = new ReadOnlyObjectWrapper<>(this, "prediction");
    private final IntegerProperty candidate = new SimpleIntegerProperty(this, "candidate", 0);
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "no model loaded");
    private final ReadOnlyObjectWrapper<String> problem = new ReadOnlyObjectWrapper<>(this, "problem");
    private final ReadOnlyObjectWrapper<java.nio.file.Path> checkpoint = new ReadOnlyObjectWrapper<>(this, "checkpoint");
    /** Model id of the segmenter that produced the prediction on screen (the auto-switch may change it per photo). */
    private final ReadOnlyStringWrapper predictedBy = new ReadOnlyStringWrapper(this, "predictedBy");
    private String currentSourceId;
    /** What is on screen, kept so that a model loaded later (or switched) embeds it at once. */
    private ImageSource currentSource;
    private List<ImageSource> currentPrefetch = List.of();
    /** Time the last mask took from prompt change to result, for the status bar. */
    private volatile double lastDecodeMillis;

    public SegmentationViewModel(EmbeddingCache cache) {
        this.cache = cache;
        prompt.addListener((obs, old, p) -> decode());
    }

    /**
     * Loads a checkpoint in the background (seconds for ViT-B, more for ViT-H) and switches to it;
     * a file that cannot be used leaves the current model in place and reports why.
     */
    public void loadModel(java.nio.file.Path checkpoint, java.util.function.Consumer<Segmenter> onLoaded) {
        status.set("loading " + checkpoint.getFileName() + "…");
        Thread loader = new Thread(() -> {
            try {
                Segmenter s = org.robustsam.studio.inference.Segmenters.open(checkpoint);
                Platform.runLater(() -> {
                    setSegmenter(s);
                    this.checkpoint.set(checkpoint);
                    if (onLoaded != null) {
                        onLoaded.accept(s);
                    }
                });
            } catch (Exception | OutOfMemoryError e) {
                String msg = e instanceof java.io.IOException ? e.getMessage()
                        : checkpoint.getFileName() + ": cannot load (" + e + ")";
                Platform.runLater(() -> {
                    problem.set(msg);
                    status.set(segmenter == null ? "no model loaded" : "ready: " + segmenter.modelId());
                });
            }
        }, "model-loader");
        loader.setDaemon(true);
        loader.start();
    }

    /** Uses a new model of the user's own (or none); the previous own model is closed. */
    public void setSegmenter(Segmenter newSegmenter) {
        Segmenter oldOwned = owned;
        owned = newSegmenter;
        activate(newSegmenter, true);
        if (oldOwned != null && oldOwned != newSegmenter && oldOwned != segmenter) {
            decoder.submit(oldOwned::close); // after any decode still using it
        }
    }

    /**
     * Prompts with a model owned elsewhere (the auto-switch's SAM or RobustSAM), which is not closed
     * here; null goes back to the user's own model. With {@code reshow} the photo on screen is
     * embedded again with it; the caller that is about to show a new photo passes false.
     */
    public void borrow(Segmenter borrowed, boolean reshow) {
        activate(borrowed != null ? borrowed : owned, reshow);
    }

    /**
     * Closes a model that is no longer handed out, after any decode still using it (the same way a
     * replaced own model is closed).
     */
    public void retire(Segmenter s) {
        if (s == null) {
            return;
        }
        try {
            decoder.submit(s::close);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            s.close(); // shut down: no decode can be running
        }
    }

    /** The user's own model (what the model menu loaded), whatever is borrowed now. */
    public Segmenter ownSegmenter() {
        return owned;
    }

    /** Makes {@code newSegmenter} the one prompts go to; embeddings of the previous one are no longer shown. */
    private void activate(Segmenter newSegmenter, boolean reshow) {
        if (newSegmenter == segmenter) {
            return;
        }
        segmenter = newSegmenter;
        embedding.set(null);
        prediction.set(null);
        if (service == null && newSegmenter != null) {
            service = new EmbeddingService(newSegmenter, cache, Platform::runLater);
            service.setActivityListener(a -> Platform.runLater(() -> {
                if (a.busy()) {
                    status.set((a.prefetch() ? "prefetching " : "computing embedding of ") + a.sourceId() + "…");
                } else if (embedding.get() != null && segmenter != null) {
                    status.set("ready: " + segmenter.modelId());
                }
            }));
        } else if (service != null && newSegmenter != null) {
            service.setEncoder(newSegmenter);
        }
        status.set(newSegmenter == null ? "no model loaded" : "model " + newSegmenter.modelId() + " loaded");
        if (reshow && newSegmenter != null && currentSource != null) {
            showImage(currentSource, currentPrefetch);
        }
    }

    /** The embedding cache shared with other views (the compare view reuses its entries). */
    public EmbeddingCache cache() {
        return cache;
    }

    public Segmenter segmenter() {
        return segmenter;
    }

    /** The photo on screen changed: embed it (cache first), then prefetch the given next photos. */
    public void showImage(ImageSource current, List<ImageSource> prefetch) {
        currentSource = current;
        currentPrefetch = prefetch;
        currentSourceId = current == null ? null : current.id();
        embedding.set(null);
        clearPrompt();
        if (service == null || current == null) {
            return;
        }
        service.request(current, prefetch, (src, e) -> {
            if (src.id().equals(currentSourceId) && segmenter != null && e.modelKey().equals(segmenter.modelKey())) {
                embedding.set(e);
                status.set("ready: " + segmenter.modelId());
                decode();
            }
        }, (src, ex) -> {
            problem.set(ex.getMessage());
            status.set("embedding failed: " + ex.getMessage());
        });
    }

    public void addPoint(Prompt.Point p) {
        MaskPrediction last = prediction.get();
        Prompt next = prompt.get().withPoint(p);
        if (last != null && !prompt.get().isEmpty()) {
            next = next.withMaskInput(last.lowResLogits()[Math.min(candidate.get(), last.count() - 1)]);
        }
        prompt.set(next);
    }

    public void setBox(Prompt.Box b) {
        prompt.set(new Prompt(prompt.get().points(), b, null));
    }

    public void clearPrompt() {
        decodeRequest.incrementAndGet();
        prompt.set(Prompt.empty());
        prediction.set(null);
        candidate.set(0);
    }

    /** Cycles through the multimask candidates (Tab). */
    public void nextCandidate() {
        MaskPrediction p = prediction.get();
        if (p != null && p.count() > 1) {
            candidate.set((candidate.get() + 1) % p.count());
        }
    }

    /** The chosen mask as 0/1 bytes of the photo's size, or null. */
    public byte[] selectedMask() {
        MaskPrediction p = prediction.get();
        return p == null ? null : p.masks()[Math.min(candidate.get(), p.count() - 1)];
    }

    private void decode() {
        Prompt p = prompt.get();
        ImageEmbedding e = embedding.get();
        Segmenter s = segmenter;
        if (p == null || p.isEmpty() || e == null || s == null) {
            return;
        }
        long request = decodeRequest.incrementAndGet();
        // One point alone is ambiguous (part, object, group): ask for three candidates.
        boolean multimask = p.box() == null && p.points().size() == 1 && s.multimaskForSingleClicks();
        decoder.submit(() -> {
            if (decodeRequest.get() != request) {
                return; // a newer prompt is already queued
            }
            long t0 = System.nanoTime();
            try {
                MaskPrediction r = s.predict(e, p, multimask);
                double ms = (System.nanoTime() - t0) / 1e6;
                Platform.runLater(() -> {
                    if (decodeRequest.get() == request) {
                        lastDecodeMillis = ms;
                        candidate.set(multimask ? r.best() : 0);
                        predictedBy.set(s.modelId());
                        prediction.set(r);
                        status.set(String.format("mask in %.0f ms (%s)", ms, s.modelId()));
                    }
                });
            } catch (InferenceException ex) {
                Platform.runLater(() -> problem.set(ex.getMessage()));
            }
        });
    }

    public ReadOnlyStringProperty predictedByProperty() {
        return predictedBy.getReadOnlyProperty();
    }

    /** The checkpoint file of the user's own loaded model. */
    public ReadOnlyObjectProperty<java.nio.file.Path> checkpointProperty() {
        return checkpoint.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<ImageEmbedding> embeddingProperty() {
        return embedding.getReadOnlyProperty();
    }

    public ObjectProperty<Prompt> promptProperty() {
        return prompt;
    }

    public ReadOnlyObjectProperty<MaskPrediction> predictionProperty() {
        return prediction.getReadOnlyProperty();
    }

    public IntegerProperty candidateProperty() {
        return candidate;
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** The latest error (names the image or model), for the banner. */
    public ReadOnlyObjectProperty<String> problemProperty() {
        return problem.getReadOnlyProperty();
    }

    public double lastDecodeMillis() {
        return lastDecodeMillis;
    }

    @Override
    public void close() {
        if (service != null) {
            service.close();
        }
        decoder.shutdown();
        try {
            // A decode still running uses the model's native memory: let it finish first.
            decoder.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Borrowed models belong to the auto-switch, which closes them itself.
        if (owned != null) {
            Segmenter s = owned;
            owned = null;
            segmenter = null;
            s.close();
        }
    }
}
