package org.robustsam.studio.assess;

/**
 * Snowflakes: small bright blobs in the darkest channel min(R, G, B) (colourless and bright is what
 * a flake is; coloured details do not count), on the planes halved once and smoothed 3 x 3 so
 * pixel noise does not count either: local maxima standing at least 20 grey levels above the ring
 * of pixels around them (radius about a 160th of the image side), per thousand pixels. Clean photos
 * have a few (highlights, eyes, small lights); falling snow adds many.
 *
 * <p>Rain is not measured here: the engine's rain streaks are long and faint (a few grey levels),
 * and near-vertical streak detectors tried on the calibration photos could not tell them from the
 * photos' own vertical structure. Rain is seen through the veil it lays over the scene (the
 * dark-channel prior, {@link HazeMeter}) from moderate severities on.
 */
final class ParticleMeter {
    static final float BLOB_CONTRAST = 20f;

    private ParticleMeter() {}

    /** Bright colourless blobs per thousand pixels of the halved planes. */
    static double flakes(WorkingPlanes p) {
        int w = p.width / 2;
        int h = p.height / 2;
        if (w < 16 || h < 16) {
            return 0;
        }
        return flakes(box3(Pyramid.halve(p.darkest, p.width, p.height), w, h), w, h);
    }

    static float[] box3(float[] src, int w, int h) {
        float[] out = new float[src.length];
        for (int y = 1; y < h - 1; y++) {
            for (int x = 1; x < w - 1; x++) {
                int i = y * w + x;
                out[i] = (src[i - w - 1] + src[i - w] + src[i - w + 1] + src[i - 1] + src[i] + src[i + 1]
                        + src[i + w - 1] + src[i + w] + src[i + w + 1]) / 9f;
            }
        }
        return out;
    }

    static double flakes(float[] d, int w, int h) {
        int r = Math.max(2, Math.max(w, h) / 160);
        int m = r + 1;
        int[] ring = {-r * w - r, -r * w, -r * w + r, -r, r, r * w - r, r * w, r * w + r};
        long blobs = 0;
        long n = 0;
        for (int y = m; y < h - m; y++) {
            for (int x = m; x < w - m; x++) {
                int i = y * w + x;
                float c = d[i];
                n++;
                if (c < d[i - 1] || c < d[i + 1] || c < d[i - w] || c < d[i + w]
                        || c < d[i - w - 1] || c < d[i - w + 1] || c < d[i + w - 1] || c < d[i + w + 1]) {
                    continue;
                }
                float around = 0;
                for (int o : ring) {
                    around += d[i + o];
                }
                if (c - around / 8f >= BLOB_CONTRAST) {
                    blobs++;
                }
            }
        }
        return n == 0 ? 0 : 1000.0 * blobs / n;
    }
}
