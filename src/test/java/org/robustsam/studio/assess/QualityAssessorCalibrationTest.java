package org.robustsam.studio.assess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.robustsam.studio.degrade.Degradation;
import org.robustsam.studio.degrade.Degradations;
import org.robustsam.studio.image.RgbImage;

/**
 * The acceptance check of the advisor against the degradation engine: every photo x degradation x
 * severity 1..5 x three seeds, does the estimator rank the degradation's family first, and does the
 * family's score (mean over the seeds) rise with severity? Prints the confusion table, the per-type
 * figures and every miss; the figures are quoted in the notes and the README.
 *
 * <p>Elastic transform has no family ({@link DegradationFamily#of}): a smooth warp of a pixel or
 * two cannot be seen in one photo. Its rows are printed (what the estimator makes of it) but it is
 * not counted.
 */
class QualityAssessorCalibrationTest {
    private static final int SEEDS = 3;
    /** Seed-mean drops up to this are ties (scores that saturate, or the 4th decimal). */
    private static final double TIE = 0.01;

    private record Case(String image, String type, int severity, long seed, Map<DegradationFamily, Double> scores) {
        DegradationFamily first() {
            DegradationFamily best = null;
            double v = 0;
            for (Map.Entry<DegradationFamily, Double> e : scores.entrySet()) {
                if (e.getValue() > v) {
                    v = e.getValue();
                    best = e.getKey();
                }
            }
            return best;
        }
    }

    private static final List<Case> CASES = new ArrayList<>();
    private static Map<String, RgbImage> images;

    @BeforeAll
    static void runEverything() throws Exception {
        images = CalibrationImages.calibrationSet();
        QualityAssessor assessor = new QualityAssessor();
        for (Map.Entry<String, RgbImage> img : images.entrySet()) {
            for (Degradation d : Degradations.all()) {
                for (int s = Degradation.MIN_SEVERITY; s <= Degradation.MAX_SEVERITY; s++) {
                    for (int k = 1; k <= SEEDS; k++) {
                        long seed = Degradations.seedFor(k, img.getKey());
                        QualityReport r = assessor.assess(d.apply(img.getValue(), s, seed));
                        CASES.add(new Case(img.getKey(), d.id(), s, seed, r.scores()));
                    }
                }
            }
        }
    }

    private static String fmt(String f, Object... a) {
        return String.format(Locale.ROOT, f, a);
    }

    @Test
    void theRightFamilyIsRankedFirstInAtLeastNinetyPercentOfCases() {
        DegradationFamily[] fams = DegradationFamily.values();
        Map<String, int[]> confusion = new LinkedHashMap<>();
        Map<String, int[]> perType = new LinkedHashMap<>();
        int right = 0;
        int counted = 0;
        List<String> misses = new ArrayList<>();
        for (Case c : CASES) {
            DegradationFamily first = c.first();
            confusion.computeIfAbsent(c.type(), t -> new int[fams.length + 1])[first == null ? fams.length : first.ordinal()]++;
            Optional<DegradationFamily> expected = DegradationFamily.of(c.type());
            if (expected.isEmpty()) {
                continue;
            }
            counted++;
            int[] t = perType.computeIfAbsent(c.type(), x -> new int[2]);
            t[1]++;
            if (first == expected.get()) {
                right++;
                t[0]++;
            } else {
                misses.add(fmt("%s %s s%d seed %d: expected %s, first %s %s", c.image(), c.type(), c.severity(), c.seed(),
                        expected.get().id(), first == null ? "none (all 0)" : first.id(), c.scores()));
            }
        }
        StringBuilder table = new StringBuilder(fmt("%n[assess] confusion table: %d images x 15 degradations x severity 1..5 x %d seeds%n",
                images.size(), SEEDS));
        table.append(fmt("%-20s %-12s", "degradation", "family"));
        for (DegradationFamily f : fams) {
            table.append(fmt("%12s", f.id()));
        }
        table.append(fmt("%12s %9s%n", "none", "right"));
        for (Map.Entry<String, int[]> e : confusion.entrySet()) {
            String fam = DegradationFamily.of(e.getKey()).map(DegradationFamily::id).orElse("(none)");
            table.append(fmt("%-20s %-12s", e.getKey(), fam));
            for (int v : e.getValue()) {
                table.append(fmt("%12d", v));
            }
            int[] t = perType.get(e.getKey());
            table.append(t == null ? fmt(" %9s%n", "n/a") : fmt(" %8.0f%%%n", 100.0 * t[0] / t[1]));
        }
        double accuracy = (double) right / counted;
        table.append(fmt("[assess] right family first: %d of %d = %.1f%% (elastic_transform not counted: no family)%n", right, counted,
                100 * accuracy));
        System.out.print(table);
        misses.forEach(m -> System.out.println("[assess] miss: " + m));
        assertTrue(accuracy >= 0.90, fmt("right family first in %.1f%% of cases, needs 90%%", 100 * accuracy));
    }

    @Test
    void familyScoresRiseWithSeverity() {
        // Seed-mean score of the degradation's own family, per image and degradation.
        Map<String, double[]> series = new LinkedHashMap<>();
        for (Case c : CASES) {
            Optional<DegradationFamily> fam = DegradationFamily.of(c.type());
            if (fam.isPresent()) {
                series.computeIfAbsent(c.image() + " " + c.type(), k -> new double[6])[c.severity()] += c.scores().get(fam.get()) / SEEDS;
            }
        }
        int monotone = 0;
        double worstDrop = 0;
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            double[] m = e.getValue();
            double drop = 0;
            for (int s = 2; s <= 5; s++) {
                drop = Math.max(drop, m[s - 1] - m[s]);
            }
            worstDrop = Math.max(worstDrop, drop);
            String curve = fmt("%.2f %.2f %.2f %.2f %.2f", m[1], m[2], m[3], m[4], m[5]);
            if (drop <= TIE) {
                monotone++;
            } else {
                System.out.println("[assess] not monotone: " + e.getKey() + ": " + curve);
            }
            if (!(m[5] > m[1]) || drop > 0.15) {
                problems.add(e.getKey() + ": " + curve);
            }
        }
        System.out.println(fmt("[assess] seed-mean family score non-decreasing with severity in %d of %d series; largest drop %.3f",
                monotone, series.size(), worstDrop));
        assertTrue(problems.isEmpty(), "every series must end higher than it starts and drop by at most 0.15 on a step: " + problems);
        assertEquals(series.size(), monotone, "every image x degradation series must rise with severity (seed mean)");
    }
}
