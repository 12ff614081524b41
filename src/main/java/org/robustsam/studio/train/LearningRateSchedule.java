package org.robustsam.studio.train;

import java.util.Locale;

/**
 * The learning rate of each optimizer step (0-based) of a job of {@code totalSteps}: a linear
 * warm-up from lr / warmup to lr over the first {@code warmupSteps}, then constant, cosine (down to
 * lr * minLrFactor at the last step) or step decay (x gamma every {@code stepSize} steps after the
 * warm-up). A pure function of the step, so a resumed job continues the same curve.
 */
public final class LearningRateSchedule {
    private final TrainingConfig.ScheduleConfig c;
    private final double lr;
    private final int totalSteps;

    public LearningRateSchedule(TrainingConfig.ScheduleConfig c, double lr, int totalSteps) {
        this.c = c;
        this.lr = lr;
        this.totalSteps = totalSteps;
    }

    public double at(int step) {
        if (step < c.warmupSteps) {
            return lr * (step + 1) / c.warmupSteps;
        }
        int after = step - c.warmupSteps;
        int span = Math.max(1, totalSteps - c.warmupSteps - 1);
        return switch (c.type.toLowerCase(Locale.ROOT)) {
            case "cosine" -> {
                double t = Math.min(1.0, (double) after / span);
                double min = lr * c.minLrFactor;
                yield min + (lr - min) * 0.5 * (1 + Math.cos(Math.PI * t));
            }
            case "step" -> lr * Math.pow(c.gamma, after / c.stepSize);
            default -> lr;
        };
    }
}
