package org.robustsam.studio.annotate.format;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.robustsam.studio.annotate.project.AtomicFiles;
import org.robustsam.studio.annotate.project.FileWriteException;

/**
 * Writes the files of one export into its folder, by the same rule as project saves: never over a
 * file it did not write itself. Each file is written atomically; a file already there with other
 * bytes, which no earlier export wrote (the user's own LabelMe JSON beside the photos, say), is
 * first renamed to {@code <name>.kept-<time>} and reported. What exports wrote is remembered in
 * {@value #MANIFEST} in the folder, so exporting again after more work replaces the earlier export
 * without keeping copies of it. Each file's entry is appended to that list before the file is
 * written, so an export killed halfway still knows every file it may have written.
 *
 * <p>Every file must end up inside the folder, also after following symbolic links: an export
 * never writes anywhere else. One export writing the same file twice (photos {@code a.jpg} and
 * {@code a.png} both becoming {@code a.json}) is refused rather than losing one of them.
 */
final class ExportWriter {
    /** One JSON array per line: ["relative/path", "sha-256 of the bytes an export wrote there"]. */
    static final String MANIFEST = ".robustsam-export";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;
    private final Map<String, Set<String>> earlier;
    private final Map<String, String> written = new TreeMap<>();
    private final List<String> warnings = new ArrayList<>();
    private final String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS"));

    ExportWriter(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        if (Files.exists(this.root) && !Files.isDirectory(this.root)) {
            throw new ExportException(this.root + ": is a file, not a folder; choose a folder to export into");
        }
        try {
            Files.createDirectories(this.root);
        } catch (IOException e) {
            throw new FileWriteException(this.root, "the export folder cannot be created (" + AtomicFiles.describe(e) + ")", e);
        }
        checkWritable(this.root);
        this.earlier = readManifest(this.root.resolve(MANIFEST));
    }

    /** A read-only or full folder is reported for the folder, before any file of the export is tried. */
    private static void checkWritable(Path root) throws FileWriteException {
        try {
            Path probe = Files.createTempFile(root, ".robustsam-export-", ".probe");
            Files.delete(probe);
        } catch (IOException e) {
            throw new FileWriteException(root, "cannot export into this folder (" + AtomicFiles.describe(e) + ")", e);
        }
    }

    private static Map<String, Set<String>> readManifest(Path file) {
        Map<String, Set<String>> known = new TreeMap<>();
        if (!Files.isRegularFile(file)) {
            return known;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                try {
                    List<String> entry = JSON.readValue(line, new TypeReference<List<String>>() {});
                    if (entry.size() == 2) {
                        known.computeIfAbsent(entry.get(0), k -> new HashSet<>()).add(entry.get(1));
                    }
                } catch (IOException | RuntimeException torn) {
                    // a line cut by a crash: that file then counts as the user's and is kept, never lost
                }
            }
        } catch (IOException | RuntimeException e) {
            known.clear(); // unreadable: every existing file counts as the user's and is kept
        }
        return known;
    }

    /** Writes {@code bytes} to {@code file}, which must lie inside the export folder. */
    void write(Path file, byte[] bytes) throws IOException {
        Path target = file.toAbsolutePath().normalize();
        if (!target.startsWith(root) || target.equals(root)) {
            throw new ExportException("will not write " + target + ": it is outside the export folder " + root);
        }
        String key = key(target);
        if (written.containsKey(key)) {
            throw new ExportException("two images would both be exported as " + target
                    + "; rename one of them (file names may differ only in their extension)");
        }
        if (key.equals(MANIFEST)) {
            throw new ExportException("will not write " + target + ": the name is reserved");
        }
        createParentInside(target);
        if (Files.isDirectory(target)) {
            throw new ExportException("will not write " + target + ": a folder of that name is in the way");
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            keepIfForeign(target, key, bytes);
        }
        String hash = sha256(bytes);
        remember(key, hash);
        AtomicFiles.write(target, bytes);
        written.put(key, hash);
    }

    /** Appends the entry before the file is written (no fsync: it only has to survive the process). */
    private void remember(String key, String hash) throws IOException {
        byte[] line = (JSON.writeValueAsString(List.of(key, hash)) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            Files.write(root.resolve(MANIFEST), line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new FileWriteException(root.resolve(MANIFEST), "cannot be written (" + AtomicFiles.describe(e) + ")", e);
        }
    }

    private void createParentInside(Path target) throws IOException {
        Path parent = target.getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new FileWriteException(parent, "cannot be created (" + AtomicFiles.describe(e) + ")", e);
        }
        // A linked folder inside the export folder could lead anywhere.
        if (!parent.toRealPath().startsWith(root.toRealPath())) {
            throw new ExportException("will not write " + target + ": its folder " + parent
                    + " leads outside the export folder (a symbolic link)");
        }
    }

    private void keepIfForeign(Path target, String key, byte[] bytes) throws IOException {
        boolean link = Files.isSymbolicLink(target);
        byte[] current = link ? null : Files.readAllBytes(target);
        if (current != null && (Arrays.equals(current, bytes) || earlier.getOrDefault(key, Set.of()).contains(sha256(current)))) {
            return; // the same bytes, or what an earlier export wrote: replacing it loses nothing
        }
        Path kept = target.resolveSibling(target.getFileName() + ".kept-" + stamp);
        Files.move(target, kept); // a rename in the same folder: no copy, nothing to fill the disk
        warnings.add(target + " was not written by an earlier export; kept as " + kept.getFileName());
    }

    /** Rewrites the list compactly (one entry per file still there); call after the last file. */
    void finish() throws IOException {
        StringBuilder lines = new StringBuilder();
        Map<String, Set<String>> all = new TreeMap<>(earlier);
        written.forEach((k, v) -> all.put(k, Set.of(v)));
        for (Map.Entry<String, Set<String>> e : all.entrySet()) {
            if (Files.isRegularFile(root.resolve(e.getKey()), LinkOption.NOFOLLOW_LINKS)) {
                for (String hash : new TreeSet<>(e.getValue())) {
                    lines.append(JSON.writeValueAsString(List.of(e.getKey(), hash))).append('\n');
                }
            }
        }
        AtomicFiles.write(root.resolve(MANIFEST), lines.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Files that were in the way and kept aside, as messages. */
    List<String> warnings() {
        return List.copyOf(warnings);
    }

    private String key(Path target) {
        StringBuilder s = new StringBuilder();
        for (Path part : root.relativize(target)) {
            s.append(s.length() > 0 ? "/" : "").append(part);
        }
        return s.toString();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
