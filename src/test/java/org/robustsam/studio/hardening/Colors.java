package org.robustsam.studio.hardening;

import org.robustsam.studio.image.RgbImage;

/** Coarse colour names for checking decoded pixels of lossy files: red, green, blue, white, black. */
final class Colors {
    private Colors() {}

    static String name(int rgb) {
        int r = (rgb >> 16) & 0xff;
        int g = (rgb >> 8) & 0xff;
        int b = rgb & 0xff;
        if (r > 200 && g > 200 && b > 200) {
            return "W";
        }
        if (r < 60 && g < 60 && b < 60) {
            return "K";
        }
        if (r > 150 && g < 90 && b < 90) {
            return "R";
        }
        if (g > 150 && r < 90 && b < 90) {
            return "G";
        }
        if (b > 150 && r < 90 && g < 90) {
            return "B";
        }
        return "?" + Integer.toHexString(rgb);
    }

    /** The colours 2 pixels in from the top-left, top-right, bottom-left and bottom-right corners. */
    static String corners(RgbImage img) {
        int w = img.width() - 1;
        int h = img.height() - 1;
        int d = Math.min(2, Math.min(w, h));
        return name(img.rgb(d, d)) + name(img.rgb(w - d, d)) + name(img.rgb(d, h - d)) + name(img.rgb(w - d, h - d));
    }

    static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }
}
