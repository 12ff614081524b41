package org.robustsam.studio.train;

/**
 * Mean mask IoUs on the validation examples (each with its fixed degradation and prompt), single
 * mask output, masks at the training image size thresholded at 0:
 *
 * @param robustDegraded RobustSAM on the degraded image vs the ground truth (the job's validation IoU)
 * @param robustClean RobustSAM on the clean image vs the ground truth
 * @param samDegraded SAM (the frozen teacher) on the degraded image vs the ground truth
 * @param samClean SAM on the clean image vs the ground truth
 * @param agreement RobustSAM on the degraded image vs SAM on the clean image (what the consistency
 *     losses pull together)
 * @param samples validation examples averaged
 */
public record ValidationMetrics(double robustDegraded, double robustClean, double samDegraded, double samClean,
        double agreement, int samples) {}
