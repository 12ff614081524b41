package org.robustsam.studio.degrade;

import org.robustsam.studio.image.RgbImage;

/** Splits packed RGB into three int planes (0..255) and back. */
final class Planes {
    private Planes() {}

    static int[][] split(RgbImage image) {
        int[] src = image.pixels();
        int[] r = new int[src.length];
        int[] g = new int[src.length];
        int[] b = new int[src.length];
        int w = image.width();
        Parallel.rows(image.height(), w, (from, to) -> {
            for (int i = from * w, end = to * w; i < end; i++) {
                int p = src[i];
                r[i] = Pixels.red(p);
                g[i] = Pixels.green(p);
                b[i] = Pixels.blue(p);
            }
        });
        return new int[][] {r, g, b};
    }

    static RgbImage merge(int w, int h, int[] r, int[] g, int[] b) {
        int[] out = new int[w * h];
        Parallel.rows(h, w, (from, to) -> {
            for (int i = from * w, end = to * w; i < end; i++) {
                out[i] = Pixels.pack(Pixels.clamp(r[i], 0, 255), Pixels.clamp(g[i], 0, 255), Pixels.clamp(b[i], 0, 255));
            }
        });
        return new RgbImage(w, h, out);
    }
}
