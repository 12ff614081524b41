package org.robustsam.studio.annotate.format;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.robustsam.studio.annotate.project.ImageRecord;
import org.robustsam.studio.annotate.project.ProjectFile;
import org.robustsam.studio.annotate.project.ProjectPaths;

/** File names of per-image outputs, derived from project paths. */
final class ExportPaths {
    private ExportPaths() {}

    /** "sub/a.jpg" with extension "json" becomes "sub/a.json" (the folder structure is kept). */
    static String replaceExtension(String projectPath, String extension) {
        int slash = projectPath.lastIndexOf('/');
        int dot = projectPath.lastIndexOf('.');
        String base = dot > slash + 1 ? projectPath.substring(0, dot) : projectPath;
        return base + "." + extension;
    }

    /** "sub/a.jpg" becomes "a": VOC names files by bare stem. */
    static String stem(String projectPath) {
        String name = projectPath.substring(projectPath.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** VOC stems must be unique across the project, since VOC folders are flat. */
    static Map<String, String> uniqueStems(Iterable<ImageRecord> images) throws ExportException {
        Map<String, String> byStem = new HashMap<>();
        for (ImageRecord img : images) {
            String other = byStem.put(stem(img.path()), img.path());
            if (other != null) {
                throw new ExportException("images " + other + " and " + img.path() + " have the same name '" + stem(img.path())
                        + "'; VOC files are named by image name alone, so rename one of them");
            }
        }
        return byStem;
    }

    /**
     * Per-image output names must differ: photos {@code a.jpg} and {@code a.png} would both become
     * {@code a.<extension>}, and one export would silently replace the other's file.
     */
    static void uniqueTargets(Iterable<ImageRecord> images, String extension) throws ExportException {
        Map<String, String> byTarget = new HashMap<>();
        for (ImageRecord img : images) {
            String target = replaceExtension(img.path(), extension);
            String other = byTarget.put(target, img.path());
            if (other != null) {
                throw new ExportException("images " + other + " and " + img.path() + " would both be exported as " + target
                        + "; rename one of them");
            }
        }
    }

    /** Where the per-image file goes; refuses names that would overwrite the project file. */
    static Path target(Path outDir, String relative) throws ExportException {
        Path p = ProjectPaths.resolve(outDir, relative);
        if (p.getFileName().toString().startsWith(ProjectFile.FILE_NAME)) {
            throw new ExportException("will not write " + p + ": the name is reserved for the project file");
        }
        return p;
    }
}
