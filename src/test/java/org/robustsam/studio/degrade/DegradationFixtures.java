package org.robustsam.studio.degrade;

import java.nio.file.Path;
import java.util.function.IntBinaryOperator;
import org.robustsam.studio.image.ImageLoadException;
import org.robustsam.studio.image.ImageLoader;
import org.robustsam.studio.image.RgbImage;
import org.robustsam.studio.testutil.SharedData;

/** Test images and image measurements for the degradation tests. */
final class DegradationFixtures {
    private DegradationFixtures() {}

    static RgbImage image(int w, int h, IntBinaryOperator rgbAt) {
        int[] px = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                px[y * w + x] = rgbAt.applyAsInt(x, y) & 0xFFFFFF;
            }
        }
        return new RgbImage(w, h, px);
    }

    static RgbImage grey(int w, int h, int v) {
        return image(w, h, (x, y) -> Pixels.pack(v, v, v));
    }

    static RgbImage checkerboard(int w, int h, int cell, int dark, int bright) {
        return image(w, h, (x, y) -> {
            int v = ((x / cell) + (y / cell)) % 2 == 0 ? dark : bright;
            return Pixels.pack(v, v, v);
        });
    }

    /** Independent uniform grey levels lo..hi per pixel (same in R, G, B). */
    static RgbImage greyNoise(int w, int h, int lo, int hi, long seed) {
        Rng rng = new Rng(seed);
        return image(w, h, (x, y) -> {
            int v = lo + rng.nextInt(hi - lo + 1);
            return Pixels.pack(v, v, v);
        });
    }

    /** Independent uniform colours per pixel and channel. */
    static RgbImage colourNoise(int w, int h, long seed) {
        Rng rng = new Rng(seed);
        return image(w, h, (x, y) -> Pixels.pack(rng.nextInt(256), rng.nextInt(256), rng.nextInt(256)));
    }

    /**
     * Band-limited grey texture: uniform noise on a coarse grid enlarged bilinearly {@code factor}
     * times, so it varies smoothly over about {@code factor} pixels (derivatives are meaningful).
     */
    static RgbImage smoothTexture(int w, int h, int factor, long seed) {
        RgbImage coarse = greyNoise(w / factor, h / factor, 0, 255, seed);
        return new RgbImage(w, h, Resize.rgb(coarse.pixels(), w / factor, Resize.Axis.scaled(w, w / factor, 0),
                Resize.Axis.scaled(h, h / factor, 0)));
    }

    static RgbImage synthetic() {
        return DegradationBenchmark.syntheticPhoto(512, 384);
    }

    /** A real photo from the shared LabelMe folder; skips the test when the folder is absent. */
    static RgbImage sharedPhoto(String name) throws ImageLoadException {
        Path folder = SharedData.labelmeFolder();
        return new ImageLoader().load(folder.resolve(name));
    }

    // ---- measurements -------------------------------------------------------------------------

    static double[] luma(RgbImage img) {
        int[] px = img.pixels();
        double[] l = new double[px.length];
        for (int i = 0; i < px.length; i++) {
            l[i] = 0.299 * Pixels.red(px[i]) + 0.587 * Pixels.green(px[i]) + 0.114 * Pixels.blue(px[i]);
        }
        return l;
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    static double variance(double[] v) {
        double m = mean(v);
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return s / v.length;
    }

    static double meanLuma(RgbImage img) {
        return mean(luma(img));
    }

    /** Mean absolute channel difference between two same-size images. */
    static double meanAbsDiff(RgbImage a, RgbImage b) {
        int[] pa = a.pixels();
        int[] pb = b.pixels();
        double s = 0;
        for (int i = 0; i < pa.length; i++) {
            s += Math.abs(Pixels.red(pa[i]) - Pixels.red(pb[i])) + Math.abs(Pixels.green(pa[i]) - Pixels.green(pb[i]))
                    + Math.abs(Pixels.blue(pa[i]) - Pixels.blue(pb[i]));
        }
        return s / (3.0 * pa.length);
    }

    /** High-frequency energy: mean squared 4-neighbour Laplacian of the luma over interior pixels. */
    static double highFrequencyEnergy(RgbImage img, int x0, int y0, int x1, int y1) {
        double[] l = luma(img);
        int w = img.width();
        double s = 0;
        int n = 0;
        for (int y = Math.max(1, y0); y < Math.min(img.height() - 1, y1); y++) {
            for (int x = Math.max(1, x0); x < Math.min(w - 1, x1); x++) {
                int i = y * w + x;
                double lap = 4 * l[i] - l[i - 1] - l[i + 1] - l[i - w] - l[i + w];
                s += lap * lap;
                n++;
            }
        }
        return s / n;
    }

    static double highFrequencyEnergy(RgbImage img) {
        return highFrequencyEnergy(img, 0, 0, img.width(), img.height());
    }

    /**
     * Energy of the luma's directional derivative along {@code angleDegrees} (0 = right, 90 = up on
     * screen): mean of {@code (gx cos a - gy sin a)^2} with central-difference gradients, interior
     * only. Small along a motion-blur line, large across it.
     */
    static double directionalEnergy(RgbImage img, double angleDegrees) {
        double[] l = luma(img);
        int w = img.width();
        int h = img.height();
        double c = Math.cos(Math.toRadians(angleDegrees));
        double s = Math.sin(Math.toRadians(angleDegrees));
        double sum = 0;
        int n = 0;
        int margin = 40;
        for (int y = margin; y < h - margin; y++) {
            for (int x = margin; x < w - margin; x++) {
                int i = y * w + x;
                double gx = (l[i + 1] - l[i - 1]) / 2;
                double gy = (l[i + w] - l[i - w]) / 2; // rows grow downwards: "up" is -y
                double d = gx * c - gy * s;
                sum += d * d;
                n++;
            }
        }
        return sum / n;
    }

    /**
     * JPEG blockiness: mean absolute luma step across the 8-pixel block boundaries (between
     * columns/rows 7|8, 15|16, ...) divided by the mean step everywhere else. About 1 for a natural
     * image; clearly above 1 when 8 x 8 blocks show.
     */
    static double blockiness(RgbImage img) {
        double[] l = luma(img);
        int w = img.width();
        int h = img.height();
        double boundary = 0;
        double inside = 0;
        long nb = 0;
        long ni = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x + 1 < w; x++) {
                double d = Math.abs(l[y * w + x + 1] - l[y * w + x]);
                if (x % 8 == 7) {
                    boundary += d;
                    nb++;
                } else {
                    inside += d;
                    ni++;
                }
            }
        }
        for (int y = 0; y + 1 < h; y++) {
            for (int x = 0; x < w; x++) {
                double d = Math.abs(l[(y + 1) * w + x] - l[y * w + x]);
                if (y % 8 == 7) {
                    boundary += d;
                    nb++;
                } else {
                    inside += d;
                    ni++;
                }
            }
        }
        return (boundary / nb) / (inside / ni);
    }

    /** Total-variation distance (0..1) between per-channel 256-bin histograms, averaged over R, G, B. */
    static double histogramDistance(RgbImage a, RgbImage b) {
        double total = 0;
        for (int shift = 0; shift <= 16; shift += 8) {
            long[] ha = new long[256];
            long[] hb = new long[256];
            for (int p : a.pixels()) {
                ha[(p >> shift) & 0xFF]++;
            }
            for (int p : b.pixels()) {
                hb[(p >> shift) & 0xFF]++;
            }
            double d = 0;
            for (int i = 0; i < 256; i++) {
                d += Math.abs((double) ha[i] / a.pixels().length - (double) hb[i] / b.pixels().length);
            }
            total += d / 2;
        }
        return total / 3;
    }

    /** Fraction of pixels whose packed colour differs. */
    static double changedFraction(RgbImage a, RgbImage b) {
        int n = 0;
        for (int i = 0; i < a.pixels().length; i++) {
            if (a.pixels()[i] != b.pixels()[i]) {
                n++;
            }
        }
        return (double) n / a.pixels().length;
    }
}
