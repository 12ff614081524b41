package org.robustsam.studio.annotate.format;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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

    public int objectCount() {
        return images.stream().mapToInt(i -> i.objects().size()).sum();
    }

    /**
     * Adds the batch to {@code project}: missing labels (VOC colours), missing images, and every
     * object on top of the image's existing ones with a fresh id. An image already in the project
     * must have the same size. Not undoable: an import is a project-level operation.
     */
    public ImportSummary applyTo(Project project) {
        for (ImportedImage img : images) {
            Optional<ImageRecord> existing = project.image(img.path());
            if (existing.isPresent() && (existing.get().width() != img.width() || existing.get().height() != img.height())) {
                throw new IllegalArgumentException("image " + img.path() + " is " + existing.get().width() + "x" + existing.get().height()
                        + " in the project but " + img.width() + "x" + img.height() + " in the imported annotations");
            }
        }
        int labelsAdded = 0;
        for (String name : labels) {
            if (project.label(name).isEmpty()) {
                int index = project.labels().size();
                project.insertLabel(index, new Label(name, VocPalette.labelColor(index)));
                labelsAdded++;
            }
        }
        int imagesAdded = 0;
        int objects = 0;
        for (ImportedImage img : images) {
            if (project.image(img.path()).isEmpty()) {
                project.addImage(img.path(), img.width(), img.height());
                imagesAdded++;
            }
            for (ImportedObject o : img.objects()) {
                int top = project.image(img.path()).orElseThrow().objects().size();
                project.insertObject(img.path(), top, AnnotatedObject.manual(project.allocateObjectId(), o.label(), o.mask()));
                objects++;
            }
        }
        return new ImportSummary(images.size(), imagesAdded, objects, labelsAdded, new ArrayList<>(warnings));
    }
}
