package org.robustsam.studio.hardening;

import java.nio.file.Path;
import org.robustsam.studio.image.ImageLoadException;
import org.robustsam.studio.image.ImageLoader;
import org.robustsam.studio.image.RgbImage;

/**
 * Opens each file given, in a small heap, printing "LOADED name WxH" or "REFUSED name: message",
 * then "DONE": the hardening suite checks that a photo too large for the heap is refused with a
 * message and the JVM goes on working.
 */
public final class HugeImageChild {
    private HugeImageChild() {}

    public static void main(String[] args) {
        ImageLoader loader = new ImageLoader();
        for (String a : args) {
            Path f = Path.of(a);
            try {
                RgbImage img = loader.load(f);
                System.out.println("LOADED " + f.getFileName() + " " + img.width() + "x" + img.height());
            } catch (ImageLoadException e) {
                System.out.println("REFUSED " + e.getMessage()); // the message starts with the file name
            }
        }
        System.out.println("DONE");
    }
}
