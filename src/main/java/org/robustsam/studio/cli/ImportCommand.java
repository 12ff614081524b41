package org.robustsam.studio.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.robustsam.studio.annotate.format.ImportBatch;
import org.robustsam.studio.annotate.format.ImportFormat;
import org.robustsam.studio.annotate.format.ImportSummary;
import org.robustsam.studio.annotate.project.Project;
import org.robustsam.studio.annotate.project.ProjectFile;
import org.robustsam.studio.annotate.project.SessionLock;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code studio import}: annotations from other tools into a project (created if the folder has none). */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Import LabelMe, COCO or VOC annotations into a project. The images must be inside the project folder.")
final class ImportCommand implements Callable<Integer> {
    @Option(names = "--format", required = true, paramLabel = "FORMAT", converter = FormatConverter.class,
            description = "labelme (a folder of LabelMe JSON, or one file), coco (an instances JSON file) or voc (a folder as studio export writes it).")
    ImportFormat format;

    @Option(names = "--input", required = true, paramLabel = "X", description = "The annotations to read.")
    Path input;

    @Option(names = "--project", required = true, paramLabel = "FOLDER", description = "Project folder holding the images.")
    Path project;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        try {
            if (!Files.isDirectory(project)) {
                throw new IOException(project + ": project folder does not exist");
            }
            // The app's autosave would overwrite what we write; refuse while it has the project open.
            Optional<SessionLock.Owner> owner = SessionLock.read(project);
            if (owner.isPresent() && owner.get().isAlive()) {
                throw new IOException(project + ": the project is open in RobustSAM Studio (process " + owner.get().pid()
                        + "); close it there first");
            }
            ProjectFile file = new ProjectFile(project);
            Project p = file.exists() ? file.load() : Project.create(project);
            ImportBatch batch = format.read(input, p.folder());
            ImportSummary summary = batch.applyTo(p);
            file.save(p.snapshot());
            summary.warnings().forEach(w -> err.println("warning: " + w));
            out.printf("Imported %d objects on %d images (%d new images, %d new labels) into %s%n", summary.objects(),
                    summary.images(), summary.imagesAdded(), summary.labelsAdded(), file.file());
            return 0;
        } catch (IOException | IllegalArgumentException e) {
            err.println("import failed: " + e.getMessage());
            return 1;
        } finally {
            err.flush();
            out.flush();
        }
    }

    static final class FormatConverter implements CommandLine.ITypeConverter<ImportFormat> {
        @Override
        public ImportFormat convert(String value) {
            try {
                return ImportFormat.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not an import format; use labelme, coco or voc");
            }
        }
    }
}
