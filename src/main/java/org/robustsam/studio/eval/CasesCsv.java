package org.robustsam.studio.eval;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code cases.csv}: one {@link EvalCase} per line (RFC 4180 quoting), appended and flushed as cases
 * finish, so an interrupted run loses at most the line being written. Reading back keeps every
 * well-formed row and drops a torn last line, which is how a run resumes.
 */
public final class CasesCsv implements AutoCloseable {
    private final Path file;
    private final Writer out;

    private CasesCsv(Path file, Writer out) {
        this.file = file;
        this.out = out;
    }

    /** The rows of an existing file, by key (a later duplicate wins); empty when there is no file. */
    public static Map<EvalCase.Key, EvalCase> read(Path file) throws EvalException {
        Map<EvalCase.Key, EvalCase> rows = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            return rows;
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new EvalException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        List<List<String>> records = parse(text);
        if (records.isEmpty()) {
            return rows;
        }
        if (!records.get(0).equals(EvalCase.COLUMNS)) {
            throw new EvalException(file + ": not a cases file of this version (header " + String.join(",", records.get(0))
                    + "); choose another output folder or start over with --overwrite");
        }
        for (int i = 1; i < records.size(); i++) {
            try {
                EvalCase c = EvalCase.fromCells(records.get(i));
                rows.put(c.key(), c);
            } catch (IllegalArgumentException e) {
                // A torn line from an interrupted run: that case is simply computed again.
            }
        }
        return rows;
    }

    /**
     * Rewrites the file atomically with exactly these rows and opens it for appending; a torn line
     * from an earlier run is gone afterwards.
     */
    public static CasesCsv rewriteAndAppend(Path file, List<EvalCase> rows) throws EvalException {
        writeAll(file, rows);
        try {
            Writer w = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND));
            return new CasesCsv(file, w);
        } catch (IOException e) {
            throw new EvalException(file + ": cannot open for writing (" + e.getMessage() + ")", e);
        }
    }

    /** Writes the whole file (header + rows) under a temporary name and renames it into place. */
    public static void writeAll(Path file, List<EvalCase> rows) throws EvalException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".part");
        try {
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                w.write(line(EvalCase.COLUMNS));
                for (EvalCase c : rows) {
                    w.write(line(c.toCells()));
                }
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new EvalException(file + ": cannot write (" + e.getMessage() + ")", e);
        }
    }

    public Path file() {
        return file;
    }

    /** Appends one row and flushes it to the file. Thread-safe. */
    public synchronized void append(EvalCase c) throws IOException {
        out.write(line(c.toCells()));
        out.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }

    static String line(List<String> cells) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(quote(cells.get(i)));
        }
        return sb.append('\n').toString();
    }

    static String quote(String v) {
        if (v.indexOf(',') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0 && v.indexOf('\r') < 0) {
            return v;
        }
        return '"' + v.replace("\"", "\"\"") + '"';
    }

    /**
     * RFC 4180 records. A last record without its final newline is dropped: appends always end in
     * one, so such a record was torn by an interrupted write.
     */
    static List<List<String>> parse(String text) {
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (quoted) {
                if (ch == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                record.add(field.toString());
                field.setLength(0);
            } else if (ch == '\n') {
                record.add(field.toString());
                field.setLength(0);
                records.add(record);
                record = new ArrayList<>();
            } else if (ch != '\r') {
                field.append(ch);
            }
        }
        return records;
    }
}
