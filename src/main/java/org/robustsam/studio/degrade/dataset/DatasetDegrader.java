package org.robustsam.studio.degrade.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.robustsam.studio.degrade.Degradation;
import org.robustsam.studio.degrade.Degradations;
import org.robustsam.studio.image.ImageLoader;
import org.robustsam.studio.image.RgbImage;

/**
 * Writes a Robust-Seg-style dataset: for every image, degradation and severity a degraded copy in
 * {@code <out>/<degradation>/s<severity>/}, its annotation beside it (LabelMe: one json per copy
 * with {@code imagePath} pointing at the copy; COCO: {@code annotations.json} per folder with the
 * copies' file names), and {@code manifest.csv} / {@code manifest.json} listing every output.
 *
 * <p>Resumable: a copy already present under its final name is complete (files are written under
 * a temporary name and renamed) and is kept. The run's seed and format are recorded in
 * {@value #SETTINGS_FILE}; resuming with different ones is refused instead of mixing datasets.
 * Parallel over a fixed pool; each decoded image is shared by its tasks and dropped after them.
 */
public final class DatasetDegrader {
    public static final String SETTINGS_FILE = "degrade-settings.json";
    public static final String MANIFEST_CSV = "manifest.csv";
    public static final String MANIFEST_JSON = "manifest.json";
    public static final String COCO_FILE = "annotations.json";

    /** File format of the copies; JPEG compression is always stored as PNG to keep its artefacts exact. */
    public enum Format {
        PNG("png"), JPG("jpg");

        private final String extension;

        Format(String extension) {
            this.extension = extension;
        }

        public String extension() {
            return extension;
        }
    }

    /** What to write. {@code threads} >= 1. */
    public record Options(List<Degradation> types, List<Integer> severities, long seed, Path out, int threads,
                          Format format, boolean overwrite) {
        public Options {
            types = List.copyOf(types);
            severities = List.copyOf(severities);
            Objects.requireNonNull(out, "out");
            Objects.requireNonNull(format, "format");
            if (types.isEmpty() || severities.isEmpty()) {
                throw new IllegalArgumentException("no degradations or severities chosen");
            }
            severities.forEach(Degradation::checkSeverity);
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1, got " + threads);
            }
        }
    }

    /**
     * One manifest row. {@code output} is relative to the output folder ('/'-separated);
     * {@code seed} is the one {@code Degradations.get(degradation).apply(image, severity, seed)} takes.
     */
    public record Entry(String source, String degradation, int severity, long seed, String output, String annotation,
                        String status) {
        public static final String WRITTEN = "written";
        public static final String EXISTING = "existing";

        public boolean failed() {
            return !WRITTEN.equals(status) && !EXISTING.equals(status);
        }
    }

    /** Progress and warnings while a run goes on (called from worker threads). */
    public interface Listener {
        default void started(int total) {}

        default void progressed(int done, int total) {}

        default void warning(String message) {}
    }

    /** The run's outcome. */
    public record Result(List<Entry> entries, int written, int existing, int failed, Path manifestCsv,
                         Path manifestJson) {}

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final ImageLoader loader = new ImageLoader();

    /**
     * Checks that {@code out} is, or can become, a writable folder, before anything is written:
     * creates it (and its parents) when missing, then proves it writable with a probe file that is
     * deleted at once.
     */
    public static void prepareOutputFolder(Path out) throws DatasetException {
        Path dir = out.toAbsolutePath().normalize();
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new DatasetException(dir, "output path is a file, not a folder");
        }
        if (!Files.exists(dir)) {
            Path existing = dir.getParent();
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            if (existing != null && !Files.isDirectory(existing)) {
                throw new DatasetException(dir, "cannot create the output folder: " + existing + " is a file");
            }
            if (existing != null && !Files.isWritable(existing)) {
                throw new DatasetException(dir, "cannot create the output folder: " + existing + " is not writable");
            }
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new DatasetException(dir, "cannot create the output folder (" + e.getMessage() + ")", e);
            }
        }
        try {
            Path probe = Files.createTempFile(dir, ".write-check", AtomicFiles.PART_SUFFIX);
            Files.delete(probe);
        } catch (IOException e) {
            throw new DatasetException(dir, "output folder is not writable (" + e.getMessage() + ")", e);
        }
    }

    public Result run(SourceDataset dataset, Options options, Listener listener) throws IOException, InterruptedException {
        Path out = options.out().toAbsolutePath().normalize();
        prepareOutputFolder(out);
        checkSettings(out, options);

        List<Task> tasks = new ArrayList<>();
        List<SourceDataset.SourceImage> images = dataset.images();
        for (int i = 0; i < images.size(); i++) {
            for (Degradation d : options.types()) {
                for (int s : options.severities()) {
                    tasks.add(new Task(tasks.size(), i, d, s));
                }
            }
        }
        for (Degradation d : options.types()) {
            for (int s : options.severities()) {
                Path folder = out.resolve(folderName(d, s));
                Files.createDirectories(folder);
                AtomicFiles.deleteLeftovers(folder);
            }
        }

        Entry[] entries = new Entry[tasks.size()];
        AtomicInteger[] remaining = new AtomicInteger[images.size()];
        for (int i = 0; i < images.size(); i++) {
            remaining[i] = new AtomicInteger(options.types().size() * options.severities().size());
        }
        ConcurrentHashMap<Integer, CompletableFuture<RgbImage>> decoded = new ConcurrentHashMap<>();
        AtomicInteger done = new AtomicInteger();
        listener.started(tasks.size());

        ExecutorService pool = Executors.newFixedThreadPool(options.threads(), r -> {
            Thread t = new Thread(r, "degrade-worker");
            t.setDaemon(true);
            return t;
        });
        // At most 2 tasks per thread queued: memory stays bounded and images are decoded in order.
        Semaphore inFlight = new Semaphore(options.threads() * 2);
        try {
            for (Task task : tasks) {
                inFlight.acquire();
                pool.execute(() -> {
                    try {
                        entries[task.index] = runTask(dataset, options, out, task, decoded, listener);
                    } catch (RuntimeException | Error e) {
                        entries[task.index] = entry(dataset, options, task, "failed: " + e, null);
                    } finally {
                        if (remaining[task.image].decrementAndGet() == 0) {
                            decoded.remove(task.image);
                        }
                        listener.progressed(done.incrementAndGet(), tasks.size());
                        inFlight.release();
                    }
                });
            }
            inFlight.acquire(options.threads() * 2); // wait for the last tasks
            inFlight.release(options.threads() * 2);
        } finally {
            pool.shutdownNow();
        }

        List<Entry> list = List.of(entries);
        if (dataset.kind() == SourceDataset.Kind.COCO) {
            writeCocoFiles(dataset, options, out, list);
        }
        Path csv = out.resolve(MANIFEST_CSV);
        Path json = out.resolve(MANIFEST_JSON);
        writeManifestCsv(csv, list);
        writeManifestJson(json, dataset, options, list);
        int written = (int) list.stream().filter(e -> Entry.WRITTEN.equals(e.status())).count();
        int existing = (int) list.stream().filter(e -> Entry.EXISTING.equals(e.status())).count();
        return new Result(list, written, existing, list.size() - written - existing, csv, json);
    }

    private record Task(int index, int image, Degradation degradation, int severity) {}

    private Entry runTask(SourceDataset dataset, Options options, Path out, Task task,
                          ConcurrentHashMap<Integer, CompletableFuture<RgbImage>> decoded, Listener listener) {
        SourceDataset.SourceImage src = dataset.images().get(task.image);
        if (src.file() == null) {
            return entry(dataset, options, task, "failed: image file not found", null);
        }
        String output = outputPath(options, task.degradation, task.severity, src);
        Path target = out.resolve(output);
        try {
            if (!options.overwrite() && Files.isRegularFile(target)) {
                writeLabelmeIfMissing(src, target);
                return entry(dataset, options, task, Entry.EXISTING, output);
            }
            RgbImage image = decode(src, task.image, decoded, listener);
            RgbImage degraded = task.degradation.apply(image, task.severity, seedOf(options, src));
            Format format = formatFor(options, task.degradation);
            AtomicFiles.write(target, os -> writeImage(degraded, format, os));
            if (src.annotation() == SourceDataset.Annotation.LABELME) {
                writeLabelme(src, target);
            }
            return entry(dataset, options, task, Entry.WRITTEN, output);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return entry(dataset, options, task, "failed: " + cause.getMessage(), null);
        } catch (IOException e) {
            listener.warning(output + ": cannot be written (" + e.getMessage() + ")");
            return entry(dataset, options, task, "failed: cannot write (" + e.getMessage() + ")", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return entry(dataset, options, task, "failed: interrupted", null);
        }
    }

    /** The decoded image, loaded once by whichever task needs it first. */
    private RgbImage decode(SourceDataset.SourceImage src, int index,
                            ConcurrentHashMap<Integer, CompletableFuture<RgbImage>> decoded, Listener listener)
            throws ExecutionException, InterruptedException {
        CompletableFuture<RgbImage> mine = new CompletableFuture<>();
        CompletableFuture<RgbImage> existing = decoded.putIfAbsent(index, mine);
        if (existing != null) {
            return existing.get();
        }
        try {
            mine.complete(loader.load(src.file()));
        } catch (IOException | RuntimeException | OutOfMemoryError e) {
            listener.warning(e.getMessage() + "; its copies are skipped, listed as failed in the manifest");
            mine.completeExceptionally(e);
        }
        return mine.get();
    }

    private static Entry entry(SourceDataset dataset, Options options, Task task, String status, String output) {
        SourceDataset.SourceImage src = dataset.images().get(task.image);
        return new Entry(src.name(), task.degradation.id(), task.severity, seedOf(options, src), output == null ? "" : output,
                src.annotation().name().toLowerCase(Locale.ROOT), status);
    }

    /** The seed an image is degraded with: the run's seed mixed with its name in the dataset. */
    public static long seedOf(Options options, SourceDataset.SourceImage src) {
        return Degradations.seedFor(options.seed(), src.name());
    }

    public static String folderName(Degradation d, int severity) {
        return d.id() + "/s" + severity;
    }

    private static Format formatFor(Options options, Degradation d) {
        return d.id().equals("compression") ? Format.PNG : options.format();
    }

    private static String outputPath(Options options, Degradation d, int severity, SourceDataset.SourceImage src) {
        return folderName(d, severity) + "/" + src.outputStem() + "." + formatFor(options, d).extension();
    }

    private static void writeImage(RgbImage image, Format format, OutputStream os) throws IOException {
        if (format == Format.PNG) {
            if (!ImageIO.write(image.toBufferedImage(), "png", os)) {
                throw new IOException("no PNG writer available");
            }
            return;
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(os)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.95f);
            writer.setOutput(ios);
            writer.write(null, new IIOImage(image.toBufferedImage(), null, null), param);
        } finally {
            writer.dispose();
        }
    }

    private static Path labelmeTarget(Path imageTarget) {
        String name = imageTarget.getFileName().toString();
        return imageTarget.resolveSibling(name.substring(0, name.lastIndexOf('.')) + ".json");
    }

    /** The LabelMe json beside a copy: the same shapes, imagePath naming the copy, no embedded image. */
    private static void writeLabelme(SourceDataset.SourceImage src, Path imageTarget) throws IOException {
        ObjectNode doc = src.labelme().deepCopy();
        doc.put("imagePath", imageTarget.getFileName().toString());
        doc.putNull("imageData"); // an embedded copy would be the clean image
        byte[] bytes = JSON.writeValueAsBytes(doc);
        AtomicFiles.write(labelmeTarget(imageTarget), os -> os.write(bytes));
    }

    private static void writeLabelmeIfMissing(SourceDataset.SourceImage src, Path imageTarget) throws IOException {
        if (src.annotation() == SourceDataset.Annotation.LABELME && !Files.isRegularFile(labelmeTarget(imageTarget))) {
            writeLabelme(src, imageTarget);
        }
    }

    /** One COCO file per output folder: the input document with the copies' file names, minus failed images. */
    private static void writeCocoFiles(SourceDataset dataset, Options options, Path out, List<Entry> entries) throws IOException {
        for (Degradation d : options.types()) {
            for (int s : options.severities()) {
                Set<String> present = new HashSet<>();
                for (Entry e : entries) {
                    if (!e.failed() && e.degradation().equals(d.id()) && e.severity() == s) {
                        present.add(e.source());
                    }
                }
                ObjectNode doc = dataset.coco().deepCopy();
                ArrayNode images = JSON.createArrayNode();
                Set<String> keptIds = new HashSet<>();
                for (SourceDataset.SourceImage src : dataset.images()) {
                    if (!present.contains(src.name())) {
                        continue;
                    }
                    for (JsonNode img : dataset.coco().get("images")) {
                        if (img.get("id").equals(src.cocoId())) {
                            ObjectNode copy = img.deepCopy();
                            copy.put("file_name", src.outputStem() + "." + formatFor(options, d).extension());
                            images.add(copy);
                            keptIds.add(src.cocoId().asText());
                            break;
                        }
                    }
                }
                doc.set("images", images);
                ArrayNode annotations = JSON.createArrayNode();
                for (JsonNode a : dataset.coco().path("annotations")) {
                    if (keptIds.contains(a.path("image_id").asText())) {
                        annotations.add(a);
                    }
                }
                doc.set("annotations", annotations);
                byte[] bytes = JSON.writeValueAsBytes(doc);
                AtomicFiles.write(out.resolve(folderName(d, s)).resolve(COCO_FILE), os -> os.write(bytes));
            }
        }
    }

    private static void checkSettings(Path out, Options options) throws IOException {
        Path file = out.resolve(SETTINGS_FILE);
        ObjectNode settings = JSON.createObjectNode();
        settings.put("seed", options.seed());
        settings.put("format", options.format().extension());
        if (Files.isRegularFile(file) && !options.overwrite()) {
            JsonNode old;
            try {
                old = JSON.readTree(file.toFile());
            } catch (IOException e) {
                throw new DatasetException(file, "unreadable settings of an earlier run (" + e.getMessage()
                        + "); pass --overwrite to start again");
            }
            if (old.path("seed").asLong() != options.seed() || !old.path("format").asText().equals(options.format().extension())) {
                throw new DatasetException(out, "holds a dataset made with seed " + old.path("seed").asText() + " and format "
                        + old.path("format").asText() + "; resume with those, choose another output folder, or pass --overwrite");
            }
            return;
        }
        byte[] bytes = JSON.writeValueAsBytes(settings);
        AtomicFiles.write(file, os -> os.write(bytes));
    }

    private static void writeManifestCsv(Path file, List<Entry> entries) throws IOException {
        StringBuilder sb = new StringBuilder("source,degradation,severity,seed,output,annotation,status\n");
        for (Entry e : entries) {
            sb.append(csv(e.source())).append(',').append(e.degradation()).append(',').append(e.severity()).append(',')
                    .append(e.seed()).append(',').append(csv(e.output())).append(',').append(e.annotation()).append(',')
                    .append(csv(e.status())).append('\n');
        }
        byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, os -> os.write(bytes));
    }

    private static String csv(String v) {
        if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
            return "\"" + v.replace("\"", "\"\"") + "\"";
        }
        return v;
    }

    private static void writeManifestJson(Path file, SourceDataset dataset, Options options, List<Entry> entries) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("input", dataset.input().toString());
        root.put("kind", dataset.kind().name().toLowerCase(Locale.ROOT));
        root.put("seed", options.seed());
        root.put("format", options.format().extension());
        ArrayNode types = root.putArray("degradations");
        options.types().forEach(d -> types.add(d.id()));
        ArrayNode sev = root.putArray("severities");
        options.severities().forEach(sev::add);
        ArrayNode list = root.putArray("entries");
        for (Entry e : entries) {
            ObjectNode n = list.addObject();
            n.put("source", e.source());
            n.put("degradation", e.degradation());
            n.put("severity", e.severity());
            n.put("seed", e.seed());
            n.put("output", e.output());
            n.put("annotation", e.annotation());
            n.put("status", e.status());
        }
        byte[] bytes = JSON.writeValueAsBytes(root);
        AtomicFiles.write(file, os -> os.write(bytes));
    }
}
