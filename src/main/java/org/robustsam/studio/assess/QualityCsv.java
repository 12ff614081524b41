package org.robustsam.studio.assess;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code studio assess}'s per-image table: {@code image,width,height,quality,dominant,noise,blur,
 * compression,light,weather,problem}. A photo that could not be read has empty figures and the
 * reason in {@code problem}. Scores have three decimals; {@code dominant} is empty for a clean photo.
 */
public final class QualityCsv implements AutoCloseable {
    public static final List<String> COLUMNS;

    static {
        List<String> c = new ArrayList<>(List.of("image", "width", "height", "quality", "dominant"));
        for (DegradationFamily f : DegradationFamily.values()) {
            c.add(f.id());
        }
        c.add("problem");
        COLUMNS = List.copyOf(c);
    }

    private final Writer out;

    private QualityCsv(Writer out) throws IOException {
        this.out = out;
        out.write(String.join(",", COLUMNS) + "\n");
    }

    /** Creates (or replaces) the file, with its header written. */
    public static QualityCsv create(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        try {
            return new QualityCsv(w);
        } catch (IOException e) {
            w.close();
            throw e;
        }
    }

    public void write(String image, int width, int height, QualityReport r) throws IOException {
        List<String> cells = new ArrayList<>(List.of(quote(image), String.valueOf(width), String.valueOf(height), num(r.quality()),
                r.dominant() == null ? "" : r.dominant().id()));
        for (DegradationFamily f : DegradationFamily.values()) {
            cells.add(num(r.score(f)));
        }
        cells.add("");
        line(cells);
    }

    public void writeProblem(String image, String problem) throws IOException {
        List<String> cells = new ArrayList<>(List.of(quote(image), "", "", "", ""));
        for (int i = 0; i < DegradationFamily.values().length; i++) {
            cells.add("");
        }
        cells.add(quote(problem));
        line(cells);
    }

    private void line(List<String> cells) throws IOException {
        out.write(String.join(",", cells) + "\n");
        out.flush(); // a long run shows its rows as it goes
    }

    static String num(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    /** RFC 4180 quoting when needed. */
    static String quote(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
