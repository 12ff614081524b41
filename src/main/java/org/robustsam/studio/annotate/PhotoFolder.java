package org.robustsam.studio.annotate;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.robustsam.studio.image.ImageFormats;
import org.robustsam.studio.image.ImageLoadException;
import org.robustsam.studio.image.ImageLoader;

/** The photos of one folder, in the order a person expects ("img2" before "img10"). */
public final class PhotoFolder {
    private final Path folder;
    private final List<PhotoEntry> entries;

    private PhotoFolder(Path folder, List<PhotoEntry> entries) {
        this.folder = folder;
        this.entries = List.copyOf(entries);
    }

    /**
     * Lists the image files (by extension) directly inside {@code folder}. Files are not decoded
     * here; {@link #probe} checks each one so a broken file is flagged, not fatal.
     */
    public static PhotoFolder scan(Path folder) throws FolderException {
        if (!Files.exists(folder)) {
            throw new FolderException(folder, Files.isSymbolicLink(folder)
                    ? "is a symbolic link that leads nowhere (to a missing folder, or in a loop)" : "folder does not exist");
        }
        if (!Files.isDirectory(folder)) {
            throw new FolderException(folder, "is a file, not a folder");
        }
        List<PhotoEntry> found = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder)) {
            for (Path p : stream) {
                // Directories named like images ("x.jpg/") are listed too: the probe flags them.
                if (ImageFormats.hasImageExtension(p)) {
                    found.add(PhotoEntry.unchecked(p));
                }
            }
        } catch (AccessDeniedException e) {
            throw new FolderException(folder, "permission denied: the folder cannot be listed", e);
        } catch (NoSuchFileException e) {
            throw new FolderException(folder, "folder disappeared while it was being listed", e);
        } catch (IOException | SecurityException e) {
            throw new FolderException(folder, "cannot be listed (" + e.getMessage() + ")", e);
        }
        found.sort(Comparator.comparing(PhotoEntry::fileName, NaturalOrder.INSTANCE));
        return new PhotoFolder(folder, found);
    }

    /** Reads the header of one entry: returns it as readable, or broken with a clear message. */
    public static PhotoEntry probe(PhotoEntry entry, ImageLoader loader) {
        try {
            return entry.readable(loader.readHeader(entry.path()));
        } catch (ImageLoadException e) {
            return entry.broken(e.getMessage());
        }
    }

    public Path folder() {
        return folder;
    }

    public List<PhotoEntry> entries() {
        return entries;
    }
}
