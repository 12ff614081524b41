package org.robustsam.studio.image;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/** File extensions the product opens; readers for all of them are on the class path (ImageIO + TwelveMonkeys). */
public final class ImageFormats {
    public static final Set<String> EXTENSIONS =
            Set.of("jpg", "jpeg", "png", "tif", "tiff", "webp", "bmp");

    private ImageFormats() {}

    public static boolean hasImageExtension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}
