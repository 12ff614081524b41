package org.robustsam.studio.ui;

import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import org.robustsam.studio.image.RgbImage;

/** Conversions between the core's {@link RgbImage} and JavaFX images. */
public final class FxImages {
    private FxImages() {}

    public static WritableImage toFx(RgbImage image) {
        int w = image.width();
        int h = image.height();
        int[] src = image.pixels();
        int[] argb = new int[src.length];
        for (int i = 0; i < src.length; i++) {
            argb[i] = 0xFF000000 | src[i];
        }
        WritableImage out = new WritableImage(w, h);
        out.getPixelWriter().setPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), argb, 0, w);
        return out;
    }
}
