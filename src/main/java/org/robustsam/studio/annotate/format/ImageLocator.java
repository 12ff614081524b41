package org.robustsam.studio.annotate.format;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.robustsam.studio.annotate.project.ProjectPaths;

/**
 * Finds the project image an annotation file refers to. Formats name images relative to the
 * annotation file (LabelMe's {@code imagePath}) or to some image root (COCO's {@code file_name}),
 * so the reference is tried against the annotation file's folder first, then against the project
 * folder. Either way the image must lie inside the project folder: a reference that leads outside
 * is refused with a message rather than followed.
 */
final class ImageLocator {
    private static final Pattern WINDOWS_ABSOLUTE = Pattern.compile("^([A-Za-z]:/|//)");

    private final Path projectFolder;

    ImageLocator(Path projectFolder) {
        this.projectFolder = projectFolder.toAbsolutePath().normalize();
    }

    private static boolean isAbsoluteHere(String ref) {
        try {
            return Path.of(ref).isAbsolute();
        } catch (InvalidPathException e) {
            return false;
        }
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
        if (reference.indexOf('\0') >= 0) {
            throw new ImportException(annotationFile, where + ": image path '" + reference.replace("\0", "\\0")
                    + "' contains a NUL character");
        }
        String ref = reference.replace('\\', '/');
        if (WINDOWS_ABSOLUTE.matcher(ref).find() && !isAbsoluteHere(ref)) {
            // C:\x.jpg or \\server\share written on Windows: elsewhere it would be read as a folder named "C:".
            throw new ImportException(annotationFile, where + ": image '" + reference + "' is an absolute Windows path,"
                    + " which points outside the project folder " + projectFolder + "; use a path relative to the annotation file");
        }
        Path besideAnnotation;
        try {
            besideAnnotation = baseFolder.toAbsolutePath().resolve(ref).normalize();
        } catch (InvalidPathException e) {
            throw new ImportException(annotationFile, where + ": image path '" + reference + "' is not a valid file name here ("
                    + e.getReason() + ")");
        }
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
