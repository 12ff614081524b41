package org.robustsam.studio.ui;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Window;

/**
 * How a window asks the user for a file or folder. The platform dialogs cannot be driven by a
 * test robot (they are native), so windows take this instead and tests answer with a path.
 */
@FunctionalInterface
public interface PathChooser {
    enum Kind { FOLDER, FILE_TO_OPEN }

    /**
     * @param filters       for files: name patterns such as {@code *.json}, each with a description; ignored for folders
     * @param initialFolder where the dialog starts, or null
     */
    record Request(Kind kind, String title, Path initialFolder, List<FileChooser.ExtensionFilter> filters) {
        public Request {
            filters = List.copyOf(filters);
        }

        public static Request folder(String title, Path initialFolder) {
            return new Request(Kind.FOLDER, title, initialFolder, List.of());
        }

        public static Request file(String title, Path initialFolder, FileChooser.ExtensionFilter... filters) {
            return new Request(Kind.FILE_TO_OPEN, title, initialFolder, List.of(filters));
        }
    }

    /** The chosen path, or null when the user cancelled. */
    Path choose(Request request, Window owner);

    /** The platform's own dialogs. */
    static PathChooser platform() {
        return (request, owner) -> {
            File initial = request.initialFolder() != null && Files.isDirectory(request.initialFolder())
                    ? request.initialFolder().toFile() : null;
            File chosen;
            if (request.kind() == Kind.FOLDER) {
                DirectoryChooser c = new DirectoryChooser();
                c.setTitle(request.title());
                c.setInitialDirectory(initial);
                chosen = c.showDialog(owner);
            } else {
                FileChooser c = new FileChooser();
                c.setTitle(request.title());
                c.setInitialDirectory(initial);
                c.getExtensionFilters().addAll(request.filters());
                chosen = c.showOpenDialog(owner);
            }
            return chosen == null ? null : chosen.toPath();
        };
    }
}
