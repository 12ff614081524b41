package org.robustsam.studio.degrade;

/**
 * RGB to and from HLS and HSV with OpenCV's float conventions (RGB and L, S, V in [0, 1], hue in
 * degrees [0, 360)), the spaces the reference's ISO noise and colour jitter work in. Results go
 * into a caller's {@code float[3]} so per-pixel loops allocate nothing.
 */
final class ColorSpace {
    private ColorSpace() {}

    /** out = {H degrees, L, S}. */
    static void rgbToHls(float r, float g, float b, float[] out) {
        float max = Math.max(r, Math.max(g, b));
        float min = Math.min(r, Math.min(g, b));
        float l = (max + min) * 0.5f;
        float diff = max - min;
        if (diff <= 0f) {
            out[0] = 0f;
            out[1] = l;
            out[2] = 0f;
            return;
        }
        float s = l < 0.5f ? diff / (max + min) : diff / (2f - max - min);
        out[0] = hue(r, g, b, max, diff);
        out[1] = l;
        out[2] = s;
    }

    /** RGB in [0, 1] from H degrees in [0, 360), L, S. */
    static void hlsToRgb(float h, float l, float s, float[] out) {
        if (s <= 0f) {
            out[0] = l;
            out[1] = l;
            out[2] = l;
            return;
        }
        float q = l < 0.5f ? l * (1f + s) : l + s - l * s;
        float p = 2f * l - q;
        out[0] = hueToChannel(p, q, h + 120f);
        out[1] = hueToChannel(p, q, h);
        out[2] = hueToChannel(p, q, h - 120f);
    }

    /** out = {H degrees, S, V}. */
    static void rgbToHsv(float r, float g, float b, float[] out) {
        float max = Math.max(r, Math.max(g, b));
        float min = Math.min(r, Math.min(g, b));
        float diff = max - min;
        out[2] = max;
        if (max <= 0f || diff <= 0f) {
            out[0] = 0f;
            out[1] = 0f;
            return;
        }
        out[1] = diff / max;
        out[0] = hue(r, g, b, max, diff);
    }

    /** RGB in [0, 1] from H degrees, S, V. */
    static void hsvToRgb(float h, float s, float v, float[] out) {
        if (s <= 0f) {
            out[0] = v;
            out[1] = v;
            out[2] = v;
            return;
        }
        float hh = wrapDegrees(h) / 60f;
        int sector = (int) hh;
        if (sector > 5) {
            sector = 5;
        }
        float f = hh - sector;
        float p = v * (1f - s);
        float q = v * (1f - s * f);
        float t = v * (1f - s * (1f - f));
        switch (sector) {
            case 0 -> set(out, v, t, p);
            case 1 -> set(out, q, v, p);
            case 2 -> set(out, p, v, t);
            case 3 -> set(out, p, q, v);
            case 4 -> set(out, t, p, v);
            default -> set(out, v, p, q);
        }
    }

    /** Degrees wrapped into [0, 360). */
    static float wrapDegrees(float h) {
        h %= 360f;
        return h < 0f ? h + 360f : h;
    }

    private static float hue(float r, float g, float b, float max, float diff) {
        float h;
        if (max == r) {
            h = 60f * (g - b) / diff;
        } else if (max == g) {
            h = 120f + 60f * (b - r) / diff;
        } else {
            h = 240f + 60f * (r - g) / diff;
        }
        return h < 0f ? h + 360f : h;
    }

    private static float hueToChannel(float p, float q, float h) {
        // h is in [-120, 480) here: one conditional step wraps it (exactly as % would, but faster).
        if (h < 0f) {
            h += 360f;
        } else if (h >= 360f) {
            h -= 360f;
        }
        if (h < 60f) {
            return p + (q - p) * h / 60f;
        }
        if (h < 180f) {
            return q;
        }
        if (h < 240f) {
            return p + (q - p) * (240f - h) / 60f;
        }
        return p;
    }

    private static void set(float[] out, float r, float g, float b) {
        out[0] = r;
        out[1] = g;
        out[2] = b;
    }
}
