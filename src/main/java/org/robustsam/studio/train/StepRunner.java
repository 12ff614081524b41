package org.robustsam.studio.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.robustsam.studio.image.RgbImage;
import org.robustsam.studio.inference.ResizeLongestSide;
import org.robustsam.studio.inference.SamTransforms;
import org.robustsam.studio.model.robustsam.RobustSam;

/**
 * One optimizer step of a job as the {@link Trainer} runs it, also what {@code studio bench --train}
 * times: for each batch slot, the example ({@link ExampleMaker}), the clean image's encoding from the
 * {@link EncodingCache} (the frozen ViT runs once per clean image per job), the degraded copy encoded
 * afresh, forward and backward ({@link TrainingStep}); then NaN repair, clipping, the
 * {@link AdamW} step at the schedule's learning rate, and the decoder's derived tensors refreshed.
 */
final class StepRunner {
    /** What one step reports. */
    record Outcome(LossValues loss, double lr, double gradNorm) {}

    private final RobustSam model;
    private final AdamW optimizer;
    private final EncodingCache cache;
    private final TrainingData data;
    private final ExampleMaker examples;
    private final TrainingConfig config;
    private final TrainingStep trainingStep;
    private final LearningRateSchedule schedule;
    private final ResizeLongestSide transform;

    StepRunner(RobustSam model, AdamW optimizer, EncodingCache cache, TrainingData data, ExampleMaker examples,
            TrainingConfig config, int totalSteps) {
        this.model = model;
        this.optimizer = optimizer;
        this.cache = cache;
        this.data = data;
        this.examples = examples;
        this.config = config;
        this.trainingStep = new TrainingStep(model, new RobustSamLoss(config.loss));
        this.schedule = new LearningRateSchedule(config.schedule, config.optimizer.lr, totalSteps);
        this.transform = new ResizeLongestSide(model.config().imgSize());
    }

    /** Runs optimizer step {@code step} (0-based); its tensors live in a sub-manager of {@code root} closed before returning. */
    Outcome step(int step, NDManager root) {
        List<LossValues> values = new ArrayList<>();
        double lr = schedule.at(step);
        try (NDManager scope = root.newSubManager()) {
            for (int slot = 0; slot < config.batchSize; slot++) {
                ExampleMaker.Example ex = examples.trainExample(step, slot);
                try (NDManager sample = scope.newSubManager()) {
                    RobustSam.Encoding clean = cleanEncoding(ex.sample().image());
                    RobustSam.Encoding degraded = ex.degradedIsClean() ? clean : encode(ex.degraded(), sample);
                    TrainingStep.Input in = input(ex, clean, degraded, sample);
                    values.add(trainingStep.forwardBackward(in, 1.0 / config.batchSize, sample));
                }
            }
            TrainingStep.Gradients g = trainingStep.gradients(config.gradClip, scope);
            optimizer.step(g.byKey(), lr);
            trainingStep.zeroGradients();
            Trainer.noGrad(model::rederiveDecoder);
            return new Outcome(LossValues.mean(values), lr, g.norm());
        }
    }

    /** The clean image's encoding, made once and then taken from the cache. */
    RobustSam.Encoding cleanEncoding(int image) {
        return cache.get("clean:" + image, m -> encode(data.image(image).image(), m));
    }

    EncodingCache cache() {
        return cache;
    }

    RobustSam.Encoding encode(RgbImage image, NDManager m) {
        RgbImage resized = transform.applyImage(image);
        NDArray input = SamTransforms.toModelInput(resized, model.config().imgSize(), m);
        RobustSam.Encoding enc = model.encode(input);
        input.close();
        return enc;
    }

    /** An example in the model's frame: prompts in the 1024 frame, the ground truth at the training image's size. */
    TrainingStep.Input input(ExampleMaker.Example ex, RobustSam.Encoding clean, RobustSam.Encoding degraded, NDManager m) {
        int h = ex.clean().height();
        int w = ex.clean().width();
        int[] in = ResizeLongestSide.getPreprocessShape(h, w, model.config().imgSize());
        SamTransforms.PromptArrays p = SamTransforms.promptArrays(ex.points(), ex.labels(), ex.box(), transform, h, w, m);
        NDArray gt = m.create(Trainer.maskValues(ex.mask()), new Shape(1, 1, h, w));
        return new TrainingStep.Input(clean, degraded, p.points(), p.labels(), p.box(), gt, in[0], in[1], h, w);
    }
}
