package org.robustsam.studio.degrade;

import java.util.function.IntUnaryOperator;
import org.robustsam.studio.image.RgbImage;

/** Packed-pixel helpers shared by the degradations: channel access, rounding, lookup tables. */
final class Pixels {
    private Pixels() {}

    static int red(int p) {
        return (p >> 16) & 0xFF;
    }

    static int green(int p) {
        return (p >> 8) & 0xFF;
    }

    static int blue(int p) {
        return p & 0xFF;
    }

    static int pack(int r, int g, int b) {
        return (r << 16) | (g << 8) | b;
    }

    /** Rounds half up and clamps to 0..255: the one float-to-8-bit rule of the package. */
    static int toByte(double v) {
        if (v <= 0) {
            return 0;
        }
        if (v >= 255) {
            return 255;
        }
        return (int) (v + 0.5);
    }

    static int toByte(float v) {
        if (v <= 0f) {
            return 0;
        }
        if (v >= 255f) {
            return 255;
        }
        return (int) (v + 0.5f);
    }

    static int clamp(int v, int lo, int hi) {
        return v < lo ? lo : (v > hi ? hi : v);
    }

    /** Rec. 601 luma as OpenCV's RGB2GRAY uses it (0.299, 0.587, 0.114). */
    static float luma(int p) {
        return 0.299f * red(p) + 0.587f * green(p) + 0.114f * blue(p);
    }

    /** A 256-entry table from a per-value function (values clamped to 0..255). */
    static int[] lut(IntUnaryOperator f) {
        int[] t = new int[256];
        for (int v = 0; v < 256; v++) {
            t[v] = clamp(f.applyAsInt(v), 0, 255);
        }
        return t;
    }

    /** Applies the same table to the three channels of every pixel. */
    static RgbImage mapChannels(RgbImage image, int[] lut) {
        int[] src = image.pixels();
        int[] out = new int[src.length];
        int w = image.width();
        Parallel.rows(image.height(), w, (from, to) -> {
            for (int i = from * w, end = to * w; i < end; i++) {
                int p = src[i];
                out[i] = (lut[(p >> 16) & 0xFF] << 16) | (lut[(p >> 8) & 0xFF] << 8) | lut[p & 0xFF];
            }
        });
        return new RgbImage(image.width(), image.height(), out);
    }

    /** Index reflection without repeating the edge pixel (OpenCV BORDER_REFLECT_101). */
    static int reflect101(int i, int n) {
        if (n == 1) {
            return 0;
        }
        int period = 2 * (n - 1);
        i = Math.floorMod(i, period);
        return i < n ? i : period - i;
    }
}
