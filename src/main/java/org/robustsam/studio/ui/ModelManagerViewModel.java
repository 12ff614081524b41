package org.robustsam.studio.ui;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Function;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.concurrent.Task;
import org.robustsam.studio.model.manager.CancelToken;
import org.robustsam.studio.model.manager.DownloadProgress;
import org.robustsam.studio.model.manager.ModelDownloader;
import org.robustsam.studio.model.manager.ModelState;
import org.robustsam.studio.model.manager.ModelStore;
import org.robustsam.studio.model.manager.NamedModel;
import org.robustsam.studio.model.registry.ModelEntry;
import org.robustsam.studio.model.registry.ModelIdentity;
import org.robustsam.studio.model.registry.ModelRegistry;

/**
 * The Model Manager without its window: one row per registry model with its state and disk use
 * (then one per model registered under a name of its own, such as a fine-tuning result),
 * downloads as {@link Task}s on background threads (progress with bytes, rate and time left),
 * cancel and resume, delete, "add local checkpoint", the models folder, and "use" handed to a
 * callback. State is read from disk only, so the list works offline; only Download touches the
 * network. Every method is called on the FX thread; the tasks report back there.
 */
public final class ModelManagerViewModel implements AutoCloseable {
    /** What a row shows: the store's {@link ModelState} plus "downloading" while a task runs. */
    public enum Status {
        NOT_DOWNLOADED("not downloaded"),
        DOWNLOADING("downloading"),
        PARTIAL("partial (can resume)"),
        READY("ready"),
        CORRUPT("corrupt (download again)"),
        /** A named model whose file is gone (moved or deleted outside the app). */
        MISSING("file missing");

        private final String label;

        Status(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        static Status of(ModelState state) {
            return switch (state) {
                case NOT_DOWNLOADED -> NOT_DOWNLOADED;
                case PARTIAL -> PARTIAL;
                case READY -> READY;
                case CORRUPT -> CORRUPT;
            };
        }
    }

    /** One model as the table shows it: a registry model, or one registered under a name of its own. */
    public static final class Row {
        private final ModelEntry entry;
        private final boolean named;
        private final ObjectProperty<Status> status = new SimpleObjectProperty<>(this, "status", Status.NOT_DOWNLOADED);
        private final LongProperty diskUse = new SimpleLongProperty(this, "diskUse");
        /** 0..1 while the size is known, -1 (indeterminate) otherwise. */
        private final DoubleProperty progress = new SimpleDoubleProperty(this, "progress");
        private final StringProperty progressText = new SimpleStringProperty(this, "progressText", "");
        private final BooleanProperty local = new SimpleBooleanProperty(this, "local");
        private final ObjectProperty<Path> file = new SimpleObjectProperty<>(this, "file");
        private DownloadTask task;

        Row(ModelEntry entry, boolean named) {
            this.entry = entry;
            this.named = named;
        }

        /** Whether this is a model registered under a name of its own (a fine-tuning result): nothing to download. */
        public boolean isNamed() {
            return named;
        }

        public ModelEntry entry() {
            return entry;
        }

        public String id() {
            return entry.id();
        }

        public String family() {
            return entry.family();
        }

        public String size() {
            return entry.size();
        }

        public ObjectProperty<Status> statusProperty() {
            return status;
        }

        public Status status() {
            return status.get();
        }

        public LongProperty diskUseProperty() {
            return diskUse;
        }

        public DoubleProperty progressProperty() {
            return progress;
        }

        public StringProperty progressTextProperty() {
            return progressText;
        }

        /** Whether the file is one the user added from elsewhere (Delete then only forgets it). */
        public BooleanProperty localProperty() {
            return local;
        }

        /** Where the model's file is (or will be once downloaded). */
        public ObjectProperty<Path> fileProperty() {
            return file;
        }

        public boolean canDownload() {
            return !named && (status.get() == Status.NOT_DOWNLOADED || status.get() == Status.CORRUPT);
        }

        public boolean canResume() {
            return !named && status.get() == Status.PARTIAL;
        }

        public boolean canCancel() {
            return status.get() == Status.DOWNLOADING && task != null && !task.token.isCancelled();
        }

        public boolean canDelete() {
            return status.get() != Status.DOWNLOADING && status.get() != Status.NOT_DOWNLOADED || local.get();
        }

        public boolean canUse() {
            return status.get() == Status.READY;
        }
    }

    /** Downloads one model; its value is the latest progress, so the row can show bytes, rate and ETA. */
    private final class DownloadTask extends Task<DownloadProgress> {
        private final ModelEntry entry;
        private final URI url;
        private final Path target;
        private final ModelDownloader downloader;
        final CancelToken token = new CancelToken();

        DownloadTask(ModelEntry entry, URI url, Path target, ModelDownloader downloader) {
            this.entry = entry;
            this.url = url;
            this.target = target;
            this.downloader = downloader;
        }

        @Override
        protected DownloadProgress call() throws Exception {
            // Registry sizes are exact only where a checksum is published; otherwise they only guide progress.
            long exactBytes = entry.sha256() != null ? entry.approxBytes() : 0;
            DownloadProgress[] last = {null};
            downloader.download(url, target, entry.sha256(), exactBytes, p -> {
                last[0] = p;
                updateValue(p);
            }, token);
            return last[0];
        }
    }

    private final ModelRegistry registry;
    private final ModelDownloader downloader;
    private final Function<ModelEntry, URI> urlOf;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "model-download");
        t.setDaemon(true);
        return t;
    });
    private final ObservableList<Row> rows = FXCollections.observableArrayList();
    private final ReadOnlyObjectWrapper<Path> modelsDir = new ReadOnlyObjectWrapper<>(this, "modelsDir");
    private final ReadOnlyObjectWrapper<UserMessage> message = new ReadOnlyObjectWrapper<>(this, "message");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy");
    private ModelStore store;
    private Consumer<Path> onUse = p -> {};
    private Consumer<Path> onModelsDirChanged = p -> {};

    /** The bundled registry, official addresses, the default downloader. */
    public ModelManagerViewModel(Path modelsDir) {
        this(ModelRegistry.bundled(), modelsDir, new ModelDownloader(), e -> URI.create(e.url()));
    }

    /**
     * @param urlOf where each model is downloaded from (tests and mirrors point this elsewhere)
     */
    public ModelManagerViewModel(ModelRegistry registry, Path modelsDir, ModelDownloader downloader, Function<ModelEntry, URI> urlOf) {
        this.registry = registry;
        this.downloader = downloader;
        this.urlOf = urlOf;
        for (ModelEntry e : registry.models()) {
            rows.add(new Row(e, false));
        }
        this.modelsDir.set(modelsDir);
        this.store = new ModelStore(modelsDir);
        refresh();
        if (rows.stream().noneMatch(r -> r.status() == Status.READY)) {
            String hint = registry.find("sam_vit_b").map(e -> " (" + e.id() + ", " + bytes(e.approxBytes()) + ", is a good start)").orElse("");
            info("No model on this computer yet: select one and press Download" + hint + ", or add a checkpoint you already have.");
        }
    }

    public ObservableList<Row> rows() {
        return rows;
    }

    public ModelRegistry registry() {
        return registry;
    }

    public Row row(String id) {
        return rows.stream().filter(r -> r.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no model '" + id + "' in the list"));
    }

    public ReadOnlyObjectProperty<Path> modelsDirProperty() {
        return modelsDir.getReadOnlyProperty();
    }

    /** The latest notice or problem (download failed, model added, …). */
    public ReadOnlyObjectProperty<UserMessage> messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** True while any download runs (the models folder cannot change then). */
    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    /** Called with the checkpoint file when the user presses Use on a ready model. */
    public void setOnUse(Consumer<Path> onUse) {
        this.onUse = onUse == null ? p -> {} : onUse;
    }

    /** Called with the new folder after the user changed it, to remember it. */
    public void setOnModelsDirChanged(Consumer<Path> onModelsDirChanged) {
        this.onModelsDirChanged = onModelsDirChanged == null ? p -> {} : onModelsDirChanged;
    }

    /**
     * Re-reads every row that is not downloading from disk, and the named models' list (rows for
     * models registered meanwhile, e.g. by a finished fine-tuning job, are added after the registry's).
     */
    public void refresh() {
        List<NamedModel> named = store.namedModels();
        rows.removeIf(r -> r.named && named.stream().noneMatch(m -> m.entry().equals(r.entry)));
        for (NamedModel m : named) {
            if (rows.stream().noneMatch(r -> r.named && r.entry.equals(m.entry()))) {
                rows.add(new Row(m.entry(), true));
            }
        }
        for (Row row : rows) {
            if (row.task == null) {
                readFromDisk(row);
            }
        }
    }

    private void readFromDisk(Row row) {
        if (row.named) {
            boolean there = store.stateOf(row.entry) == ModelState.READY;
            row.status.set(there ? Status.READY : Status.MISSING);
            row.diskUse.set(store.diskUse(row.entry));
            row.local.set(true);
            row.file.set(store.fileOf(row.entry));
            row.progress.set(there ? 1 : 0);
            row.progressText.set((there ? "" : "not found: ") + row.file.get());
            return;
        }
        row.status.set(Status.of(store.stateOf(row.entry)));
        row.diskUse.set(store.diskUse(row.entry));
        row.local.set(store.isLocal(row.entry));
        row.file.set(store.fileOf(row.entry));
        long total = row.entry.approxBytes();
        switch (row.status.get()) {
            case READY -> {
                row.progress.set(1);
                row.progressText.set(row.local.get() ? "added from " + row.file.get().getParent() : "");
            }
            case PARTIAL -> {
                row.progress.set(total > 0 ? Math.min(1, (double) row.diskUse.get() / total) : -1);
                row.progressText.set(bytes(row.diskUse.get()) + (total > 0 ? " of " + bytes(total) : "") + " kept; Resume continues");
            }
            default -> {
                row.progress.set(0);
                row.progressText.set("");
            }
        }
    }

    /** Starts downloading a model that is not on disk (or is corrupt: the bad file is replaced). */
    public void download(Row row) {
        if (row.task != null) {
            return;
        }
        URI url;
        try {
            url = urlOf.apply(row.entry);
        } catch (RuntimeException e) {
            problem(row.id() + ": no valid download address (" + e.getMessage() + ")");
            return;
        }
        if (row.status.get() == Status.CORRUPT) {
            try {
                Files.deleteIfExists(store.dir().resolve(row.entry.file()));
            } catch (IOException e) {
                problem(row.id() + ": cannot remove the corrupt file (" + e.getMessage() + ")");
                return;
            }
        }
        Path target = store.dir().resolve(row.entry.file());
        DownloadTask task = new DownloadTask(row.entry, url, target, downloader);
        row.task = task;
        row.status.set(Status.DOWNLOADING);
        row.progressText.set("connecting to " + url.getHost() + "…");
        row.progress.set(-1);
        task.valueProperty().addListener((obs, o, p) -> {
            if (p != null && row.task == task) {
                showProgress(row, p);
            }
        });
        task.setOnSucceeded(e -> {
            finish(row);
            info(row.id() + " is ready (" + bytes(row.diskUse.get()) + ", " + target + ")");
        });
        task.setOnFailed(e -> {
            finish(row);
            Throwable ex = task.getException();
            String why = ex == null || ex.getMessage() == null ? String.valueOf(ex) : ex.getMessage();
            if (task.token.isCancelled()) {
                info(row.id() + ": download cancelled" + (row.status.get() == Status.PARTIAL
                        ? "; " + bytes(row.diskUse.get()) + " kept, Resume continues" : ""));
            } else {
                row.progressText.set("failed: " + why);
                problem(why);
            }
        });
        updateBusy();
        executor.execute(task);
    }

    /** Continues a partial download where it stopped (an HTTP Range request). */
    public void resume(Row row) {
        download(row);
    }

    /** Stops a running download; what arrived stays on disk for Resume. */
    public void cancel(Row row) {
        DownloadTask task = row.task;
        if (task != null) {
            task.token.cancel();
            row.progressText.set("cancelling…");
        }
    }

    /** Deletes the model's file and partial download (a file added from elsewhere is only forgotten). */
    public void delete(Row row) {
        if (row.task != null) {
            problem(row.id() + ": cancel the download before deleting it");
            return;
        }
        boolean wasLocal = row.local.get();
        try {
            long freed = store.remove(row.entry);
            if (row.named) {
                refresh(); // drops its row
            } else {
                readFromDisk(row);
            }
            info(wasLocal ? row.id() + ": forgotten; the file itself was left where it is"
                    : row.id() + ": deleted, " + bytes(freed) + " freed");
        } catch (IOException e) {
            readFromDisk(row);
            problem(row.id() + ": cannot delete (" + e.getMessage() + ")");
        }
    }

    /** Hands a ready model's file to whoever loads models (the main window's segmentation). */
    public void use(Row row) {
        readFromDisk(row);
        if (row.status.get() != Status.READY) {
            problem(row.id() + " is not ready: " + row.status.get().label());
            return;
        }
        info("Loading " + row.id() + " from " + row.file.get() + "…");
        onUse.accept(row.file.get());
    }

    /**
     * Registers a checkpoint from disk in the background: its family and size are read from its
     * tensor names and shapes, so the file name does not matter.
     */
    public void addLocal(Path checkpoint) {
        ModelStore target = store;
        Task<ModelIdentity> task = new Task<>() {
            @Override
            protected ModelIdentity call() throws Exception {
                return target.addLocal(checkpoint);
            }
        };
        info("Reading " + checkpoint.getFileName() + "…");
        task.setOnSucceeded(e -> {
            ModelIdentity id = task.getValue();
            refresh();
            boolean listed = registry.find(id.registryId()).isPresent();
            info(checkpoint.getFileName() + ": " + id.family() + " " + id.size() + ", registered as " + id.registryId()
                    + (listed ? "" : " (not in the model list; open it with Model ▸ Open Checkpoint…)"));
        });
        task.setOnFailed(e -> {
            Throwable ex = task.getException();
            problem("Cannot add " + checkpoint + ": " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
        });
        executor.execute(task);
    }

    /** Switches to another models folder (refused while downloads run); rows are re-read from it. */
    public boolean setModelsDir(Path dir) {
        if (dir == null || dir.toString().isBlank()) {
            return false;
        }
        Path abs = dir.toAbsolutePath().normalize();
        if (abs.equals(modelsDir.get())) {
            return true;
        }
        if (busy.get()) {
            problem("Cancel or finish the running downloads before changing the models folder");
            return false;
        }
        if (Files.exists(abs) && !Files.isDirectory(abs)) {
            problem(abs + " is a file, not a folder");
            return false;
        }
        modelsDir.set(abs);
        store = new ModelStore(abs);
        refresh();
        onModelsDirChanged.accept(abs);
        info("Models folder: " + abs);
        return true;
    }

    public Path modelsDir() {
        return modelsDir.get();
    }

    private void finish(Row row) {
        row.task = null;
        readFromDisk(row);
        updateBusy();
    }

    private void updateBusy() {
        busy.set(rows.stream().anyMatch(r -> r.task != null));
    }

    private void showProgress(Row row, DownloadProgress p) {
        row.diskUse.set(p.bytesDone());
        row.progress.set(p.fraction());
        row.progressText.set(describe(p));
    }

    /** "12.5 MiB of 375.0 MiB · 4.2 MiB/s · 1:24 left" (parts that are unknown are left out). */
    static String describe(DownloadProgress p) {
        StringBuilder s = new StringBuilder(bytes(p.bytesDone()));
        if (p.bytesTotal() > 0) {
            s.append(" of ").append(bytes(p.bytesTotal()));
        }
        if (p.bytesPerSecond() > 0) {
            s.append(" · ").append(bytes((long) p.bytesPerSecond())).append("/s");
        }
        double eta = p.etaSeconds();
        if (eta >= 0) {
            s.append(" · ").append(clock(eta)).append(" left");
        }
        return s.toString();
    }

    static String bytes(long b) {
        if (b < 1024) {
            return b + " B";
        }
        if (b < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", b / 1024.0);
        }
        if (b < 1024L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MiB", b / (1024.0 * 1024));
        }
        return String.format(Locale.ROOT, "%.2f GiB", b / (1024.0 * 1024 * 1024));
    }

    private static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    private void info(String text) {
        message.set(UserMessage.info(text));
    }

    private void problem(String text) {
        message.set(UserMessage.problem(text));
    }

    /** Cancels running downloads (their partial files stay for next time). */
    @Override
    public void close() {
        for (Row row : rows) {
            if (row.task != null) {
                row.task.token.cancel();
            }
        }
        executor.shutdown();
    }
}
