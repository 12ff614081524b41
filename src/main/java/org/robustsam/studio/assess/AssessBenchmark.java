package org.robustsam.studio.assess;

import java.util.Arrays;
import java.util.Locale;
import org.robustsam.studio.degrade.DegradationBenchmark;
import org.robustsam.studio.image.RgbImage;

/**
 * Times the advisor on a photo-sized image: warm-up runs (the JIT compiles the meters), then the
 * median and fastest of timed runs. Run from {@code studio bench --assess}.
 */
public final class AssessBenchmark {
    /** Milliseconds per image: median and fastest of the timed runs. */
    public record Timing(int width, int height, int runs, double medianMs, double minMs, int cores) {
        public String describe() {
            return String.format(Locale.ROOT, "Degradation advisor on %d x %d, %d cores: median %.1f ms, fastest %.1f ms (%d timed runs after warm-up)",
                    width, height, cores, medianMs, minMs, runs);
        }
    }

    private AssessBenchmark() {}

    public static Timing run(int size, int warmups, int runs) {
        return run(DegradationBenchmark.syntheticPhoto(size, size), warmups, runs);
    }

    public static Timing run(RgbImage image, int warmups, int runs) {
        if (runs < 1) {
            throw new IllegalArgumentException("runs must be at least 1, got " + runs);
        }
        QualityAssessor assessor = new QualityAssessor();
        for (int i = 0; i < warmups; i++) {
            assessor.assess(image);
        }
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            assessor.assess(image);
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return new Timing(image.width(), image.height(), runs, ms[runs / 2], ms[0], Runtime.getRuntime().availableProcessors());
    }
}
