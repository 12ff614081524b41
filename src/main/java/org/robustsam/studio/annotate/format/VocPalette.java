package org.robustsam.studio.annotate.format;

import java.awt.image.IndexColorModel;

/**
 * The Pascal VOC colour map: index i gets the colour whose bits are i's bits dealt out in turn to
 * red, green and blue, most significant first. Index 0 is black (background), 1 is (128, 0, 0),
 * 255 is (224, 224, 192) (VOC's "void"). Label colours default to it so PNG exports and the app
 * show the same colours.
 */
public final class VocPalette {
    private static final int[] RGB = build();

    private VocPalette() {}

    private static int[] build() {
        int[] rgb = new int[256];
        for (int i = 0; i < 256; i++) {
            int r = 0;
            int g = 0;
            int b = 0;
            int c = i;
            for (int j = 0; j < 8; j++) {
                r |= (c & 1) << (7 - j);
                g |= ((c >> 1) & 1) << (7 - j);
                b |= ((c >> 2) & 1) << (7 - j);
                c >>= 3;
            }
            rgb[i] = (r << 16) | (g << 8) | b;
        }
        return rgb;
    }

    /** Packed 0xRRGGBB of palette entry {@code index} (0..255). */
    public static int rgb(int index) {
        return RGB[index];
    }

    /** "#rrggbb" of palette entry {@code index}. */
    public static String hex(int index) {
        return String.format("#%06x", RGB[index]);
    }

    /** Default colour for the label at position {@code labelIndex} (0-based): its VOC class colour. */
    public static String labelColor(int labelIndex) {
        return hex(1 + Math.floorMod(labelIndex, 254));
    }

    public static IndexColorModel colorModel() {
        byte[] r = new byte[256];
        byte[] g = new byte[256];
        byte[] b = new byte[256];
        for (int i = 0; i < 256; i++) {
            r[i] = (byte) (RGB[i] >> 16);
            g[i] = (byte) (RGB[i] >> 8);
            b[i] = (byte) RGB[i];
        }
        return new IndexColorModel(8, 256, r, g, b);
    }
}
