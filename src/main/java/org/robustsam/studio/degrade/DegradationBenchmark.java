package org.robustsam.studio.degrade;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.robustsam.studio.image.RgbImage;

/**
 * Times each degradation on a synthetic photo-like image: warm-up runs, then the median of timed
 * runs, one degradation after the other (no overlap, so each figure is that degradation alone).
 * Run from {@code studio degrade --bench} or as a plain main.
 */
public final class DegradationBenchmark {
    /** Median and fastest of the timed runs of one degradation. */
    public record Timing(String id, String name, double medianMs, double minMs) {}

    private DegradationBenchmark() {}

    public static void main(String[] args) {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
        System.out.print(table(run(syntheticPhoto(size, size), Degradation.REFERENCE_SEVERITY, 2, 5), size, size));
    }

    public static List<Timing> run(RgbImage image, int severity, int warmups, int repeats) {
        List<Timing> out = new ArrayList<>();
        for (Degradation d : Degradations.all()) {
            for (int i = 0; i < warmups; i++) {
                d.apply(image, severity, 1000 + i);
            }
            double[] ms = new double[repeats];
            for (int i = 0; i < repeats; i++) {
                long t0 = System.nanoTime();
                d.apply(image, severity, i);
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
            Arrays.sort(ms);
            out.add(new Timing(d.id(), d.name(), ms[repeats / 2], ms[0]));
        }
        return out;
    }

    public static String table(List<Timing> timings, int width, int height) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Degradations on %d x %d, severity %d, %d cores (median of timed runs after warm-up)%n",
                width, height, Degradation.REFERENCE_SEVERITY, Runtime.getRuntime().availableProcessors()));
        sb.append(String.format(Locale.ROOT, "%-20s %-22s %10s %10s%n", "ID", "NAME", "MEDIAN ms", "MIN ms"));
        double total = 0;
        double totalMin = 0;
        for (Timing t : timings) {
            sb.append(String.format(Locale.ROOT, "%-20s %-22s %10.1f %10.1f%n", t.id(), t.name(), t.medianMs(), t.minMs()));
            total += t.medianMs();
            totalMin += t.minMs();
        }
        sb.append(String.format(Locale.ROOT, "%-20s %-22s %10.1f %10.1f%n", "total", "", total, totalMin));
        return sb.toString();
    }

    /**
     * A deterministic stand-in for a photo: smooth colour gradients, hard-edged shapes, fine
     * texture and mild noise, so blurs, noise and compression all have something to act on.
     */
    public static RgbImage syntheticPhoto(int w, int h) {
        int[] px = new int[w * h];
        for (int y = 0; y < h; y++) {
            Rng rng = new Rng(Rng.mix(0x5EEDL + y));
            for (int x = 0; x < w; x++) {
                double u = (double) x / w;
                double v = (double) y / h;
                double r = 60 + 150 * u;
                double g = 80 + 120 * v;
                double b = 170 - 100 * u * v;
                double dx = u - 0.35;
                double dy = v - 0.4;
                if (dx * dx + dy * dy < 0.04) { // a disc
                    r = 220;
                    g = 70;
                    b = 50;
                }
                if (u > 0.6 && u < 0.85 && v > 0.55 && v < 0.9) { // a rectangle with stripes
                    double stripe = ((int) (x / 6.0) % 2 == 0) ? 1 : 0;
                    r = 40 + 180 * stripe;
                    g = 40 + 180 * stripe;
                    b = 60 + 150 * stripe;
                }
                double texture = 12 * StrictMath.sin(x * 0.7) * StrictMath.sin(y * 0.5);
                double noise = 6 * (rng.nextDouble() - 0.5);
                px[y * w + x] = Pixels.pack(Pixels.toByte(r + texture + noise), Pixels.toByte(g + texture + noise),
                        Pixels.toByte(b + texture + noise));
            }
        }
        return new RgbImage(w, h, px);
    }
}
