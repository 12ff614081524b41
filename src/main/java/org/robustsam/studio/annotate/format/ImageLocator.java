package org.robustsam.studio.annotate.format;

import java.nio.file.Files;
import java.nio.file.Path;
import org.robustsam.studio.annotate.project.ProjectPaths;

/**
 * Finds the project image an annotation file refers to. Formats name images relative to the
 * annotation file (LabelMe's {@code imagePath}) or to some image root (COCO's {@code file_name}),
 * so the reference is tried against the annotation file's folder first, then against the project
 * folder. Either way the image must lie inside the project folder: a reference that leads outside
 * is refused with a message rather than followed.
 */
final class ImageLocator {
    private final Path projectFolder;

    ImageLocator(Path projectFolder) {
        this.projectFolder = projectFolder.toAbsolutePath().normalize();
    }

    /** The image file itself (after {@link #locate} accepted the reference). */
    Path file(Path annotationFile, Path baseFolder, String reference) throws ImportException {
        return ProjectPaths.resolve(projectFolder, locate(annotationFile, baseFolder, reference, "image"));
    }

    /** The image's project path; {@code where} names the item for messages. */
    String locate(Path annotationFile, Path baseFolder, String reference, String where) throws ImportException {
        if (reference == null || reference.isBlank()) {
            throw new ImportException(annotationFile, where + ": image path is empty");
        }
        String ref = reference.replace('\\', '/');
        Path besideAnnotation = baseFolder.toAbsolutePath().resolve(ref).normalize();
        boolean besideIsInside = besideAnnotation.startsWith(projectFolder) && !besideAnnotation.equals(projectFolder);
        if (besideIsInside && Files.isRegularFile(besideAnnotation)) {
            return ProjectPaths.relativize(projectFolder, besideAnnotation);
        }
        String inProject = null;
        try {
            inProject = ProjectPaths.normalizeRelative(ref);
        } catch (IllegalArgumentException e) {
            // Absolute, or leaves the folder: only acceptable through the first rule.
        }
        if (inProject != null && Files.isRegularFile(ProjectPaths.resolve(projectFolder, inProject))) {
            return inProject;
        }
        if (!besideIsInside && Files.isRegularFile(besideAnnotation)) {
            throw new ImportException(annotationFile, where + ": image '" + reference + "' (" + besideAnnotation
                    + ") is outside the project folder " + projectFolder + "; put the images inside the project folder");
        }
        if (!besideIsInside && inProject == null) {
            throw new ImportException(annotationFile, where + ": image '" + reference + "' points outside the project folder "
                    + projectFolder);
        }
        throw new ImportException(annotationFile, where + ": image '" + reference + "' is missing (looked for "
                + besideAnnotation + (inProject != null ? " and " + ProjectPaths.resolve(projectFolder, inProject) : "") + ")");
    }
}
