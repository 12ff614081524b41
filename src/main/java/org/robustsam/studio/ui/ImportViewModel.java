package org.robustsam.studio.ui;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import org.robustsam.studio.annotate.format.ImportBatch;
import org.robustsam.studio.annotate.format.ImportException;
import org.robustsam.studio.annotate.format.ImportFormat;
import org.robustsam.studio.annotate.format.ImportSummary;
import org.robustsam.studio.annotate.project.Project;

/**
 * File ▸ Import: reads LabelMe, COCO or VOC annotations in the background (a big COCO file takes
 * seconds to rasterise), then adds them to the open project on the FX thread as one undoable
 * edit. The outcome is one message: what was added and what was skipped, or why nothing was.
 */
public final class ImportViewModel {
    /** Warnings listed in the message; the rest are counted. */
    static final int WARNINGS_SHOWN = 5;

    private final AnnotationViewModel annotation;
    private final Executor background;
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(this, "running");
    private final ReadOnlyObjectWrapper<UserMessage> message = new ReadOnlyObjectWrapper<>(this, "message");
    private final ReadOnlyObjectWrapper<ImportSummary> lastSummary = new ReadOnlyObjectWrapper<>(this, "lastSummary");

    public ImportViewModel(AnnotationViewModel annotation) {
        this(annotation, task -> {
            Thread t = new Thread(task, "import");
            t.setDaemon(true);
            t.start();
        });
    }

    ImportViewModel(AnnotationViewModel annotation, Executor background) {
        this.annotation = annotation;
        this.background = background;
    }

    /** Starts an import of {@code input} into the open project. Call on the FX thread. */
    public void importFrom(ImportFormat format, Path input) {
        Project project = annotation.project();
        if (project == null) {
            say(UserMessage.problem("Open a folder of photos first: annotations are imported into its project"));
            return;
        }
        if (running.get()) {
            say(UserMessage.problem("An import is still running; wait for it to finish"));
            return;
        }
        Path folder = project.folder();
        running.set(true);
        say(UserMessage.info("Importing " + format.displayName() + " annotations from " + input + "…"));
        CompletableFuture.supplyAsync(() -> read(format, input, folder), background)
                .whenComplete((batch, error) -> Platform.runLater(() -> finish(format, input, folder, batch, error)));
    }

    private static ImportBatch read(ImportFormat format, Path input, Path folder) {
        try {
            return format.read(input, folder);
        } catch (ImportException e) {
            throw new CompletionException(e);
        }
    }

    private void finish(ImportFormat format, Path input, Path folder, ImportBatch batch, Throwable error) {
        running.set(false);
        if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            String why = cause instanceof ImportException ? cause.getMessage() : cause.toString();
            say(UserMessage.problem("Import failed, nothing was changed: " + why));
            return;
        }
        Project now = annotation.project();
        if (now == null || !now.folder().equals(folder)) {
            say(UserMessage.problem("Import of " + input + " dropped: another folder was opened while it was read;"
                    + " nothing was imported"));
            return;
        }
        ImportSummary summary;
        try {
            summary = annotation.applyImport(batch);
        } catch (RuntimeException e) {
            say(UserMessage.problem("Import of " + input + " failed, nothing was changed: " + e.getMessage()));
            return;
        }
        lastSummary.set(summary);
        say(UserMessage.info(describe(format, input, summary)));
    }

    /** Sets the message even when it equals the last one (the same failure twice must show twice). */
    private void say(UserMessage m) {
        message.set(null);
        message.set(m);
    }

    /** "Imported LabelMe from labelme: 3 images (3 new), 16 objects, 6 labels added" and the skipped items, one a line. */
    static String describe(ImportFormat format, Path input, ImportSummary s) {
        StringBuilder text = new StringBuilder("Imported ").append(format.displayName()).append(" from ")
                .append(input.getFileName() == null ? input : input.getFileName()).append(": ")
                .append(s.images()).append(s.images() == 1 ? " image (" : " images (").append(s.imagesAdded()).append(" new), ")
                .append(s.objects()).append(s.objects() == 1 ? " object, " : " objects, ")
                .append(s.labelsAdded()).append(s.labelsAdded() == 1 ? " label added" : " labels added");
        if (s.objects() > 0 || s.labelsAdded() > 0 || s.imagesAdded() > 0) {
            text.append(" — Ctrl+Z takes the import back");
        }
        List<String> w = s.warnings();
        if (!w.isEmpty()) {
            text.append("\nSkipped or doubtful (").append(w.size()).append("):");
            w.stream().limit(WARNINGS_SHOWN).forEach(x -> text.append("\n• ").append(x));
            if (w.size() > WARNINGS_SHOWN) {
                text.append("\n• and ").append(w.size() - WARNINGS_SHOWN).append(" more");
            }
        }
        return text.toString();
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    /** The outcome of the last import (or why it could not start). */
    public ReadOnlyObjectProperty<UserMessage> messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** What the last successful import added. */
    public ReadOnlyObjectProperty<ImportSummary> lastSummaryProperty() {
        return lastSummary.getReadOnlyProperty();
    }
}
