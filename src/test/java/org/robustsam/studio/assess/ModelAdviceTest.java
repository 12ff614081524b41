package org.robustsam.studio.assess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelAdviceTest {
    private static QualityReport report(double blur) {
        Map<DegradationFamily, Double> scores = new EnumMap<>(DegradationFamily.class);
        for (DegradationFamily f : DegradationFamily.values()) {
            scores.put(f, f == DegradationFamily.BLUR ? blur : 0.0);
        }
        return new QualityReport(scores, 1 - blur, blur >= QualityAssessor.PRESENT ? DegradationFamily.BLUR : null, List.of());
    }

    @Test
    void poorQualityGetsRobustSamAndSaysWhy() {
        ModelAdvice a = ModelAdvice.decide(report(0.6), 0.7);
        assertTrue(a.robust());
        assertEquals("quality 0.40 < 0.70 (blur)", a.reason());
        ModelAdvice b = ModelAdvice.decide(report(0.1), 0.7);
        assertFalse(b.robust());
        assertEquals("quality 0.90 >= 0.70", b.reason());
        // At the threshold itself the photo counts as good enough for SAM.
        assertFalse(ModelAdvice.decide(report(0.25), 0.75).robust());
        assertFalse(ModelAdvice.decide(null, 0.7).robust());
        assertEquals("quality not known yet", ModelAdvice.decide(null, 0.7).reason());
    }
}
