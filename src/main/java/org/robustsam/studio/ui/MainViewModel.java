package org.robustsam.studio.ui;

import java.nio.file.Path;
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
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.scene.image.Image;
import org.robustsam.studio.annotate.FolderException;
import org.robustsam.studio.annotate.PhotoEntry;
import org.robustsam.studio.annotate.PhotoFolder;
import org.robustsam.studio.assess.QualityAssessor;
import org.robustsam.studio.assess.QualityReport;
import org.robustsam.studio.image.ImageLoadException;
import org.robustsam.studio.image.ImageLoader;
import org.robustsam.studio.image.RgbImage;
import org.robustsam.studio.inference.Engines;

/**
 * State of the main window as observable properties; all disk and engine work runs on background
 * threads and comes back to the FX thread. The view binds to this and holds no logic of its own.
 */
public final class MainViewModel implements AutoCloseable {
    /** How the photo list is ordered. */
    public enum PhotoOrder {
        NAME("Name"), WORST_FIRST("Quality: worst first"), BEST_FIRST("Quality: best first");

        private final String label;

        PhotoOrder(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    private final ImageLoader loader = new ImageLoader();
    private final QualityAssessor assessor = new QualityAssessor();
    private final ExecutorService imageThread = daemonThread("image-loader");
    private final ExecutorService probeThread = daemonThread("photo-probe");
    /** Assesses every photo of the folder for the list's badges; one thread, behind the photo on screen. */
    private final ExecutorService assessThread = daemonThread("photo-assess");
    private final AtomicLong imageRequest = new AtomicLong();
    private final AtomicLong folderGeneration = new AtomicLong();

    private final ObservableList<PhotoItem> photos = FXCollections.observableArrayList(PhotoItem::observables);
    private final ObjectProperty<Path> folder = new SimpleObjectProperty<>(this, "folder");
    private final IntegerProperty selectedIndex = new SimpleIntegerProperty(this, "selectedIndex", -1);
    private final ReadOnlyObjectWrapper<RgbImage> currentImage = new ReadOnlyObjectWrapper<>(this, "currentImage");
    private final ReadOnlyObjectWrapper<Image> currentFxImage = new ReadOnlyObjectWrapper<>(this, "currentFxImage");
    private final ReadOnlyStringWrapper currentProblem = new ReadOnlyStringWrapper(this, "currentProblem");
    private final ReadOnlyObjectWrapper<UserMessage> message = new ReadOnlyObjectWrapper<>(this, "message", UserMessage.info("Ready"));
    private final ReadOnlyStringWrapper device = new ReadOnlyStringWrapper(this, "device", "engine: starting…");
    /** The degradation prompts and masks run on (null: the original photo); annotations stay on the original. */
    private final ObjectProperty<DegradationChoice> workingView = new SimpleObjectProperty<>(this, "workingView");
    private final ReadOnlyObjectWrapper<RgbImage> displayedImage = new ReadOnlyObjectWrapper<>(this, "displayedImage");
    private final ReadOnlyObjectWrapper<Image> displayedFxImage = new ReadOnlyObjectWrapper<>(this, "displayedFxImage");
    private final AtomicLong viewRequest = new AtomicLong();
    /** The advisor's verdict on the photo as loaded, and on what is displayed (the working view when one is applied). */
    private final ReadOnlyObjectWrapper<QualityReport> currentQuality = new ReadOnlyObjectWrapper<>(this, "currentQuality");
    private final ReadOnlyObjectWrapper<QualityReport> displayedQuality = new ReadOnlyObjectWrapper<>(this, "displayedQuality");
    private final ObjectProperty<PhotoOrder> order = new SimpleObjectProperty<>(this, "order", PhotoOrder.NAME);
    /** The folder's order by name, kept to go back to it. */
    private List<PhotoItem> byName = List.of();
    private Path loadedPath;

    public MainViewModel() {
        selectedIndex.addListener((obs, old, idx) -> loadSelected(idx.intValue()));
        currentImage.addListener((obs, old, img) -> updateDisplayed());
        workingView.addListener((obs, old, v) -> updateDisplayed());
        order.addListener((obs, old, o) -> reorder());
    }

    /** The photo list's order; changing it keeps the selected photo selected. */
    public ObjectProperty<PhotoOrder> orderProperty() {
        return order;
    }

    /** The advisor's verdict on the selected photo (set before {@link #currentImageProperty()} changes). */
    public ReadOnlyObjectProperty<QualityReport> currentQualityProperty() {
        return currentQuality.getReadOnlyProperty();
    }

    /**
     * The advisor's verdict on what prompts run on: the photo, or its degraded working view. Set
     * before {@link #displayedImageProperty()} changes, so a listener there can choose the model.
     */
    public ReadOnlyObjectProperty<QualityReport> displayedQualityProperty() {
        return displayedQuality.getReadOnlyProperty();
    }

    /** Sorts the list by {@link #orderProperty()}; photos not yet assessed go last, by name. */
    private void reorder() {
        PhotoItem selected = selectedIndex.get() >= 0 && selectedIndex.get() < photos.size() ? photos.get(selectedIndex.get()) : null;
        List<PhotoItem> sorted = new java.util.ArrayList<>(byName);
        PhotoOrder o = order.get();
        if (o != PhotoOrder.NAME) {
            java.util.Comparator<PhotoItem> byQuality = java.util.Comparator.comparingDouble(i -> i.quality().quality());
            java.util.Comparator<PhotoItem> known = o == PhotoOrder.WORST_FIRST ? byQuality : byQuality.reversed();
            sorted.sort((a, b) -> {
                if (a.quality() == null || b.quality() == null) {
                    return Boolean.compare(a.quality() == null, b.quality() == null); // unknown last, stable by name
                }
                return known.compare(a, b);
            });
        }
        if (sorted.equals(photos)) {
            return;
        }
        photos.setAll(sorted);
        if (selected != null) {
            selectedIndex.set(photos.indexOf(selected)); // the same photo: not loaded again (see loadSelected)
        }
    }

    public ObjectProperty<DegradationChoice> workingViewProperty() {
        return workingView;
    }

    /** What the canvas shows and prompts run on: the photo, or its degraded working view. */
    public ReadOnlyObjectProperty<RgbImage> displayedImageProperty() {
        return displayedImage.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Image> displayedFxImageProperty() {
        return displayedFxImage.getReadOnlyProperty();
    }

    /** A name for what is displayed, e.g. "photo.jpg" or "photo.jpg (fog, severity 3, seed 0)". */
    public String displayedId() {
        PhotoEntry e = selectedEntry();
        DegradationChoice v = workingView.get();
        String name = e == null ? "?" : e.fileName();
        return v == null ? name : name + " (" + v.degradation().name() + ", severity " + v.severity() + ", seed " + v.seed() + ")";
    }

    /** Degrades the photo for the working view on the image thread; the original shows meanwhile. */
    private void updateDisplayed() {
        long request = viewRequest.incrementAndGet();
        RgbImage original = currentImage.get();
        DegradationChoice view = workingView.get();
        if (original == null || view == null) {
            displayedQuality.set(original == null ? null : currentQuality.get());
            displayedImage.set(original);
            displayedFxImage.set(currentFxImage.get());
            return;
        }
        imageThread.submit(() -> {
            if (viewRequest.get() != request) {
                return;
            }
            RgbImage degraded = view.degradation().apply(original, view.severity(), view.seed());
            Image fx = FxImages.toFx(degraded);
            QualityReport q = assessor.assess(degraded);
            Platform.runLater(() -> {
                if (viewRequest.get() == request) {
                    displayedQuality.set(q);
                    displayedImage.set(degraded);
                    displayedFxImage.set(fx);
                }
            });
        });
    }

    public ObservableList<PhotoItem> photos() {
        return photos;
    }

    public ObjectProperty<Path> folderProperty() {
        return folder;
    }

    public IntegerProperty selectedIndexProperty() {
        return selectedIndex;
    }

    public ReadOnlyObjectProperty<RgbImage> currentImageProperty() {
        return currentImage.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Image> currentFxImageProperty() {
        return currentFxImage.getReadOnlyProperty();
    }

    /** Why the selected photo is not shown (names the file); null when it is. */
    public ReadOnlyStringProperty currentProblemProperty() {
        return currentProblem.getReadOnlyProperty();
    }

    /** The latest message for the user: errors and notices, always naming the file or folder. */
    public ReadOnlyObjectProperty<UserMessage> messageProperty() {
        return message.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty deviceProperty() {
        return device.getReadOnlyProperty();
    }

    /** Loads DJL's engine off the FX thread (it takes a second or two) and reports the device. */
    public void detectDevice() {
        probeThread.submit(() -> {
            String d = Engines.describeDevice();
            Platform.runLater(() -> device.set(d));
        });
    }

    /**
     * Opens a folder. On failure the current folder stays open and a message says why: a bad path
     * never costs the user what they had on screen.
     *
     * @return true when the folder was opened
     */
    public boolean openFolder(Path path) {
        PhotoFolder scanned;
        try {
            scanned = PhotoFolder.scan(path.toAbsolutePath().normalize());
        } catch (FolderException e) {
            message.set(UserMessage.problem("Cannot open folder " + e.getMessage()));
            return false;
        }
        long generation = folderGeneration.incrementAndGet();
        folder.set(scanned.folder());
        selectedIndex.set(-1);
        byName = scanned.entries().stream().map(PhotoItem::new).toList();
        photos.setAll(byName);
        message.set(scanned.entries().isEmpty()
                ? UserMessage.problem("No photos (jpg, png, tiff, webp, bmp) in " + scanned.folder())
                : UserMessage.info(scanned.entries().size() + " photos in " + scanned.folder()));
        probeAll(scanned.entries(), generation);
        assessAll(byName, generation);
        if (!scanned.entries().isEmpty()) {
            selectedIndex.set(0);
        }
        return true;
    }

    /** The selected photo, or null. */
    public PhotoEntry selectedEntry() {
        int i = selectedIndex.get();
        return i >= 0 && i < photos.size() ? photos.get(i).entry() : null;
    }

    /** Up to {@code n} photos after the selected one that are not known to be broken (for prefetching). */
    public List<PhotoEntry> upcoming(int n) {
        List<PhotoEntry> out = new java.util.ArrayList<>();
        for (int i = selectedIndex.get() + 1; i < photos.size() && out.size() < n; i++) {
            PhotoEntry e = photos.get(i).entry();
            if (e.health() != PhotoEntry.Health.BROKEN) {
                out.add(e);
            }
        }
        return out;
    }

    public ImageLoader imageLoader() {
        return loader;
    }

    public void next() {
        if (selectedIndex.get() < photos.size() - 1) {
            selectedIndex.set(selectedIndex.get() + 1);
        }
    }

    public void previous() {
        if (selectedIndex.get() > 0) {
            selectedIndex.set(selectedIndex.get() - 1);
        }
    }

    /** Checks every file's header in the background, flagging broken files as they are found. */
    private void probeAll(List<PhotoEntry> entries, long generation) {
        probeThread.submit(() -> {
            for (PhotoEntry entry : entries) {
                if (folderGeneration.get() != generation) {
                    return; // another folder was opened meanwhile
                }
                PhotoEntry checked = PhotoFolder.probe(entry, loader);
                Platform.runLater(() -> replaceEntry(checked, generation));
            }
        });
    }

    /**
     * Assesses every photo for its badge, in list order, one at a time on a background thread
     * (decoding dominates; the advisor itself takes tens of milliseconds). A photo already assessed
     * (the one on screen) is skipped. When the last one is in, a quality order is applied again.
     */
    private void assessAll(List<PhotoItem> items, long generation) {
        assessThread.submit(() -> {
            for (PhotoItem item : items) {
                if (folderGeneration.get() != generation) {
                    return;
                }
                if (item.quality() != null) {
                    continue;
                }
                try {
                    QualityReport q = assessor.assess(loader.load(item.entry().path()));
                    Platform.runLater(() -> {
                        if (folderGeneration.get() == generation && item.quality() == null) {
                            item.qualityProperty().set(q);
                        }
                    });
                } catch (ImageLoadException | RuntimeException | OutOfMemoryError e) {
                    // The list already flags unreadable photos (probe, or when opened); no badge then.
                }
            }
            Platform.runLater(() -> {
                if (folderGeneration.get() == generation && order.get() != PhotoOrder.NAME) {
                    reorder();
                }
            });
        });
    }

    private void replaceEntry(PhotoEntry checked, long generation) {
        if (folderGeneration.get() != generation) {
            return;
        }
        PhotoItem item = itemFor(checked.path());
        // A full decode may already have found a problem the header probe cannot see.
        if (item != null && item.entry().health() != PhotoEntry.Health.BROKEN) {
            item.entryProperty().set(checked);
        }
    }

    private PhotoItem itemFor(Path path) {
        for (PhotoItem item : photos) {
            if (item.entry().path().equals(path)) {
                return item;
            }
        }
        return null;
    }

    private void loadSelected(int index) {
        if (index >= 0 && index < photos.size() && photos.get(index).entry().path().equals(loadedPath) && currentImage.get() != null) {
            return; // the same photo at another place in the list (the list was re-sorted): nothing to load
        }
        long request = imageRequest.incrementAndGet();
        loadedPath = null;
        if (index < 0 || index >= photos.size()) {
            currentQuality.set(null);
            currentFxImage.set(null);
            currentImage.set(null);
            currentProblem.set(null);
            return;
        }
        PhotoItem item = photos.get(index);
        PhotoEntry entry = item.entry();
        long thisRequest = request;
        imageThread.submit(() -> {
            if (imageRequest.get() != thisRequest) {
                return; // the user has moved on; skip the decode
            }
            try {
                RgbImage rgb = loader.load(entry.path());
                Image fx = FxImages.toFx(rgb);
                QualityReport q = assessor.assess(rgb);
                Platform.runLater(() -> {
                    if (imageRequest.get() == thisRequest) {
                        currentProblem.set(null);
                        if (item.quality() == null) {
                            item.qualityProperty().set(q);
                        }
                        loadedPath = entry.path();
                        currentQuality.set(q);
                        currentFxImage.set(fx);
                        currentImage.set(rgb);
                        message.set(UserMessage.info(entry.fileName()));
                    }
                });
            } catch (ImageLoadException e) {
                Platform.runLater(() -> {
                    markBroken(entry, e.getMessage());
                    if (imageRequest.get() == thisRequest) {
                        currentQuality.set(null);
                        currentFxImage.set(null);
                        currentImage.set(null);
                        currentProblem.set(e.getMessage());
                        message.set(UserMessage.problem(e.getMessage()));
                    }
                });
            } catch (RuntimeException | OutOfMemoryError e) {
                String text = entry.fileName() + ": cannot be shown (" + e + ")";
                Platform.runLater(() -> {
                    markBroken(entry, text);
                    currentProblem.set(text);
                    message.set(UserMessage.problem(text));
                });
            }
        });
    }

    private void markBroken(PhotoEntry entry, String problem) {
        PhotoItem item = itemFor(entry.path());
        if (item != null) {
            item.entryProperty().set(item.entry().broken(problem));
        }
    }

    private static ExecutorService daemonThread(String name) {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void close() {
        imageThread.shutdownNow();
        probeThread.shutdownNow();
        assessThread.shutdownNow();
    }
}
