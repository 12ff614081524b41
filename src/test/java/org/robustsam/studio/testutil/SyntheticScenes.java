package org.robustsam.studio.testutil;

import java.util.SplittableRandom;
import org.robustsam.studio.image.RgbImage;

/**
 * Photo-like test images without photos: the "dead leaves" model (Matheron; Lee, Mumford and
 * Huang 2001), opaque discs of random colour dropped one over another with sizes following a
 * power law, which reproduces natural images' scale invariance, edges and occlusions. Each disc
 * gets a soft shading gradient and some a fine grain; the scene is drawn at twice the size and
 * averaged down (as photos are reduced from their camera size) and gets mild sensor noise, so blur, noise and tone measurements see what they see in a photo.
 */
public final class SyntheticScenes {
    private SyntheticScenes() {}

    public static RgbImage deadLeaves(int outW, int outH, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        // Drawn at twice the size and averaged down, as a photo reduced from its camera size.
        int w = 2 * outW;
        int h = 2 * outH;
        float[] r = new float[w * h];
        float[] g = new float[w * h];
        float[] b = new float[w * h];
        boolean[] covered = new boolean[w * h];
        int left = w * h;
        double rMin = Math.max(4, Math.max(w, h) / 160.0); // the same scene at any size
        double rMax = Math.max(w, h) / 4.0;
        // Front to back: a pixel takes the first disc that covers it; stop when all are covered.
        for (int disc = 0; disc < 20000 && left > 0; disc++) {
            double u = rng.nextDouble();
            // Radius density ~ r^-3 between rMin and rMax (inverse CDF).
            double radius = 1 / Math.sqrt(1 / (rMin * rMin) - u * (1 / (rMin * rMin) - 1 / (rMax * rMax)));
            double cx = rng.nextDouble() * w;
            double cy = rng.nextDouble() * h;
            double hue = rng.nextDouble();
            double sat = 0.1 + 0.6 * rng.nextDouble();
            double val = 0.06 + 0.9 * Math.pow(rng.nextDouble(), 1.3);
            double[] rgb = hsv(hue, sat, val);
            double shadeX = (rng.nextDouble() - 0.5) * 0.6 / radius;
            double shadeY = (rng.nextDouble() - 0.5) * 0.6 / radius;
            // Some surfaces are smooth, others grainy (fabric, foliage, stone).
            double texture = rng.nextDouble() < 0.6 ? 0 : 3 + 6 * rng.nextDouble();
            int x0 = Math.max(0, (int) (cx - radius));
            int x1 = Math.min(w - 1, (int) (cx + radius));
            int y0 = Math.max(0, (int) (cy - radius));
            int y1 = Math.min(h - 1, (int) (cy + radius));
            for (int y = y0; y <= y1; y++) {
                for (int x = x0; x <= x1; x++) {
                    int i = y * w + x;
                    double dx = x + 0.5 - cx;
                    double dy = y + 0.5 - cy;
                    if (covered[i] || dx * dx + dy * dy > radius * radius) {
                        continue;
                    }
                    covered[i] = true;
                    left--;
                    double shade = 1 + shadeX * dx + shadeY * dy;
                    double t = texture == 0 ? 0 : texture * rng.nextGaussian();
                    r[i] = (float) (255 * rgb[0] * shade + t);
                    g[i] = (float) (255 * rgb[1] * shade + t);
                    b[i] = (float) (255 * rgb[2] * shade + t);
                }
            }
        }
        int[] px = new int[outW * outH];
        for (int y = 0; y < outH; y++) {
            for (int x = 0; x < outW; x++) {
                // Sensor noise of about 1.5 grey levels, mostly shared by the channels (as after a
                // camera's colour processing).
                double grain = 1.4 * rng.nextGaussian();
                px[y * outW + x] = (clamp(down(r, w, x, y) + grain + 0.4 * rng.nextGaussian()) << 16)
                        | (clamp(down(g, w, x, y) + grain + 0.4 * rng.nextGaussian()) << 8)
                        | clamp(down(b, w, x, y) + grain + 0.4 * rng.nextGaussian());
            }
        }
        return new RgbImage(outW, outH, px);
    }

    private static double down(float[] c, int w, int x, int y) {
        int i = 2 * y * w + 2 * x;
        return 0.25 * (c[i] + c[i + 1] + c[i + w] + c[i + w + 1]);
    }

    private static int clamp(double v) {
        return v <= 0 ? 0 : v >= 255 ? 255 : (int) (v + 0.5);
    }

    private static double[] hsv(double h, double s, double v) {
        double hh = (h * 6) % 6;
        int sector = (int) hh;
        double f = hh - sector;
        double p = v * (1 - s);
        double q = v * (1 - s * f);
        double t = v * (1 - s * (1 - f));
        return switch (sector) {
            case 0 -> new double[] {v, t, p};
            case 1 -> new double[] {q, v, p};
            case 2 -> new double[] {p, v, t};
            case 3 -> new double[] {p, q, v};
            case 4 -> new double[] {t, p, v};
            default -> new double[] {v, p, q};
        };
    }
}
