package org.robustsam.studio.assess;

import java.util.EnumMap;
import java.util.Map;

/**
 * From the meters' raw figures to one score per family in [0, 1]. Each family sums its evidence
 * (zero up to what clean photos show, growing with the damage) and maps it through
 * {@code 1 - exp(-evidence)}, so scores rise steadily and never reach 1 abruptly. The thresholds
 * were set on the degradation engine's output (see QualityAssessorCalibrationTest).
 */
final class FamilyScores {
    private FamilyScores() {}

    static Map<DegradationFamily, Double> of(Meters m) {
        Map<DegradationFamily, Double> out = new EnumMap<>(DegradationFamily.class);
        out.put(DegradationFamily.NOISE, score(noise(m)));
        out.put(DegradationFamily.BLUR, score(blur(m)));
        out.put(DegradationFamily.COMPRESSION, score(compression(m)));
        out.put(DegradationFamily.LIGHT, score(light(m)));
        out.put(DegradationFamily.WEATHER, score(weather(m)));
        return out;
    }

    static double score(double evidence) {
        return 1 - Math.exp(-Math.max(0, evidence));
    }

    static double noise(Meters m) {
        return Math.max(0, m.noise().chroma() - 1.0) / 3 + Math.max(0, m.noise().luma() - 4.5) / 6;
    }

    static double softness(Meters m) {
        double[] w = {1, 1, 0.7, 0.5};
        double e = 0;
        for (int k = 0; k < 4; k++) {
            double r = 0.5 * (m.sharpness().min(k) + m.sharpness().mean(k));
            e += w[k] * Math.max(0, 1.62 - r);
        }
        return e / 0.25;
    }

    static double scatter(Meters m) {
        return Math.max(0, m.sharpness().mean(0) - m.sharpness().mean(2) - 0.45) * 1.5;
    }

    static double zoom(Meters m) {
        double sum = 0;
        for (double r : m.sharpness().radialLoss()) {
            sum += r;
        }
        return Math.max(0, sum - 0.3);
    }

    static double blur(Meters m) {
        return softness(m) + scatter(m) + zoom(m);
    }

    static double compression(Meters m) {
        double g = Math.sqrt(m.blockiness().horizontal() * m.blockiness().vertical());
        return Math.max(0, g - 1.08) * 4;
    }

    static double lowContrast(Meters m) {
        return Math.max(0, 200 - (m.tone().highlight() - m.tone().shadow())) / 80;
    }

    static double dark(Meters m) {
        return Math.max(0, 255 - m.tone().highlight() - 30) / 100 + Math.max(0, 70 - m.tone().meanLuma()) / 50;
    }

    static double light(Meters m) {
        ToneMeter.Tone t = m.tone();
        return 4 * t.gaps() + t.peaks() + dark(m) + lowContrast(m) + 3 * Math.max(0, t.clippedHigh() - 0.04) + 3 * Math.max(0, t.clippedLow() - 0.03);
    }

    static double haze(Meters m) {
        // Fog is a bright veil: the brightest parts stay near white. A dark channel lifted in a
        // photo whose highlights sank too is a flatter tone curve, not fog.
        double bright = Math.min(1, Math.max(0, (m.tone().highlight() - 150) / 60));
        return Math.max(0, m.haze().darkChannel() - 25) / 35 * bright;
    }

    static double snow(Meters m) {
        return Math.max(0, m.flakes() - 8.5) / 4 + Math.max(0, m.sharpness().mean(3) - m.sharpness().mean(1) - 0.75) * 2;
    }

    static double weather(Meters m) {
        return haze(m) + snow(m);
    }
}
