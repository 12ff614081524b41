package org.robustsam.studio.annotate.project;

import java.util.regex.Pattern;

/** An object class: a name shown in lists and exports, and the colour its masks are drawn in ({@code #rrggbb}). */
public record Label(String name, String color) {
    private static final Pattern HEX_COLOR = Pattern.compile("#[0-9a-fA-F]{6}");

    public Label {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a label needs a name");
        }
        if (!name.equals(name.strip())) {
            throw new IllegalArgumentException("label name '" + name + "' starts or ends with spaces");
        }
        if (color == null || !HEX_COLOR.matcher(color).matches()) {
            throw new IllegalArgumentException("label '" + name + "' colour must look like #rrggbb, got " + color);
        }
        color = color.toLowerCase(java.util.Locale.ROOT);
    }

    public Label withName(String newName) {
        return new Label(newName, color);
    }

    /** Packed 0xRRGGBB. */
    public int rgb() {
        return Integer.parseInt(color.substring(1), 16);
    }
}
