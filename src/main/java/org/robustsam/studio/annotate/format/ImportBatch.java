package org.robustsam.studio.annotate.format;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.robustsam.studio.annotate.edit.AddImageCommand;
import org.robustsam.studio.annotate.edit.AddLabelCommand;
import org.robustsam.studio.annotate.edit.AddObjectCommand;
import org.robustsam.studio.annotate.edit.CompositeCommand;
import org.robustsam.studio.annotate.edit.EditCommand;
import org.robustsam.studio.annotate.project.AnnotatedObject;
import org.robustsam.studio.annotate.project.ImageRecord;
import org.robustsam.studio.annotate.project.Label;
import org.robustsam.studio.annotate.project.Project;

/**
 * Everything one import read, checked but not yet applied. Importers read all input first and
 * apply only if all of it is good, so a bad file never leaves a half-imported project.
 */
public record ImportBatch(List<String> labels, List<ImportedImage> images, List<String> warnings) {
    public ImportBatch {
        labels = List.copyOf(labels);
        images = List.copyOf(images);
        warnings = List.copyOf(warnings);
    }

    /** The import as one edit (undone as a whole) and what it will add. */
    public record Plan(EditCommand edit, ImportSummary summary) {}

    public int objectCount() {
        return images.stream().mapToInt(i -> i.objects().size()).sum();
    }

    /**
     * The edit that adds this batch to {@code project}: missing labels (VOC colours), missing
     * images, and every object on top of the image's existing ones with a fresh id. An image
     * already in the project must have the same size. Nothing is changed here; the app runs the
     * edit through its undo stack, so one undo takes the whole import back.
     *
     * @throws IllegalArgumentException when an image's size differs from the project's record of it
     */
    public Plan plan(Project project) {
        for (ImportedImage img : images) {
            Optional<ImageRecord> existing = project.image(img.path());
            if (existing.isPresent() && (existing.get().width() != img.width() || existing.get().height() != img.height())) {
                throw new IllegalArgumentException("image " + img.path() + " is " + existing.get().width() + "x" + existing.get().height()
                        + " in the project but " + img.width() + "x" + img.height() + " in the imported annotations");
            }
        }
        List<EditCommand> steps = new ArrayList<>();
        int labelIndex = project.labels().size();
        for (String name : labels) {
            if (project.label(name).isEmpty()) {
                steps.add(new AddLabelCommand(new Label(name, VocPalette.labelColor(labelIndex++))));
            }
        }
        int labelsAdded = steps.size();
        Set<String> newImages = new HashSet<>();
        int objects = 0;
        for (ImportedImage img : images) {
            if (project.image(img.path()).isEmpty() && newImages.add(img.path())) {
                steps.add(new AddImageCommand(img.path(), img.width(), img.height()));
            }
            for (ImportedObject o : img.objects()) {
                steps.add(new AddObjectCommand(img.path(), AnnotatedObject.manual(project.allocateObjectId(), o.label(), o.mask())));
                objects++;
            }
        }
        String what = "import " + objects + " objects";
        return new Plan(new CompositeCommand(what, steps),
                new ImportSummary(images.size(), newImages.size(), objects, labelsAdded, new ArrayList<>(warnings)));
    }

    /**
     * Adds the batch to {@code project} at once, outside any undo history (the command line's
     * import). All or nothing: if a step fails, the steps before it are taken back.
     */
    public ImportSummary applyTo(Project project) {
        Plan plan = plan(project);
        plan.edit().apply(project);
        return plan.summary();
    }
}
