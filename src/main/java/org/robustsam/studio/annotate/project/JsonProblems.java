package org.robustsam.studio.annotate.project;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.io.IOException;
import java.util.Collection;
import java.util.Map;

/**
 * Jackson's error messages in words a user can act on: "expected a whole number, found 2.5"
 * rather than "Cannot coerce Floating-point value (2.5) to `java.lang.Integer` value (but could if
 * coercion was enabled using `CoercionConfig`)". Used for every JSON file people edit by hand
 * (project files, job files).
 */
public final class JsonProblems {
    private JsonProblems() {}

    /** What is wrong, without the file or the field (callers add those). */
    public static String describe(JsonProcessingException e) {
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            String found = found(m);
            if (found == null) {
                return "the file is empty";
            }
            if (found.isBlank()) {
                found = "another kind of value";
            }
            return "expected " + expected(m.getTargetType()) + ", found " + found;
        }
        return clean(e.getOriginalMessage());
    }

    /** The first line of a parser message, without Jackson's notes on where its source was. */
    public static String clean(String message) {
        if (message == null) {
            return "invalid value";
        }
        if (message.startsWith("Trailing token")) {
            return "more JSON follows the end of the document (two files joined together?)";
        }
        String m = message.replaceAll(", from `[^`]*`", "");
        for (String cut : new String[] {"\n", " (start marker at", " (for root starting at", " at [Source", " (from `",
                " (but could"}) {
            int i = m.indexOf(cut);
            if (i > 0) {
                m = m.substring(0, i);
            }
        }
        return m;
    }

    private static String expected(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class || type == Short.class
                || type == short.class) {
            return "a whole number";
        }
        if (type == Double.class || type == double.class || type == Float.class || type == float.class) {
            return "a number";
        }
        if (type == String.class) {
            return "text";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        return Map.class.isAssignableFrom(type) || !type.isPrimitive() ? "an object {...}" : type.getSimpleName();
    }

    /** The offending value, from the parser's current token; null at the end of the input. */
    private static String found(MismatchedInputException m) {
        if (!(m.getProcessor() instanceof JsonParser p)) {
            return "another kind of value";
        }
        JsonToken t = p.currentToken();
        if (t == null) {
            return null;
        }
        try {
            return switch (t) {
                case START_ARRAY -> "a list";
                case START_OBJECT, FIELD_NAME -> "an object";
                case VALUE_STRING -> "text \"" + shorten(p.getText()) + "\"";
                case VALUE_NULL -> "null";
                case VALUE_TRUE, VALUE_FALSE, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getText();
                default -> "another kind of value";
            };
        } catch (IOException e) {
            return "another kind of value";
        }
    }

    private static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
