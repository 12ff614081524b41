package org.robustsam.studio.hardening;

import java.nio.file.Path;
import org.robustsam.studio.annotate.format.LabelMeExporter;
import org.robustsam.studio.annotate.project.ImageRecord;
import org.robustsam.studio.annotate.project.Project;
import org.robustsam.studio.annotate.project.ProjectFile;
import org.robustsam.studio.annotate.project.ProjectSnapshot;

/**
 * Exports a project as LabelMe over and over, alternating two versions of it, printing
 * "EXPORTED n" after each, until the hardening suite kills it. Arguments: project folder, output folder.
 */
public final class ExportCrashChild {
    private ExportCrashChild() {}

    /** Version B: every image loses its last object (so every file differs between A and B). */
    static ProjectSnapshot versionB(Path folder) throws Exception {
        Project p = new ProjectFile(folder).load();
        for (ImageRecord img : p.images()) {
            if (!img.objects().isEmpty()) {
                p.removeObject(img.path(), img.objects().get(img.objects().size() - 1).id());
            }
        }
        return p.snapshot();
    }

    public static void main(String[] args) throws Exception {
        Path project = Path.of(args[0]);
        Path out = Path.of(args[1]);
        ProjectSnapshot a = new ProjectFile(project).load().snapshot();
        ProjectSnapshot b = versionB(project);
        System.out.println("READY");
        for (int i = 0; ; i++) {
            LabelMeExporter.export(i % 2 == 0 ? a : b, project, out, 0.5);
            System.out.println("EXPORTED " + i);
        }
    }
}
