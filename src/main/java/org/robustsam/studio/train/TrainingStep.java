package org.robustsam.studio.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.robustsam.studio.inference.SamTransforms;
import org.robustsam.studio.model.robustsam.RobustMaskDecoder;
import org.robustsam.studio.model.robustsam.RobustSam;
import org.robustsam.studio.model.sam.Ops;
import org.robustsam.studio.model.sam.SamModule.Parameter;

/**
 * One training step of RobustSAM on DJL's autograd, as the reference's {@code engine.train} loop
 * body: for each sample the teacher (SAM's path, {@code clear = true}) on the clean image's
 * encoding and the student (RobustSAM's path) on the degraded image's encoding, the student's
 * masks brought to the image size ({@code postprocess_masks}), {@link RobustSamLoss}, and
 * backward; then, per batch, NaN gradients set to 0, the global norm clipped and the optimizer step.
 *
 * <p>Only RobustSAM's own parameters ({@link RobustSam#robustParameters()}: AMFG, AOTG, ROT)
 * require gradients; SAM's weights never do, and the encoder and prompt encoder run with autograd
 * off. As in the reference, the teacher's robust mask features (which pass through AMFG's tail
 * layers even on SAM's path) are not detached, so the feature-consistency term reaches those layers
 * from both sides.
 */
public final class TrainingStep {
    private final RobustSam model;
    private final RobustSamLoss loss;
    private final List<Parameter> trainable;

    /**
     * One sample in the model's frame.
     *
     * @param points {@code [1, N, 2]} in the 1024 frame with {@code labels [1, N]}, or null
     * @param box {@code [1, 4]} in the 1024 frame, or null
     * @param groundTruth {@code [1, 1, origH, origW]} of 0 and 1
     * @param inputH the resized image's height in the 1024 frame (before padding); {@code inputW} likewise
     * @param origH the training image's height (loss resolution); {@code origW} likewise
     */
    public record Input(RobustSam.Encoding clean, RobustSam.Encoding degraded, NDArray points, NDArray labels,
            NDArray box, NDArray groundTruth, int inputH, int inputW, int origH, int origW) {}

    /** Gradients after NaN repair and clipping, with the global norm before clipping. */
    public record Gradients(Map<String, NDArray> byKey, double norm) {}

    /** Makes RobustSAM's parameters require gradients; the model switches to training mode. */
    public TrainingStep(RobustSam model, RobustSamLoss loss) {
        this.model = model;
        this.loss = loss;
        this.trainable = model.robustParameters();
        for (Parameter p : trainable) {
            p.get().setRequiresGradient(true);
        }
        model.setTraining(true);
    }

    public List<Parameter> trainable() {
        return trainable;
    }

    public RobustSamLoss loss() {
        return loss;
    }

    /**
     * Forward and backward of one sample; the gradient of {@code scale * total} is added to the
     * parameters' gradients (scale 1 / batch size averages a batch).
     */
    public LossValues forwardBackward(Input in, double scale, NDManager scope) {
        try (NDManager s = scope.newSubManager();
             GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
            RobustSamLoss.Terms terms = forward(in, s);
            collector.backward(terms.total().mul(Ops.scalar(terms.total(), (float) scale)));
            return terms.values();
        }
    }

    /** The loss graph of one sample, under the caller's autograd mode; results in {@code scope}. */
    public RobustSamLoss.Terms forward(Input in, NDManager scope) {
        model.rederiveDecoder();
        RobustMaskDecoder.Output teacher = model.trainingForward(in.clean(), in.points(), in.labels(), in.box(), true, scope);
        RobustMaskDecoder.Output student = model.trainingForward(in.degraded(), in.points(), in.labels(), in.box(), false,
                scope);
        int imgSize = model.config().imgSize();
        NDArray masks = SamTransforms.postprocessMasks(student.lowResMasks(), imgSize, in.inputH(), in.inputW(),
                in.origH(), in.origW());
        NDArray[] teacherMasks = new NDArray[1];
        Trainer.noGrad(() -> teacherMasks[0] = SamTransforms.binarize(SamTransforms.postprocessMasks(
                teacher.lowResMasks(), imgSize, in.inputH(), in.inputW(), in.origH(), in.origW()))
                .toType(DataType.FLOAT32, false));
        return loss.compute(masks, in.groundTruth(), teacherMasks[0], student.robustTokens(), teacher.robustTokens(),
                student.robustMaskFeatures(), teacher.robustMaskFeatures());
    }

    /**
     * The accumulated gradients, NaN entries set to 0 (as the reference), scaled so the global L2
     * norm is at most {@code maxNorm} (torch's {@code clip_grad_norm_}: coefficient
     * {@code maxNorm / (norm + 1e-6)} when below 1; {@code maxNorm <= 0} turns clipping off).
     * Copies in {@code scope}; the parameters' own gradients are left for {@link #zeroGradients}.
     */
    public Gradients gradients(double maxNorm, NDManager scope) {
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            Map<String, NDArray> out = new LinkedHashMap<>();
            double sumSquares = 0;
            for (Parameter p : trainable) {
                NDArray g = p.get().getGradient();
                g.attach(scope);
                NDArray nan = g.isNaN();
                NDArray clean = nan.any().getBoolean() ? NDArrays.where(nan, g.zerosLike(), g) : g.duplicate();
                clean.attach(scope);
                double n = clean.norm().getFloat();
                sumSquares += n * n;
                out.put(p.key(), clean);
            }
            double norm = Math.sqrt(sumSquares);
            if (maxNorm > 0) {
                double coef = maxNorm / (norm + 1e-6);
                if (coef < 1) {
                    for (NDArray g : out.values()) {
                        g.muli((float) coef);
                    }
                }
            }
            return new Gradients(out, norm);
        } finally {
            JniUtils.setGradMode(grad);
        }
    }

    /** Clears the parameters' accumulated gradients (after each optimizer step). */
    public void zeroGradients() {
        for (Parameter p : trainable) {
            JniUtils.zeroGrad((PtNDArray) p.get());
        }
    }
}
