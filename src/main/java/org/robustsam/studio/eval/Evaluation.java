package org.robustsam.studio.eval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.robustsam.studio.annotate.mask.BinaryMask;
import org.robustsam.studio.degrade.Degradations;
import org.robustsam.studio.image.ImageLoader;
import org.robustsam.studio.image.RgbImage;
import org.robustsam.studio.inference.ImageEmbedding;
import org.robustsam.studio.inference.MaskPrediction;
import org.robustsam.studio.inference.Prompt;

/**
 * Runs the paper's evaluation: for each image x object x condition (each degradation, clean) x
 * model x prompt type, the model's single mask (multimask off, as the reference's {@code eval.py})
 * for a prompt derived from the ground truth ({@link GroundTruthPrompts}), scored with
 * {@link MaskMetrics}.
 *
 * <p>Cost and reuse: the image encoder dominates, so each degraded image is made once (shared by
 * all models) and encoded once per model, and that embedding serves every object and prompt type.
 * Work is split by (image, condition) over worker threads; encodes take turns (one at a time: an
 * encode already uses every core and holds the most native memory), while other workers degrade,
 * decode and score. Results do not depend on the thread count.
 *
 * <p>Resuming: rows already in {@code cases.csv} with the same key (image, object, condition,
 * severity, model and its checkpoint fingerprint, prompt, point rule, seed, boundary tolerance) are
 * reused; an (image, condition, model) whose rows are all there is not encoded again. Rows of other
 * settings stay in the file untouched; the result and the table cover this run's cases only.
 */
public final class Evaluation {
    /** Progress and problems, called from worker threads (implementations must be thread-safe). */
    public interface Listener {
        /** Before work starts: cases in this run, and how many of them the CSV already holds. */
        default void planned(int total, int alreadyDone) {}

        default void progressed(int done, int total) {}

        default void issue(EvalIssue issue) {}
    }

    /**
     * @param cases this run's rows, in plan order (image, condition, model, object, prompt)
     * @param issues what was skipped while running (not the dataset's or model loading's)
     * @param computed rows computed now
     * @param reused rows taken from the CSV
     * @param cancelled whether {@link #cancel()} stopped the run early
     */
    public record Result(List<EvalCase> cases, List<EvalIssue> issues, int computed, int reused, boolean cancelled) {}

    /** A case to compute. */
    private record Planned(int object, EvalModel model, PromptType prompt, EvalCase.Key key) {}

    /** One (image, condition): the unit of work of a thread. */
    private record Unit(EvalImage image, EvalCondition condition, Map<EvalModel, List<Planned>> todo) {}

    /** An image's pixels and decoded masks, shared by its units, dropped when the last one ends. */
    private static final class ImageSlot {
        final AtomicInteger unitsLeft;
        RgbImage rgb;
        List<BinaryMask> truths;
        String problem;
        boolean loaded;

        ImageSlot(int units) {
            unitsLeft = new AtomicInteger(units);
        }
    }

    private final EvalDataset dataset;
    private final List<EvalModel> models;
    private final EvalSettings settings;
    private final ImageLoader loader = new ImageLoader();
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final Semaphore encodeTurn = new Semaphore(1, true);

    public Evaluation(EvalDataset dataset, List<EvalModel> models, EvalSettings settings) {
        if (models.isEmpty()) {
            throw new IllegalArgumentException("no model to evaluate");
        }
        this.dataset = dataset;
        this.models = List.copyOf(models);
        this.settings = settings;
    }

    /** Stops after the cases in progress; rows written so far stay in the CSV for a later resume. */
    public void cancel() {
        cancelled.set(true);
    }

    /** The key of one case under this run's settings. */
    private EvalCase.Key key(EvalImage image, GroundTruthObject object, EvalCondition c, EvalModel m, PromptType p) {
        return new EvalCase.Key(image.name(), object.index(), c.id(), c.isClean() ? 0 : settings.severity(), m.name(),
                m.segmenter().modelKey(), p.id(), p == PromptType.POINT ? settings.pointRule().id() : "",
                settings.seed(), settings.tolerance().toString());
    }

    /**
     * Runs every case not yet in {@code casesCsv}, appending rows as they finish, then rewrites the
     * file in plan order (this run's rows first, then any rows of other settings).
     */
    public Result run(Path casesCsv, Listener listener) throws EvalException {
        Map<EvalCase.Key, EvalCase> existing = CasesCsv.read(casesCsv);
        List<EvalCondition> conditions = settings.conditions();
        List<EvalCase.Key> planOrder = new ArrayList<>();
        List<Unit> units = new ArrayList<>();
        for (EvalImage image : dataset.images()) {
            for (EvalCondition c : conditions) {
                Map<EvalModel, List<Planned>> todo = new LinkedHashMap<>();
                for (EvalModel m : models) {
                    List<Planned> list = new ArrayList<>();
                    for (GroundTruthObject o : image.objects()) {
                        for (PromptType p : settings.prompts()) {
                            EvalCase.Key k = key(image, o, c, m, p);
                            planOrder.add(k);
                            if (!existing.containsKey(k)) {
                                list.add(new Planned(o.index(), m, p, k));
                            }
                        }
                    }
                    if (!list.isEmpty()) {
                        todo.put(m, list);
                    }
                }
                if (!todo.isEmpty()) {
                    units.add(new Unit(image, c, todo));
                }
            }
        }
        int total = planOrder.size();
        int reused = (int) planOrder.stream().filter(existing::containsKey).count();
        listener.planned(total, reused);
        listener.progressed(reused, total);

        Map<EvalCase.Key, EvalCase> fresh = Collections.synchronizedMap(new HashMap<>());
        List<EvalIssue> issues = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger done = new AtomicInteger(reused);
        AtomicReference<IOException> writeFailure = new AtomicReference<>();
        Map<String, ImageSlot> slots = new HashMap<>();
        for (Unit u : units) {
            slots.computeIfAbsent(u.image().name(), n -> new ImageSlot(0)).unitsLeft.incrementAndGet();
        }

        List<EvalCase> keep = new ArrayList<>(existing.values());
        try (CasesCsv csv = CasesCsv.rewriteAndAppend(casesCsv, keep)) {
            int threads = Math.max(1, Math.min(settings.threads() > 0 ? settings.threads() : autoThreads(), Math.max(1, units.size())));
            ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "eval-worker");
                t.setDaemon(true);
                return t;
            });
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (Unit u : units) {
                    futures.add(pool.submit(() -> runUnit(u, slots.get(u.image().name()), csv, fresh, issues, done, total,
                            listener, writeFailure)));
                }
                for (Future<?> f : futures) {
                    try {
                        f.get();
                    } catch (ExecutionException e) {
                        // runUnit reports its own failures; anything else is a bug worth surfacing.
                        cancelled.set(true);
                        throw new EvalException("evaluation worker failed: " + e.getCause(), e.getCause());
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                cancelled.set(true);
            } finally {
                pool.shutdownNow();
            }
        } catch (IOException e) {
            if (e instanceof EvalException ee) {
                throw ee;
            }
            throw new EvalException(casesCsv + ": " + e.getMessage(), e);
        }
        if (writeFailure.get() != null) {
            throw new EvalException(casesCsv + ": cannot append results (" + writeFailure.get().getMessage() + ")", writeFailure.get());
        }

        // This run's rows in plan order, then rows of other settings as they were.
        List<EvalCase> ordered = new ArrayList<>();
        for (EvalCase.Key k : planOrder) {
            EvalCase c = fresh.containsKey(k) ? fresh.get(k) : existing.get(k);
            if (c != null) {
                ordered.add(c);
            }
        }
        java.util.Set<EvalCase.Key> planned = new java.util.HashSet<>(planOrder);
        List<EvalCase> all = new ArrayList<>(ordered);
        for (EvalCase c : existing.values()) {
            if (!planned.contains(c.key())) {
                all.add(c);
            }
        }
        CasesCsv.writeAll(casesCsv, all);
        List<EvalIssue> sorted;
        synchronized (issues) {
            sorted = new ArrayList<>(issues);
        }
        return new Result(ordered, sorted, fresh.size(), reused, cancelled.get());
    }

    private void runUnit(Unit u, ImageSlot slot, CasesCsv csv, Map<EvalCase.Key, EvalCase> fresh, List<EvalIssue> issues,
                         AtomicInteger done, int total, Listener listener, AtomicReference<IOException> writeFailure) {
        int cases = u.todo().values().stream().mapToInt(List::size).sum();
        try {
            if (cancelled.get()) {
                return;
            }
            EvalImage image = u.image();
            if (!load(image, slot, issues, listener)) {
                listener.progressed(done.addAndGet(cases), total);
                return;
            }
            RgbImage view = u.condition().isClean() ? slot.rgb
                    : u.condition().degradation().apply(slot.rgb, settings.severity(), Degradations.seedFor(settings.seed(), image.name()));
            int tolerancePx = settings.tolerance().pixelsFor(image.width(), image.height());
            for (Map.Entry<EvalModel, List<Planned>> e : u.todo().entrySet()) {
                EvalModel model = e.getKey();
                List<Planned> todo = e.getValue();
                if (cancelled.get()) {
                    return;
                }
                ImageEmbedding embedding;
                try {
                    encodeTurn.acquire();
                    try {
                        embedding = model.segmenter().encode(view);
                    } finally {
                        encodeTurn.release();
                    }
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (Exception | OutOfMemoryError ex) {
                    report(new EvalIssue(EvalIssue.Kind.PREDICTION_FAILED, image.name() + " (" + u.condition().id() + ")",
                            model.name() + " could not encode it: " + message(ex) + "; its " + todo.size() + " cases are left out"),
                            issues, listener);
                    listener.progressed(done.addAndGet(todo.size()), total);
                    continue;
                }
                for (Planned p : todo) {
                    if (cancelled.get()) {
                        return;
                    }
                    GroundTruthObject object = image.objects().stream().filter(o -> o.index() == p.object()).findFirst().orElseThrow();
                    BinaryMask truth = slot.truths.get(image.objects().indexOf(object));
                    try {
                        EvalCase row = score(image, object, truth, u.condition(), p, embedding, tolerancePx);
                        csv.append(row);
                        fresh.put(p.key(), row);
                    } catch (IOException io) {
                        writeFailure.compareAndSet(null, io);
                        cancelled.set(true);
                        return;
                    } catch (Exception | OutOfMemoryError ex) {
                        report(new EvalIssue(EvalIssue.Kind.PREDICTION_FAILED, image.name() + "#" + object.index(),
                                model.name() + ", " + u.condition().id() + ", " + p.prompt().id() + ": " + message(ex)), issues, listener);
                    }
                    listener.progressed(done.incrementAndGet(), total);
                }
            }
        } finally {
            if (slot.unitsLeft.decrementAndGet() == 0) {
                synchronized (slot) {
                    slot.rgb = null; // the last unit of this image is done: let the pixels go
                    slot.truths = null;
                }
            }
        }
    }

    /** Loads an image and its masks once for all its units; false (reported once) when unusable. */
    private boolean load(EvalImage image, ImageSlot slot, List<EvalIssue> issues, Listener listener) {
        synchronized (slot) {
            if (!slot.loaded) {
                slot.loaded = true;
                try {
                    RgbImage rgb = loader.load(image.file());
                    if (rgb.width() != image.width() || rgb.height() != image.height()) {
                        slot.problem = String.format(Locale.ROOT, "the annotation is for %dx%d but the image is %dx%d",
                                image.width(), image.height(), rgb.width(), rgb.height());
                    } else {
                        List<BinaryMask> truths = new ArrayList<>();
                        for (GroundTruthObject o : image.objects()) {
                            truths.add(o.mask().decode());
                        }
                        slot.rgb = rgb;
                        slot.truths = truths;
                    }
                } catch (IOException | RuntimeException | OutOfMemoryError e) {
                    slot.problem = message(e);
                }
                if (slot.problem != null) {
                    report(new EvalIssue(EvalIssue.Kind.BAD_IMAGE, image.name(), slot.problem + "; skipped"), issues, listener);
                }
            }
            return slot.problem == null;
        }
    }

    private EvalCase score(EvalImage image, GroundTruthObject object, BinaryMask truth, EvalCondition condition, Planned p,
                           ImageEmbedding embedding, int tolerancePx) throws Exception {
        long pointSeed = Degradations.seedFor(settings.seed(), image.name() + "#" + object.index() + "#point");
        Prompt prompt = GroundTruthPrompts.derive(truth, p.prompt(), settings.pointRule(), pointSeed);
        MaskPrediction prediction = p.model().segmenter().predict(embedding, prompt, false);
        byte[] mask = prediction.masks()[0];
        SegmentationScores s = MaskMetrics.score(mask, truth.toRowMajor(), image.width(), image.height(), tolerancePx);
        EvalCase.Key k = p.key();
        return new EvalCase(k.image(), k.object(), object.label(), k.condition(), k.severity(), k.model(), k.modelKey(), k.prompt(),
                k.pointRule(), k.seed(), k.boundaryTolerance(), coords(prompt), EvalCase.round6(s.iou()), EvalCase.round6(s.dice()),
                EvalCase.round6(s.pixelAccuracy()), EvalCase.round6(s.boundaryF()), tolerancePx,
                EvalCase.round6(prediction.iouScores()[0]), truth.area(), prediction.area(0));
    }

    private static String coords(Prompt p) {
        if (p.box() != null) {
            Prompt.Box b = p.box();
            return String.format(Locale.ROOT, "%s %s %s %s", n(b.x0()), n(b.y0()), n(b.x1()), n(b.y1()));
        }
        Prompt.Point pt = p.points().get(0);
        return n(pt.x()) + " " + n(pt.y());
    }

    private static String n(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    private static void report(EvalIssue issue, List<EvalIssue> issues, Listener listener) {
        issues.add(issue);
        listener.issue(issue);
    }

    private static String message(Throwable t) {
        if (t instanceof OutOfMemoryError) {
            return "not enough memory";
        }
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }

    /**
     * Workers by cores and free heap: each holds an image, its degraded copy, masks and one
     * embedding at a time (native encoder memory is bounded separately: one encode at a time).
     */
    private int autoThreads() {
        long maxPixels = 1;
        int maxObjects = 1;
        for (EvalImage i : dataset.images()) {
            maxPixels = Math.max(maxPixels, (long) i.width() * i.height());
            maxObjects = Math.max(maxObjects, i.objects().size());
        }
        long perWorker = maxPixels * (4L * 3 + maxObjects + 4) + (96L << 20);
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        long byMemory = Math.max(1, free / 2 / perWorker);
        return (int) Math.max(1, Math.min(Math.min(rt.availableProcessors(), 4), byMemory));
    }
}
