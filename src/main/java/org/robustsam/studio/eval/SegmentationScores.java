package org.robustsam.studio.eval;

/**
 * How well one predicted mask matches its ground truth. All values are in [0, 1].
 *
 * @param iou intersection over union, |P∩G| / |P∪G|
 * @param dice 2|P∩G| / (|P| + |G|)
 * @param pixelAccuracy share of all image pixels classified right (inside and outside the object)
 * @param boundaryF harmonic mean of {@code boundaryPrecision} and {@code boundaryRecall}
 * @param boundaryPrecision share of predicted boundary pixels within the tolerance of a true one
 * @param boundaryRecall share of true boundary pixels within the tolerance of a predicted one
 * @param boundaryTolerancePx the tolerance used, in pixels
 */
public record SegmentationScores(double iou, double dice, double pixelAccuracy, double boundaryF,
                                 double boundaryPrecision, double boundaryRecall, int boundaryTolerancePx) {}
