package org.robustsam.studio.train;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;

/**
 * One progress event of a job, written as one JSON line (by the job process, on its standard
 * output and in {@code events.jsonl}) and read back by {@link TrainingJobLauncher}. Fields a type
 * does not use are absent.
 *
 * <ul>
 *   <li>{@code start}: totalSteps, stepsPerEpoch, epochs, step (the first step: &gt; 0 on resume),
 *       trainSamples, validationSamples, path (output folder);</li>
 *   <li>{@code step}: step (completed steps), epoch, loss, lr, gradNorm, stepsPerSecond, etaSeconds;</li>
 *   <li>{@code validation}: step, epoch, validation;</li>
 *   <li>{@code checkpoint}: step, path (the checkpoint folder);</li>
 *   <li>{@code evaluating}: casesDone, casesTotal (the closing evaluation's progress);</li>
 *   <li>{@code done}: step, path (the final model file), validation (after), before (the validation
 *       IoUs of the first and last validation), evaluation (the closing before/after evaluation,
 *       absent when there is none);</li>
 *   <li>{@code cancelled}: step, path (the last checkpoint, if any);</li>
 *   <li>{@code warning} and {@code error}: message.</li>
 * </ul>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record TrainingEvent(String event, Integer step, Integer epoch, Integer totalSteps, Integer stepsPerEpoch,
        Integer epochs, Integer trainSamples, Integer validationSamples, LossValues loss, Double lr, Double gradNorm,
        Double stepsPerSecond, Double etaSeconds, ValidationMetrics validation, ValidationMetrics before, String path,
        String message, EvaluationSummary evaluation, Integer casesDone, Integer casesTotal) {

    public static final String START = "start";
    public static final String STEP = "step";
    public static final String VALIDATION = "validation";
    public static final String CHECKPOINT = "checkpoint";
    public static final String EVALUATING = "evaluating";
    public static final String DONE = "done";
    public static final String CANCELLED = "cancelled";
    public static final String WARNING = "warning";
    public static final String ERROR = "error";

    private static final ObjectMapper JSON = new ObjectMapper();

    static TrainingEvent start(int firstStep, int totalSteps, int stepsPerEpoch, int epochs, int train, int validation,
            String output) {
        return new TrainingEvent(START, firstStep, null, totalSteps, stepsPerEpoch, epochs, train, validation, null, null,
                null, null, null, null, null, output, null, null, null, null);
    }

    static TrainingEvent step(int step, int epoch, int totalSteps, LossValues loss, double lr, double gradNorm,
            double stepsPerSecond, double etaSeconds) {
        return new TrainingEvent(STEP, step, epoch, totalSteps, null, null, null, null, loss, lr, gradNorm, stepsPerSecond,
                etaSeconds, null, null, null, null, null, null, null);
    }

    static TrainingEvent validation(int step, int epoch, ValidationMetrics metrics) {
        return new TrainingEvent(VALIDATION, step, epoch, null, null, null, null, null, null, null, null, null, null,
                metrics, null, null, null, null, null, null);
    }

    static TrainingEvent checkpoint(int step, String path) {
        return new TrainingEvent(CHECKPOINT, step, null, null, null, null, null, null, null, null, null, null, null, null,
                null, path, null, null, null, null);
    }

    static TrainingEvent done(int step, String model, ValidationMetrics after, ValidationMetrics before,
            EvaluationSummary evaluation) {
        return new TrainingEvent(DONE, step, null, null, null, null, null, null, null, null, null, null, null, after, before,
                model, null, evaluation, null, null);
    }

    static TrainingEvent evaluating(int done, int total) {
        return new TrainingEvent(EVALUATING, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, done, total);
    }

    static TrainingEvent cancelled(int step, String checkpoint) {
        return new TrainingEvent(CANCELLED, step, null, null, null, null, null, null, null, null, null, null, null, null,
                null, checkpoint, null, null, null, null);
    }

    public static TrainingEvent message(String type, String message) {
        return new TrainingEvent(type, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, message, null, null, null);
    }

    /** The event as one line of JSON (no line breaks). */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses a line written by {@link #toJson}; empty for anything else (log lines, partial lines). */
    public static Optional<TrainingEvent> parse(String line) {
        if (line == null || !line.startsWith("{\"event\"")) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(line, TrainingEvent.class));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    public boolean is(String type) {
        return type.equals(event);
    }

    /** Whether the job process ends after this event. */
    @JsonIgnore
    public boolean isTerminal() {
        return is(DONE) || is(CANCELLED) || is(ERROR);
    }
}
