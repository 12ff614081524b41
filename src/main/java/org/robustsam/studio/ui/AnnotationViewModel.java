package org.robustsam.studio.ui;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.robustsam.studio.annotate.edit.AddLabelCommand;
import org.robustsam.studio.annotate.edit.AddObjectCommand;
import org.robustsam.studio.annotate.edit.DeleteObjectCommand;
import org.robustsam.studio.annotate.edit.EditCommand;
import org.robustsam.studio.annotate.edit.RelabelObjectCommand;
import org.robustsam.studio.annotate.edit.SetImageStatusCommand;
import org.robustsam.studio.annotate.edit.UndoStack;
import org.robustsam.studio.annotate.format.ImportBatch;
import org.robustsam.studio.annotate.format.ImportSummary;
import org.robustsam.studio.annotate.mask.BinaryMask;
import org.robustsam.studio.annotate.mask.CocoRle;
import org.robustsam.studio.annotate.project.AnnotatedObject;
import org.robustsam.studio.annotate.project.Autosaver;
import org.robustsam.studio.annotate.project.ImageRecord;
import org.robustsam.studio.annotate.project.ImageStatus;
import org.robustsam.studio.annotate.project.Label;
import org.robustsam.studio.annotate.project.Project;
import org.robustsam.studio.annotate.project.ProjectFile;
import org.robustsam.studio.annotate.project.ProjectFileException;
import org.robustsam.studio.annotate.project.Prompts;
import org.robustsam.studio.annotate.project.Recovery;
import org.robustsam.studio.annotate.project.SessionLock;
import org.robustsam.studio.inference.Prompt;

/**
 * The annotation project of the open folder as the views see it: labels, the objects of the photo
 * on screen, the active label, undo/redo, and autosave. Every edit goes through the undo stack; the
 * project file is written in the background after each change (created on the first edit, so a
 * folder that is only looked at gets no files).
 */
public final class AnnotationViewModel implements AutoCloseable {
    /** Colours given to new labels in turn (distinct, readable on photos). */
    static final String[] PALETTE = {"#e6194b", "#3cb44b", "#ffe119", "#4363d8", "#f58231", "#911eb4", "#46f0f0",
        "#f032e6", "#bcf60c", "#fabebe"};

    private final Duration autosaveDelay;
    private Project project;
    private ProjectFile projectFile;
    private UndoStack undo;
    private Autosaver autosaver;
    private String imagePath;

    private final ObservableList<Label> labels = FXCollections.observableArrayList();
    private final ObservableList<AnnotatedObject> objects = FXCollections.observableArrayList();
    private final ObservableList<Long> hidden = FXCollections.observableArrayList();
    private final StringProperty activeLabel = new SimpleStringProperty(this, "activeLabel");
    private final ObjectProperty<AnnotatedObject> selectedObject = new SimpleObjectProperty<>(this, "selectedObject");
    private final ReadOnlyObjectWrapper<ImageStatus> imageStatus = new ReadOnlyObjectWrapper<>(this, "imageStatus", ImageStatus.TODO);
    private final BooleanProperty canUndo = new SimpleBooleanProperty(this, "canUndo");
    private final BooleanProperty canRedo = new SimpleBooleanProperty(this, "canRedo");
    private final ReadOnlyObjectWrapper<UserMessage> message = new ReadOnlyObjectWrapper<>(this, "message");
    private final ReadOnlyObjectWrapper<Recovery.Report> recovery = new ReadOnlyObjectWrapper<>(this, "recovery");

    public AnnotationViewModel(Duration autosaveDelay) {
        this.autosaveDelay = autosaveDelay;
    }

    /**
     * Opens the project of {@code folder} (its project.json, or a new empty project). A damaged
     * project file is reported and left untouched; annotating then starts from an empty project and
     * the first save keeps the damaged file aside, never overwriting it silently. Signs of a crash
     * are published in {@link #recoveryProperty()} once the project is open, for the window to offer
     * {@link #restoreFromRecovery} or {@link #dismissRecovery}.
     */
    public void openFolder(Path folder) {
        closeProject();
        Recovery.Report report = Recovery.check(folder); // before anything here touches the folder's files
        load(folder);
        if (report.needsAttention()) {
            recovery.set(report);
        }
    }

    private void load(Path folder) {
        projectFile = new ProjectFile(folder);
        if (projectFile.exists()) {
            try {
                project = projectFile.load();
            } catch (ProjectFileException e) {
                message.set(UserMessage.problem(e.getMessage() + " — the file is kept; new work goes into a fresh project"));
                project = Project.create(folder);
            }
        } else {
            project = Project.create(folder);
        }
        undo = new UndoStack(project);
        undo.addListener(this::refreshUndo);
        project.addListener(change -> onFx(this::refreshFromProject));
        if (project.labels().isEmpty()) {
            project.insertLabel(0, new Label("object", PALETTE[0]));
        }
        refreshFromProject();
        activeLabel.set(labels.isEmpty() ? null : labels.get(0).name());
        refreshUndo();
    }

    /**
     * The user chose to restore {@code candidate} from the recovery offer: it becomes project.json
     * (the previous file is kept aside by {@link Recovery#restore}), the dead session's lock is
     * cleared, and the project is reloaded from it. The photo on screen stays.
     */
    public void restoreFromRecovery(Recovery.Candidate candidate) {
        Recovery.Report report = recovery.get();
        if (report == null || project == null) {
            return;
        }
        Path folder = report.folder();
        closeProject(); // nothing was edited while the offer was open; close anyway so no autosave can overwrite the restored file
        try {
            Path kept = Recovery.restore(folder, candidate);
            SessionLock.clearStale(folder);
            load(folder);
            message.set(UserMessage.info("restored " + candidate.file().getFileName() + ": " + candidate.objects() + " objects on "
                    + candidate.images() + " photos" + (kept == null ? "" : "; the previous project file is kept as " + kept.getFileName())));
        } catch (IOException e) {
            load(folder);
            message.set(UserMessage.problem("cannot restore " + candidate.file() + ": " + e.getMessage()));
        }
    }

    /** The user kept the project as it is: the dead session's lock is cleared so the offer is not repeated. */
    public void dismissRecovery() {
        Recovery.Report report = recovery.get();
        recovery.set(null);
        if (report != null) {
            try {
                SessionLock.clearStale(report.folder());
            } catch (IOException e) {
                message.set(UserMessage.problem("cannot remove the old session lock in " + report.folder() + ": " + e.getMessage()));
            }
        }
    }

    /**
     * Adds an import to the open project as one undoable edit (Ctrl+Z takes back its objects,
     * images and labels together) and lets autosave write it. Returns what was added.
     *
     * @throws IllegalStateException    when no folder is open
     * @throws IllegalArgumentException when the batch does not fit the project (an image of another size);
     *                                  the project is then unchanged
     */
    public ImportSummary applyImport(ImportBatch batch) {
        if (project == null) {
            throw new IllegalStateException("no folder is open");
        }
        ImportBatch.Plan plan = batch.plan(project);
        ImportSummary s = plan.summary();
        if (s.objects() == 0 && s.labelsAdded() == 0 && s.imagesAdded() == 0) {
            return s; // nothing new: no empty step in the undo history
        }
        startAutosaveIfNeeded();
        undo.execute(plan.edit()); // a failing step is rolled back inside the composite and rethrown
        refreshFromProject();
        return s;
    }

    /** The photo on screen changed (file name relative to the folder). */
    public void showImage(String relativePath) {
        imagePath = relativePath;
        selectedObject.set(null);
        refreshFromProject();
    }

    /** Accepts a predicted mask as a new object with the active label. */
    public AnnotatedObject accept(int width, int height, byte[] mask, Prompt prompt, String modelId, double score) {
        if (project == null || imagePath == null) {
            return null;
        }
        BinaryMask m = BinaryMask.fromRowMajor(width, height, mask);
        if (m.isEmpty()) {
            message.set(UserMessage.problem("the mask is empty: click on the object, or pick another candidate (Tab)"));
            return null;
        }
        ensureImage(width, height);
        String label = activeLabel.get() != null ? activeLabel.get() : labels.get(0).name();
        AnnotatedObject object = new AnnotatedObject(project.allocateObjectId(), label, CocoRle.encode(m),
                toPrompts(prompt), modelId, score);
        execute(new AddObjectCommand(imagePath, object));
        return object;
    }

    /** Replaces the selected object's mask with a brush or eraser result (one undo step). */
    public void editSelectedMask(BinaryMask edited) {
        AnnotatedObject sel = selectedObject.get();
        if (sel == null || imagePath == null) {
            return;
        }
        if (edited.isEmpty()) {
            message.set(UserMessage.problem("erasing everything would leave an empty object: delete it instead (Delete)"));
            return;
        }
        execute(org.robustsam.studio.annotate.edit.ChangeMaskCommand.handEdit(imagePath, sel.id(), CocoRle.encode(edited)));
    }

    /** Replaces the selected object's mask with a new prediction from more prompts. */
    public AnnotatedObject refineSelected(int width, int height, byte[] mask, Prompt prompt, String modelId, double score) {
        AnnotatedObject sel = selectedObject.get();
        if (sel == null || imagePath == null) {
            return null;
        }
        BinaryMask m = BinaryMask.fromRowMajor(width, height, mask);
        if (m.isEmpty()) {
            message.set(UserMessage.problem("the mask is empty: click on the object, or pick another candidate (Tab)"));
            return null;
        }
        execute(org.robustsam.studio.annotate.edit.ChangeMaskCommand.prediction(imagePath, sel.id(), CocoRle.encode(m),
                toPrompts(prompt), modelId, score));
        return selectedObject.get();
    }

    /** Label quick key 1..9: picks the label; relabels the selected object too. */
    public void chooseLabel(int index) {
        if (index < 0 || index >= labels.size()) {
            return;
        }
        String name = labels.get(index).name();
        activeLabel.set(name);
        AnnotatedObject sel = selectedObject.get();
        if (sel != null && !sel.label().equals(name)) {
            execute(new RelabelObjectCommand(imagePath, sel.id(), name));
        }
    }

    public void addLabel(String name) {
        if (project == null || name == null || name.isBlank() || project.label(name.strip()).isPresent()) {
            return;
        }
        execute(new AddLabelCommand(new Label(name.strip(), PALETTE[labels.size() % PALETTE.length])));
        activeLabel.set(name.strip());
    }

    public void deleteSelected() {
        AnnotatedObject sel = selectedObject.get();
        if (sel != null) {
            execute(new DeleteObjectCommand(imagePath, sel.id()));
            selectedObject.set(null);
        }
    }

    public void setStatus(ImageStatus status) {
        if (project == null || imagePath == null) {
            return;
        }
        if (project.image(imagePath).isEmpty()) {
            message.set(UserMessage.info("open the photo first"));
            return;
        }
        execute(new SetImageStatusCommand(imagePath, status));
    }

    /** Registers the photo in the project (with its size) the first time something is saved for it. */
    public void ensureImage(int width, int height) {
        if (project != null && imagePath != null && project.image(imagePath).isEmpty()) {
            project.addImage(imagePath, width, height);
        }
    }

    public void toggleVisible(AnnotatedObject o) {
        if (!hidden.remove(o.id())) {
            hidden.add(o.id());
        }
    }

    public boolean isVisible(AnnotatedObject o) {
        return !hidden.contains(o.id());
    }

    public void undo() {
        if (undo != null && undo.undo()) {
            refreshFromProject();
        }
    }

    public void redo() {
        if (undo != null && undo.redo()) {
            refreshFromProject();
        }
    }

    private void execute(EditCommand command) {
        startAutosaveIfNeeded();
        try {
            undo.execute(command);
        } catch (RuntimeException e) {
            message.set(UserMessage.problem("edit refused: " + e.getMessage()));
        }
        refreshFromProject();
    }

    private void startAutosaveIfNeeded() {
        if (autosaver != null || project == null) {
            return;
        }
        try {
            autosaver = Autosaver.start(project, projectFile, autosaveDelay, new Autosaver.Observer() {
                @Override
                public void saveFailed(Exception error) {
                    // The message names the file and the reason (disk full, read-only); saving is retried.
                    onFx(() -> message.set(UserMessage.problem(error.getMessage()
                            + " — your edits are kept in memory and saved as soon as that is fixed")));
                }
            });
        } catch (ProjectFileException e) {
            message.set(UserMessage.problem(e.getMessage()));
        }
    }

    private void refreshFromProject() {
        if (project == null) {
            labels.clear();
            objects.clear();
            return;
        }
        List<Label> l = project.labels();
        if (!labels.equals(l)) {
            labels.setAll(l);
        }
        List<AnnotatedObject> o = imagePath == null ? List.of()
                : project.image(imagePath).map(ImageRecord::objects).orElse(List.of());
        if (!objects.equals(o)) {
            AnnotatedObject sel = selectedObject.get();
            objects.setAll(o);
            if (sel != null) {
                selectedObject.set(o.stream().filter(x -> x.id() == sel.id()).findFirst().orElse(null));
            }
        }
        imageStatus.set(imagePath == null ? ImageStatus.TODO
                : project.image(imagePath).map(ImageRecord::status).orElse(ImageStatus.TODO));
    }

    private void refreshUndo() {
        onFx(() -> {
            canUndo.set(undo != null && undo.canUndo());
            canRedo.set(undo != null && undo.canRedo());
        });
    }

    private static Prompts toPrompts(Prompt p) {
        if (p == null) {
            return null;
        }
        List<Prompts.Point> points = p.points().stream().map(x -> new Prompts.Point(x.x(), x.y(), x.positive())).toList();
        Prompts.Box box = p.box() == null ? null : new Prompts.Box(p.box().x0(), p.box().y0(), p.box().x1(), p.box().y1());
        return new Prompts(points, box);
    }

    private static void onFx(Runnable r) {
        if (Platform.isFxApplicationThread()) {
            r.run();
        } else {
            Platform.runLater(r);
        }
    }

    /** Saves what is pending now (called on close and before export). */
    public void flush() {
        if (autosaver != null) {
            try {
                autosaver.flush();
            } catch (IOException e) {
                message.set(UserMessage.problem("cannot save " + projectFile.file() + ": " + e.getMessage()));
            }
        }
    }

    private void closeProject() {
        if (autosaver != null) {
            try {
                autosaver.close();
            } catch (IOException e) {
                message.set(UserMessage.problem("cannot save " + projectFile.file() + ": " + e.getMessage()));
            }
            autosaver = null;
        }
        project = null;
        undo = null;
        hidden.clear();
        recovery.set(null);
    }

    public Project project() {
        return project;
    }

    public ObservableList<Label> labels() {
        return labels;
    }

    public ObservableList<AnnotatedObject> objects() {
        return objects;
    }

    public ObservableList<Long> hiddenIds() {
        return hidden;
    }

    public StringProperty activeLabelProperty() {
        return activeLabel;
    }

    public ObjectProperty<AnnotatedObject> selectedObjectProperty() {
        return selectedObject;
    }

    public ReadOnlyObjectProperty<ImageStatus> imageStatusProperty() {
        return imageStatus.getReadOnlyProperty();
    }

    public BooleanProperty canUndoProperty() {
        return canUndo;
    }

    public BooleanProperty canRedoProperty() {
        return canRedo;
    }

    public ReadOnlyObjectProperty<UserMessage> messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** Set when the folder shows signs of a crash (stale lock, newer temp or backup file). */
    public ReadOnlyObjectProperty<Recovery.Report> recoveryProperty() {
        return recovery.getReadOnlyProperty();
    }

    public Label labelOf(AnnotatedObject o) {
        return labels.stream().filter(l -> l.name().equals(o.label())).findFirst().orElse(new Label(o.label(), "#ffffff"));
    }

    @Override
    public void close() {
        closeProject();
    }
}
