package org.robustsam.studio.assess;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What the advisor says about one photo.
 *
 * @param scores every family's score in [0, 1]: 0 = no sign of it, towards 1 = severe
 * @param quality overall quality in [0, 1], {@code prod(1 - score)}: 1 = clean
 * @param dominant the family with the highest score when it reaches {@link QualityAssessor#PRESENT},
 *     else null (the photo looks clean)
 * @param measurements the raw figures the scores were made from
 */
public record QualityReport(Map<DegradationFamily, Double> scores, double quality, DegradationFamily dominant,
                            List<Measurement> measurements) {
    public QualityReport {
        Objects.requireNonNull(scores, "scores");
        EnumMap<DegradationFamily, Double> copy = new EnumMap<>(DegradationFamily.class);
        for (DegradationFamily f : DegradationFamily.values()) {
            copy.put(f, Objects.requireNonNull(scores.get(f), "score of " + f));
        }
        scores = Collections.unmodifiableMap(copy);
        measurements = List.copyOf(measurements);
    }

    public double score(DegradationFamily family) {
        return scores.get(family);
    }

    /** No family reaches {@link QualityAssessor#PRESENT}. */
    public boolean isClean() {
        return dominant == null;
    }

    /** The measurement with this id, or NaN. */
    public double measurement(String id) {
        for (Measurement m : measurements) {
            if (m.id().equals(id)) {
                return m.value();
            }
        }
        return Double.NaN;
    }

    /** Families at or above {@link QualityAssessor#PRESENT}, strongest first. */
    public List<DegradationFamily> present() {
        return scores.entrySet().stream().filter(e -> e.getValue() >= QualityAssessor.PRESENT)
                .sorted(Map.Entry.<DegradationFamily, Double>comparingByValue().reversed()).map(Map.Entry::getKey).toList();
    }

    /** "quality 0.42: blur 0.71, noise 0.30" or "quality 0.97: clean". */
    public String summary() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "quality %.2f: ", quality));
        List<DegradationFamily> present = present();
        if (present.isEmpty()) {
            return sb.append("clean").toString();
        }
        for (int i = 0; i < present.size(); i++) {
            DegradationFamily f = present.get(i);
            sb.append(i == 0 ? "" : ", ").append(f.label().toLowerCase(Locale.ROOT))
                    .append(String.format(Locale.ROOT, " %.2f", score(f)));
        }
        return sb.toString();
    }
}
