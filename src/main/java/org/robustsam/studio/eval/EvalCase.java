package org.robustsam.studio.eval;

import java.util.List;

/**
 * One row of {@code cases.csv}: one model's mask for one object under one condition and prompt,
 * with its scores against the ground truth. Metric values are rounded to 6 decimals when the row is
 * made, so a row read back from the CSV is equal to the one written.
 *
 * @param image image name in the dataset
 * @param object 1-based object index in the image
 * @param label the object's class
 * @param condition {@code clean} or a degradation id
 * @param severity degradation severity, 0 for clean
 * @param model the model's column name in the report
 * @param modelKey the checkpoint's fingerprint (results of a replaced file are not reused)
 * @param prompt {@code box} or {@code point}
 * @param pointRule {@code center} or {@code random} for point prompts, empty for boxes
 * @param seed the run's seed (degradations and random points)
 * @param boundaryTolerance the tolerance setting ({@code 0.008diag}, {@code 2px})
 * @param promptCoords the prompt in image pixels: {@code x0 y0 x1 y1} or {@code x y}
 * @param boundaryTolerancePx the tolerance in pixels on this image
 * @param predictedIou the model's own IoU estimate for its mask
 * @param truthArea ground-truth pixels
 * @param predictedArea predicted pixels
 */
public record EvalCase(String image, int object, String label, String condition, int severity, String model, String modelKey,
                       String prompt, String pointRule, long seed, String boundaryTolerance, String promptCoords,
                       double iou, double dice, double pixelAccuracy, double boundaryF, int boundaryTolerancePx,
                       double predictedIou, long truthArea, long predictedArea) {
    /** The CSV header, in column order. */
    public static final List<String> COLUMNS = List.of("image", "object", "label", "condition", "severity", "model", "model_key",
            "prompt", "point_rule", "seed", "boundary_tolerance", "prompt_coords", "iou", "dice", "pixel_accuracy", "boundary_f",
            "boundary_tolerance_px", "predicted_iou", "truth_area", "predicted_area");

    /** What identifies a case: everything that decides its result. */
    public record Key(String image, int object, String condition, int severity, String model, String modelKey, String prompt,
                      String pointRule, long seed, String boundaryTolerance) {}

    public Key key() {
        return new Key(image, object, condition, severity, model, modelKey, prompt, pointRule, seed, boundaryTolerance);
    }

    public static double round6(double v) {
        return Double.isFinite(v) ? Math.round(v * 1e6) / 1e6 : v;
    }

    public List<String> toCells() {
        return List.of(image, Integer.toString(object), label, condition, Integer.toString(severity), model, modelKey, prompt,
                pointRule, Long.toString(seed), boundaryTolerance, promptCoords, num(iou), num(dice), num(pixelAccuracy),
                num(boundaryF), Integer.toString(boundaryTolerancePx), num(predictedIou), Long.toString(truthArea),
                Long.toString(predictedArea));
    }

    /** Parses a CSV row in {@link #COLUMNS} order; throws IllegalArgumentException when malformed. */
    public static EvalCase fromCells(List<String> c) {
        if (c.size() != COLUMNS.size()) {
            throw new IllegalArgumentException("expected " + COLUMNS.size() + " fields, got " + c.size());
        }
        try {
            return new EvalCase(c.get(0), Integer.parseInt(c.get(1)), c.get(2), c.get(3), Integer.parseInt(c.get(4)), c.get(5),
                    c.get(6), c.get(7), c.get(8), Long.parseLong(c.get(9)), c.get(10), c.get(11), Double.parseDouble(c.get(12)),
                    Double.parseDouble(c.get(13)), Double.parseDouble(c.get(14)), Double.parseDouble(c.get(15)),
                    Integer.parseInt(c.get(16)), Double.parseDouble(c.get(17)), Long.parseLong(c.get(18)), Long.parseLong(c.get(19)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad number: " + e.getMessage(), e);
        }
    }

    private static String num(double v) {
        return Double.isFinite(v) ? java.math.BigDecimal.valueOf(round6(v)).stripTrailingZeros().toPlainString() : "NaN";
    }
}
