package org.robustsam.studio.annotate.format;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.robustsam.studio.image.ImageLoader;

/** Reading annotation JSON with errors that name the file, the line, and the item that is wrong. */
final class JsonInput {
    static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    JsonInput(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    JsonNode readTree() throws ImportException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ImportException(file, "file does not exist", e);
        } catch (IOException e) {
            throw new ImportException(file, "cannot be read (" + e.getMessage() + ")", e);
        }
        try {
            JsonNode root = JSON.readTree(bytes);
            if (root == null || root.isMissingNode()) {
                throw new ImportException(file, "file is empty");
            }
            if (!root.isObject()) {
                throw new ImportException(file, "expected a JSON object at the top, found " + kind(root));
            }
            return root;
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            String problem = "not valid JSON (" + e.getOriginalMessage() + ")";
            if (loc != null && loc.getLineNr() > 0) {
                throw new ImportException(file, loc.getLineNr(), loc.getColumnNr(), problem, e);
            }
            throw new ImportException(file, problem, e);
        } catch (IOException e) {
            throw new ImportException(file, "cannot be read (" + e.getMessage() + ")", e);
        }
    }

    ImportException error(String where, String problem) {
        return new ImportException(file, where + ": " + problem);
    }

    JsonNode field(JsonNode node, String name, String where) throws ImportException {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            throw error(where, "missing \"" + name + "\"");
        }
        return v;
    }

    JsonNode array(JsonNode node, String name, String where) throws ImportException {
        JsonNode v = field(node, name, where);
        if (!v.isArray()) {
            throw error(where, "\"" + name + "\" must be a list, found " + kind(v));
        }
        return v;
    }

    String text(JsonNode node, String name, String where) throws ImportException {
        JsonNode v = field(node, name, where);
        if (!v.isTextual()) {
            throw error(where, "\"" + name + "\" must be text, found " + kind(v));
        }
        return v.asText();
    }

    /**
     * A whole number that fits in a long. Numbers beyond that are refused rather than read the way
     * Jackson's asLong does (2^64 + 1 would become 1 and silently name another image).
     */
    long integer(JsonNode node, String name, String where) throws ImportException {
        JsonNode v = field(node, name, where);
        boolean whole = v.isIntegralNumber() || (v.isNumber() && v.asDouble() == Math.rint(v.asDouble()));
        if (!whole || !v.canConvertToLong()) {
            throw error(where, "\"" + name + "\" must be a whole number" + (whole ? " of at most 19 digits" : "")
                    + ", found " + v);
        }
        return v.asLong();
    }

    /** A positive image dimension; negative or zero sizes are refused by name. */
    int size(JsonNode node, String name, String where) throws ImportException {
        long v = integer(node, name, where);
        if (v <= 0 || v > Integer.MAX_VALUE) {
            throw error(where, "\"" + name + "\" must be a positive number of pixels, found " + v);
        }
        return (int) v;
    }

    /**
     * An image's width and height. A size larger than any photo the app opens is refused here, before
     * a mask of that size is allocated (100000 x 100000 would be 10 GB).
     */
    int[] imageSize(JsonNode node, String widthName, String heightName, String where) throws ImportException {
        int w = size(node, widthName, where);
        int h = size(node, heightName, where);
        if ((long) w * h > ImageLoader.DEFAULT_MAX_PIXELS) {
            throw error(where, "\"" + widthName + "\" x \"" + heightName + "\" is " + w + " x " + h
                    + ", larger than any image this app opens (" + ImageLoader.DEFAULT_MAX_PIXELS / 1_000_000 + " megapixels)");
        }
        return new int[] {w, h};
    }

    double number(JsonNode v, String where) throws ImportException {
        if (!v.isNumber()) {
            throw error(where, "expected a number, found " + kind(v));
        }
        double d = v.asDouble();
        if (!Double.isFinite(d)) {
            throw error(where, "expected a finite number, found " + v);
        }
        return d;
    }

    /** A label name, trimmed; blank names are refused. */
    String labelName(JsonNode node, String name, String where) throws ImportException {
        String s = text(node, name, where).strip();
        if (s.isEmpty()) {
            throw error(where, "label name is empty");
        }
        return s;
    }

    static String kind(JsonNode v) {
        return v.isObject() ? "an object" : v.isArray() ? "a list" : v.isTextual() ? "text \"" + v.asText() + "\""
                : v.isNull() ? "null" : v.toString();
    }
}
