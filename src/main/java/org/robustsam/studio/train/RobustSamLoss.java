package org.robustsam.studio.train;

import ai.djl.ndarray.NDArray;
import org.robustsam.studio.model.sam.Ops;

/**
 * RobustSAM's training loss (reference {@code engine.py} with {@code loss.py}): the student's
 * (RobustSAM path, degraded image) full-resolution mask logits against the ground truth with a
 * focal and a dice term, plus the consistency of the student's mask-token outputs and robust mask
 * features with the teacher's (SAM path, clean image):
 *
 * <pre>
 * total = w_gt * (w_focal * focal(student masks, gt) + w_dice * dice(student masks, gt))
 *       + w_teacher * (w_focal * focal(student masks, teacher masks) + w_dice * dice(student masks, teacher masks))
 *       + w_token * mse(student tokens, teacher tokens) + w_embedding * mse(student features, teacher features)
 * </pre>
 *
 * <p>The reference also computes the same focal and dice terms against the teacher's thresholded
 * clean-image masks ({@code mask_loss_clear}) but leaves them out of the total; here they are
 * reported too and enter the total with weight {@code teacherMask} (default 0, the reference), beside
 * {@code groundTruthMask} (default 1) on the ground-truth terms: with a teacher weight and no ground-truth
 * weight a job distils SAM's clean-image masks onto degraded copies.
 *
 * <p>As in the reference, the focal loss is {@code alpha * (1 - p_t)^gamma * BCE} with a constant
 * alpha on every pixel (loss.py's float alpha, not the usual class-balanced one) averaged over all
 * pixels; the dice loss is {@code 1 - (2 sum(s y) + smooth) / (sum s + sum y + smooth)} of the
 * sigmoid per sample, averaged over the batch; both consistency terms are plain MSE means.
 */
public final class RobustSamLoss {
    private final TrainingConfig.LossWeights weights;

    public RobustSamLoss(TrainingConfig.LossWeights weights) {
        this.weights = weights;
    }

    public TrainingConfig.LossWeights weights() {
        return weights;
    }

    /** The terms (unweighted) and the weighted total, as graph nodes. */
    public record Terms(NDArray total, NDArray focal, NDArray dice, NDArray token, NDArray embedding,
            NDArray teacherFocal, NDArray teacherDice) {
        public LossValues values() {
            return new LossValues(total.getFloat(), focal.getFloat(), dice.getFloat(), token.getFloat(),
                    embedding.getFloat(), teacherFocal.getFloat(), teacherDice.getFloat());
        }
    }

    /**
     * @param studentMasks logits {@code [B, 1, H, W]} at the (training) image size
     * @param gt ground truth {@code [B, 1, H, W]} of 0 and 1
     * @param teacherMasks the teacher's clean-image masks thresholded, {@code [B, 1, H, W]} of 0 and 1
     * @param studentTokens {@code [B, 4, C]}; {@code teacherTokens} the same shape
     * @param studentFeatures {@code [B, C/8, 256, 256]}; {@code teacherFeatures} the same shape
     * @return results in {@code studentMasks}' manager
     */
    public Terms compute(NDArray studentMasks, NDArray gt, NDArray teacherMasks, NDArray studentTokens,
            NDArray teacherTokens, NDArray studentFeatures, NDArray teacherFeatures) {
        requireSame("ground truth", studentMasks, gt);
        requireSame("teacher masks", studentMasks, teacherMasks);
        requireSame("teacher tokens", studentTokens, teacherTokens);
        requireSame("teacher features", studentFeatures, teacherFeatures);
        NDArray focal = focal(studentMasks, gt, weights.focalGamma, weights.focalAlpha);
        NDArray dice = dice(studentMasks, gt, weights.diceSmooth);
        NDArray token = mse(studentTokens, teacherTokens);
        NDArray embedding = mse(studentFeatures, teacherFeatures);
        NDArray teacherFocal = focal(studentMasks, teacherMasks, weights.focalGamma, weights.focalAlpha);
        NDArray teacherDice = dice(studentMasks, teacherMasks, weights.diceSmooth);
        NDArray gtMask = focal.mul(c(focal, weights.focal)).add(dice.mul(c(dice, weights.dice)));
        NDArray teacherMask = teacherFocal.mul(c(focal, weights.focal)).add(teacherDice.mul(c(dice, weights.dice)));
        NDArray total = gtMask.mul(c(focal, weights.groundTruthMask)).add(teacherMask.mul(c(focal, weights.teacherMask)))
                .add(token.mul(c(token, weights.token))).add(embedding.mul(c(embedding, weights.embedding)));
        return new Terms(total, focal, dice, token, embedding, teacherFocal, teacherDice);
    }

    /**
     * A float32 constant made by libtorch: DJL's Number overloads would hand autograd a tensor over a
     * freed Java buffer (see {@link Ops#scalar}), and a double would promote 0-dim results to float64.
     */
    private static NDArray c(NDArray like, double value) {
        return Ops.scalar(like, (float) value);
    }

    private static void requireSame(String what, NDArray a, NDArray b) {
        if (!a.getShape().equals(b.getShape())) {
            throw new IllegalArgumentException("RobustSamLoss: " + what + " " + b.getShape() + " do not match " + a.getShape());
        }
    }

    /**
     * loss.py {@code FocalLoss(gamma, alpha)}: {@code mean(alpha * (1 - exp(-bce))^gamma * bce)}, with
     * {@code bce = max(x, 0) - x y + log(1 + exp(-|x|))} (binary_cross_entropy_with_logits).
     */
    public static NDArray focal(NDArray logits, NDArray target, double gamma, double alpha) {
        NDArray bce = logits.getNDArrayInternal().relu().sub(logits.mul(target))
                .add(logits.abs().neg().exp().add(1).log());
        NDArray oneMinusPt = bce.neg().exp().neg().add(1);
        NDArray modulator = gamma == 2 ? oneMinusPt.square() : oneMinusPt.pow(c(oneMinusPt, gamma));
        return modulator.mul(bce).mul(c(bce, alpha)).mean();
    }

    /** loss.py {@code DiceLoss(smooth)}: per sample over all its pixels, then the batch mean. */
    public static NDArray dice(NDArray logits, NDArray target, double smooth) {
        long b = logits.getShape().get(0);
        NDArray s = logits.getNDArrayInternal().sigmoid().reshape(b, -1);
        NDArray t = target.reshape(b, -1);
        NDArray intersection = s.mul(t).sum(new int[] {1});
        NDArray union = s.sum(new int[] {1}).add(t.sum(new int[] {1}));
        NDArray dice = intersection.mul(c(intersection, 2)).add((float) smooth).div(union.add((float) smooth));
        return dice.neg().add(1).mean();
    }

    /** {@code nn.MSELoss()}: the mean squared difference. */
    public static NDArray mse(NDArray a, NDArray b) {
        return a.sub(b).square().mean();
    }
}
