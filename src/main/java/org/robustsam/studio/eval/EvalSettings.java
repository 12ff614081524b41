package org.robustsam.studio.eval;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import org.robustsam.studio.degrade.Degradation;
import org.robustsam.studio.degrade.Degradations;

/**
 * What an evaluation run covers.
 *
 * @param degradations the degraded conditions, in table order (ids as in {@link Degradations})
 * @param includeClean whether to evaluate the clean images too (the table's "Clean" row)
 * @param severity 1..5, 3 = the reference parameters
 * @param prompts box and/or point
 * @param pointRule where the click goes for point prompts
 * @param seed seeds the degradations (per image, as {@code studio degrade} does) and random points
 * @param tolerance the boundary F-score's match distance
 * @param threads worker threads; 0 picks a number from the cores and the free heap
 */
public record EvalSettings(List<String> degradations, boolean includeClean, int severity, List<PromptType> prompts,
                           PointRule pointRule, long seed, BoundaryTolerance tolerance, int threads) {
    public EvalSettings {
        degradations = List.copyOf(new LinkedHashSet<>(degradations.stream().map(id -> Degradations.get(id).id()).toList()));
        prompts = List.copyOf(new LinkedHashSet<>(prompts));
        Degradation.checkSeverity(severity);
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("choose at least one prompt type (box, point)");
        }
        if (degradations.isEmpty() && !includeClean) {
            throw new IllegalArgumentException("nothing to evaluate: no degradation and no clean images");
        }
        if (threads < 0) {
            throw new IllegalArgumentException("threads must not be negative, got " + threads);
        }
    }

    /** The paper's setting: all 15 degradations and clean, severity 3, box and point (centre) prompts. */
    public static EvalSettings defaults() {
        return new EvalSettings(Degradations.ids(), true, Degradation.REFERENCE_SEVERITY, List.of(PromptType.BOX, PromptType.POINT),
                PointRule.CENTER, 0, BoundaryTolerance.DAVIS, 0);
    }

    /** {@code all} or a comma-separated list of degradation ids. */
    public static List<String> parseDegradations(String spec) {
        String s = spec.trim();
        if (s.equalsIgnoreCase("all")) {
            return Degradations.ids();
        }
        if (s.equalsIgnoreCase("none")) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String part : s.split(",")) {
            if (!part.isBlank()) {
                out.add(Degradations.get(part.trim()).id());
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no degradation named in '" + spec + "'");
        }
        return out;
    }

    /** {@code box,point} */
    public static List<PromptType> parsePrompts(String spec) {
        List<PromptType> out = new ArrayList<>();
        for (String part : spec.split(",")) {
            if (!part.isBlank()) {
                out.add(PromptType.parse(part));
            }
        }
        return out;
    }

    /** Table rows: each degradation, then clean. */
    public List<EvalCondition> conditions() {
        List<EvalCondition> out = new ArrayList<>();
        for (String id : degradations) {
            out.add(EvalCondition.of(Degradations.get(id)));
        }
        if (includeClean) {
            out.add(EvalCondition.CLEAN);
        }
        return out;
    }

    /** One line for logs and report headers. */
    public String describe() {
        return String.format(Locale.ROOT, "%d degradations%s at severity %d; prompts %s (points: %s); seed %d; boundary tolerance %s",
                degradations.size(), includeClean ? " + clean" : "", severity,
                String.join(",", prompts.stream().map(PromptType::id).toList()), pointRule.id(), seed, tolerance.describe());
    }
}
