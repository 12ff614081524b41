package org.robustsam.studio.assess;

import org.robustsam.studio.image.RgbImage;

/**
 * The photo as the meters read it: luma, two colour-difference planes and the darkest channel at
 * the working resolution (longest side at most {@value #WORKING_SIDE}, the size SAM itself resizes
 * to, by averaging whole blocks of pixels), plus per-channel histograms of the full-resolution
 * pixels. Blur, noise and weather are judged at the size the model sees; tone is judged on every
 * pixel. Built in one pass over the pixels, with no per-pixel allocation.
 */
final class WorkingPlanes {
    /** SAM's input side: measuring at this scale asks "how degraded is the image the model gets". */
    static final int WORKING_SIDE = 1024;

    final int width;
    final int height;
    /** Source pixels per working pixel along each axis (1 for images up to 1024 px). */
    final int factor;
    /** Rec. 601 luma, 0..255. */
    final float[] y;
    /** Blue minus luma. */
    final float[] u;
    /** Red minus luma. */
    final float[] v;
    /** min(R, G, B): the input of the dark-channel prior. */
    final float[] darkest;
    /** Full-resolution histograms: red, green, blue, and of max(R, G, B). */
    final int[][] channelHistograms;
    final int[] maxHistogram;
    final long pixelCount;

    private WorkingPlanes(int width, int height, int factor, long pixelCount) {
        this.width = width;
        this.height = height;
        this.factor = factor;
        this.pixelCount = pixelCount;
        int n = width * height;
        y = new float[n];
        u = new float[n];
        v = new float[n];
        darkest = new float[n];
        channelHistograms = new int[3][256];
        maxHistogram = new int[256];
    }

    static WorkingPlanes of(RgbImage image) {
        int w = image.width();
        int h = image.height();
        int factor = Math.max(1, (Math.max(w, h) + WORKING_SIDE - 1) / WORKING_SIDE);
        int ww = Math.max(1, w / factor);
        int wh = Math.max(1, h / factor);
        WorkingPlanes p = new WorkingPlanes(ww, wh, factor, (long) w * h);
        int[] px = image.pixels();
        int[] hr = p.channelHistograms[0];
        int[] hg = p.channelHistograms[1];
        int[] hb = p.channelHistograms[2];
        int[] hmax = p.maxHistogram;
        // Histograms over every pixel (pixels outside the last whole block included).
        for (int q : px) {
            int r = (q >> 16) & 0xFF;
            int g = (q >> 8) & 0xFF;
            int b = q & 0xFF;
            hr[r]++;
            hg[g]++;
            hb[b]++;
            hmax[Math.max(r, Math.max(g, b))]++;
        }
        if (factor == 1) {
            for (int i = 0; i < ww * wh; i++) {
                int q = px[i];
                p.set(i, (q >> 16) & 0xFF, (q >> 8) & 0xFF, q & 0xFF);
            }
            return p;
        }
        float inv = 1f / (factor * factor);
        int[] sr = new int[ww];
        int[] sg = new int[ww];
        int[] sb = new int[ww];
        for (int oy = 0; oy < wh; oy++) {
            java.util.Arrays.fill(sr, 0);
            java.util.Arrays.fill(sg, 0);
            java.util.Arrays.fill(sb, 0);
            for (int dy = 0; dy < factor; dy++) {
                int row = (oy * factor + dy) * w;
                for (int ox = 0, x = 0; ox < ww; ox++) {
                    int r = 0;
                    int g = 0;
                    int b = 0;
                    for (int dx = 0; dx < factor; dx++, x++) {
                        int q = px[row + x];
                        r += (q >> 16) & 0xFF;
                        g += (q >> 8) & 0xFF;
                        b += q & 0xFF;
                    }
                    sr[ox] += r;
                    sg[ox] += g;
                    sb[ox] += b;
                }
            }
            for (int ox = 0; ox < ww; ox++) {
                p.set(oy * ww + ox, sr[ox] * inv, sg[ox] * inv, sb[ox] * inv);
            }
        }
        return p;
    }

    private void set(int i, float r, float g, float b) {
        float l = 0.299f * r + 0.587f * g + 0.114f * b;
        y[i] = l;
        u[i] = b - l;
        v[i] = r - l;
        darkest[i] = Math.min(r, Math.min(g, b));
    }
}
