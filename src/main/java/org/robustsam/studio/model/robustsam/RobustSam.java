package org.robustsam.studio.model.robustsam;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.robustsam.studio.model.checkpoint.CheckpointException;
import org.robustsam.studio.model.checkpoint.StateDict;
import org.robustsam.studio.model.sam.EncoderOutput;
import org.robustsam.studio.model.sam.ImageEncoderViT;
import org.robustsam.studio.model.sam.Ops;
import org.robustsam.studio.model.sam.PromptEncoder;
import org.robustsam.studio.model.sam.Sam;
import org.robustsam.studio.model.sam.SamConfig;
import org.robustsam.studio.model.sam.SamModule;

/**
 * RobustSAM on DJL: SAM's {@code image_encoder} and {@code prompt_encoder} (the SAM engine's own
 * classes) and a {@link RobustMaskDecoder} ({@code mask_decoder}: SAM's decoder plus AMFG, AOTG and
 * ROT), parameters named by the official checkpoint keys ({@code robustsam_checkpoint_{b,l,h}.pth}).
 *
 * <p>Inference, as the reference's {@code Sam.predict} ({@code eval.py}):
 * <pre>{@code
 * try (RobustSam.Encoding enc = model.encode(image);                  // ViT, once per image
 *      RobustSam.ImageFeatures f = model.imageFeatures(enc, false);  // AMFG image side, once per image
 *      RobustMaskDecoder.Output o = model.decode(enc, f, points, labels, box, null, false)) { ... }
 * }</pre>
 * {@code clear = false} is RobustSAM; {@code clear = true} is SAM's own path on the same weights
 * (the teacher of training, and what the reference's {@code SamPredictor} runs by default).
 *
 * <p>Forwards run with autograd off and allocate only in per-call scopes under the caller's manager.
 */
public final class RobustSam extends SamModule implements AutoCloseable {
    private static final String MODULE_PREFIX = "module.";

    private final SamConfig config;
    private final ImageEncoderViT imageEncoder;
    private final PromptEncoder promptEncoder;
    private final RobustMaskDecoder maskDecoder;
    private NDManager manager;
    private StateDict owned;
    private boolean freshModules;
    private NDManager derived; // the decoder's derived tensors after the latest rederiveDecoder()

    /**
     * What the encoder gives the decoder: the image embedding {@code [1, 256, 64, 64]} and the first
     * global-attention block's output {@code [1, 64, 64, vitWidth]} (the reference's
     * {@code encoder_features[0]}, AMFG's "early" feature; the later global outputs it also returns
     * are unused and freed at once).
     */
    public record Encoding(NDArray imageEmbedding, NDArray earlyFeatures) implements AutoCloseable {
        @Override
        public void close() {
            imageEmbedding.close();
            earlyFeatures.close();
        }
    }

    /** AMFG's image side {@code [1, 32, 256, 256]} for one path ({@code clear}); the same for every prompt. */
    public record ImageFeatures(NDArray features, boolean clear) implements AutoCloseable {
        @Override
        public void close() {
            features.close();
        }
    }

    private RobustSam(SamConfig config) {
        this.config = config;
        this.imageEncoder = child("image_encoder", new ImageEncoderViT(config));
        this.promptEncoder = child("prompt_encoder", new PromptEncoder(config));
        this.maskDecoder = child("mask_decoder", new RobustMaskDecoder(config));
    }

    /** Every checkpoint key the config implies, with its shape, in the reference's state_dict order. */
    public static Map<String, Shape> expectedShapes(SamConfig config) {
        return new RobustSam(config).expectedShapes();
    }

    /** The keys of RobustSAM's own modules (AMFG, AOTG, ROT) with their shapes, in state_dict order. */
    public static Map<String, Shape> robustModuleShapes(SamConfig config) {
        Map<String, Shape> out = new LinkedHashMap<>(expectedShapes(config));
        out.keySet().removeAll(Sam.expectedShapes(config).keySet());
        return out;
    }

    /**
     * Loads a RobustSAM checkpoint strictly: every key the config implies present with its shape, no
     * other key, all values finite (a {@code module.} prefix from a DataParallel save is dropped, as
     * the reference's loader does). The model owns the weights; close it to free them.
     *
     * @throws CheckpointException naming the file and what is wrong; for a plain SAM checkpoint it says
     *     so and how to load it instead
     */
    public static RobustSam load(SamConfig config, Path checkpoint, NDManager parent) throws CheckpointException {
        NDManager manager = parent.newSubManager();
        try {
            StateDict sd = StateDict.load(checkpoint, manager);
            RobustSam model = bind(config, sd, manager);
            model.owned = sd;
            return model;
        } catch (CheckpointException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Builds the model on an open state dict, checked as in {@link #load}. The weights stay owned by
     * {@code stateDict}, which must stay open while the model is used.
     */
    public static RobustSam fromStateDict(SamConfig config, StateDict stateDict, NDManager parent)
            throws CheckpointException {
        NDManager manager = parent.newSubManager();
        try {
            return bind(config, stateDict, manager);
        } catch (CheckpointException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * A RobustSAM whose SAM part is a plain SAM checkpoint (checked strictly as SAM) and whose own
     * modules start fresh, seeded (see {@link FreshInit}: PyTorch's default initialisation by module
     * type): what fine-tuning on the user's images starts from. Until trained, its {@code clear = false}
     * path is untrained; {@code clear = true} is exactly SAM.
     */
    public static RobustSam fromSamCheckpoint(SamConfig config, Path samCheckpoint, long seed, NDManager parent)
            throws CheckpointException {
        NDManager manager = parent.newSubManager();
        try {
            StateDict sd = StateDict.load(samCheckpoint, manager);
            if (sd.contains("mask_decoder.custom_robust_token.weight")) {
                throw new CheckpointException(sd.source(), "has RobustSAM modules already: this is a RobustSAM "
                        + "checkpoint; load it as RobustSAM rather than as the base of a fresh one");
            }
            sd.verify(Sam.expectedShapes(config), sd.source());
            sd.checkFinite();
            RobustSam model = new RobustSam(config);
            Map<String, NDArray> fresh = FreshInit.tensors(robustModuleShapes(config), seed, manager);
            model.manager = manager;
            model.owned = sd;
            model.freshModules = true;
            try {
                model.load("", key -> sd.contains(key) ? sd.get(key) : fresh.get(key), manager);
            } catch (IllegalArgumentException e) {
                throw new CheckpointException(sd.source(), e.getMessage(), e);
            }
            return model;
        } catch (CheckpointException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private static RobustSam bind(SamConfig config, StateDict file, NDManager manager) throws CheckpointException {
        StateDict sd = file.keys().stream().anyMatch(k -> k.startsWith(MODULE_PREFIX))
                ? file.stripPrefixWherePresent(MODULE_PREFIX) : file;
        RobustSam model = new RobustSam(config);
        requireRobustModules(sd);
        sd.verify(model.expectedShapes(), sd.source());
        sd.checkFinite();
        model.manager = manager;
        try {
            model.load("", countersAsFloat(sd, manager), manager);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(sd.source(), e.getMessage(), e);
        }
        return model;
    }

    /** A plain SAM file, or one lacking some of RobustSAM's modules, is named as such before the key lists. */
    private static void requireRobustModules(StateDict sd) throws CheckpointException {
        List<String> missing = new ArrayList<>();
        for (String module : RobustMaskDecoder.ROBUST_MODULES) {
            String prefix = "mask_decoder." + module + ".";
            if (sd.keys().stream().noneMatch(k -> k.startsWith(prefix))) {
                missing.add("mask_decoder." + module);
            }
        }
        if (missing.size() == RobustMaskDecoder.ROBUST_MODULES.size()) {
            throw new CheckpointException(sd.source(), "no mask_decoder.custom_robust_token / fourier_* keys: "
                    + "this is a plain SAM checkpoint; load it as SAM, or as the base of a fresh RobustSAM");
        }
        if (!missing.isEmpty()) {
            throw new CheckpointException(sd.source(), "RobustSAM module" + (missing.size() == 1 ? " " : "s ")
                    + String.join(", ", missing) + " missing: the checkpoint is incomplete");
        }
    }

    /**
     * The key source for the walk: the BatchNorm batch counters ({@code num_batches_tracked}, int64
     * scalars) read as float32, since every parameter of the walk is float32; nothing uses them in
     * eval mode.
     */
    private static Function<String, NDArray> countersAsFloat(StateDict sd, NDManager manager) {
        String suffix = "." + BatchNorm2d.BATCH_COUNTER;
        return key -> {
            NDArray a = sd.get(key);
            if (key.endsWith(suffix) && a.getDataType() != DataType.FLOAT32) {
                NDArray f = a.toType(DataType.FLOAT32, true);
                f.attach(manager);
                return f;
            }
            return a;
        };
    }

    public SamConfig config() {
        return config;
    }

    public ImageEncoderViT imageEncoder() {
        return imageEncoder;
    }

    public PromptEncoder promptEncoder() {
        return promptEncoder;
    }

    public RobustMaskDecoder maskDecoder() {
        return maskDecoder;
    }

    /** True when RobustSAM's modules were freshly initialised ({@link #fromSamCheckpoint}), not loaded. */
    public boolean hasFreshModules() {
        return freshModules;
    }

    /**
     * The parameters of RobustSAM's own modules, what training updates (SAM's stay frozen), with
     * BatchNorm's running statistics and batch counters, which are buffers, left out.
     */
    public List<Parameter> robustParameters() {
        List<Parameter> out = new ArrayList<>();
        for (Parameter p : parameters()) {
            String key = p.key();
            boolean robust = RobustMaskDecoder.ROBUST_MODULES.stream()
                    .anyMatch(m -> key.startsWith("mask_decoder." + m + "."));
            boolean buffer = key.endsWith(".running_mean") || key.endsWith(".running_var")
                    || key.endsWith("." + BatchNorm2d.BATCH_COUNTER);
            if (robust && !buffer) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * The encoder pass.
     *
     * @param image {@code [1, 3, 1024, 1024]} float32, normalised with the pixel mean/std and
     *     zero-padded bottom/right (see {@code org.robustsam.studio.inference.SamTransforms})
     * @return the embedding and the early feature, in {@code image}'s manager
     */
    public Encoding encode(NDArray image) {
        Ops.requireShape(image, "RobustSam.encode", "image", 1, 3, config.imgSize(), config.imgSize());
        return Sam.noGrad(() -> {
            EncoderOutput out = imageEncoder.forward(image, true);
            List<NDArray> global = out.globalBlockOutputs();
            for (int i = 1; i < global.size(); i++) {
                global.get(i).close();
            }
            return new Encoding(out.imageEmbedding(), global.get(0));
        });
    }

    /** AMFG's image side for one path, in the encoding's manager; compute once per image and reuse for every prompt. */
    public ImageFeatures imageFeatures(Encoding encoding, boolean clear) {
        requireEncoding(encoding);
        return Sam.noGrad(() -> new ImageFeatures(
                maskDecoder.imageFeatures(encoding.imageEmbedding(), encoding.earlyFeatures(), clear), clear));
    }

    /**
     * Masks for one image and a batch of B prompts (any prompt may be null; coordinates in the 1024
     * input frame), on the path {@code features} was computed for.
     *
     * @param points {@code [B, N, 2]} (x, y), with {@code labels [B, N]} (1 fg, 0 bg, -1 padding)
     * @param box {@code [B, 4]} (x0, y0, x1, y1)
     * @param maskInput {@code [B, 1, 256, 256]} low-resolution logits of a previous prediction
     * @param multimask 3 masks instead of 1
     * @return masks, IoUs, robust mask features and tokens, in the encoding's manager
     */
    public RobustMaskDecoder.Output decode(Encoding encoding, ImageFeatures features, NDArray points,
            NDArray labels, NDArray box, NDArray maskInput, boolean multimask) {
        return decode(encoding, features, points, labels, box, maskInput, multimask, false);
    }

    /** As {@link #decode(Encoding, ImageFeatures, NDArray, NDArray, NDArray, NDArray, boolean)}, the image side computed for this call. */
    public RobustMaskDecoder.Output decode(Encoding encoding, NDArray points, NDArray labels, NDArray box,
            NDArray maskInput, boolean multimask, boolean clear) {
        try (ImageFeatures features = imageFeatures(encoding, clear)) {
            return decode(encoding, features, points, labels, box, maskInput, multimask);
        }
    }

    /**
     * Decoding from a cached embedding {@code [1, 256, 64, 64]} and the path's image features: the
     * early feature is only needed to compute the features, so a cache need not keep it.
     */
    public RobustMaskDecoder.Output decode(NDArray imageEmbedding, ImageFeatures features, NDArray points,
            NDArray labels, NDArray box, NDArray maskInput, boolean multimask) {
        int e = config.imageEmbeddingSize();
        Ops.requireShape(imageEmbedding, "RobustSam", "image_embedding", 1, config.promptEmbedDim(), e, e);
        return decodeChecked(imageEmbedding, features, points, labels, box, maskInput, multimask, false);
    }

    /** {@code referenceLayout}: the reference's own mask list on the RobustSAM path (one prompt), for parity tests. */
    RobustMaskDecoder.Output decode(Encoding encoding, ImageFeatures features, NDArray points, NDArray labels,
            NDArray box, NDArray maskInput, boolean multimask, boolean referenceLayout) {
        requireEncoding(encoding);
        return decodeChecked(encoding.imageEmbedding(), features, points, labels, box, maskInput, multimask, referenceLayout);
    }

    private RobustMaskDecoder.Output decodeChecked(NDArray imageEmbedding, ImageFeatures features, NDArray points,
            NDArray labels, NDArray box, NDArray maskInput, boolean multimask, boolean referenceLayout) {
        NDManager out = imageEmbedding.getManager();
        return Sam.noGrad(() -> {
            try (NDManager scope = out.newSubManager()) {
                PromptEncoder.Output prompts = promptEncoder.forward(points, labels, box, maskInput, scope);
                RobustMaskDecoder.Output o = maskDecoder.forward(imageEmbedding,
                        promptEncoder.denseImagePe(), prompts.sparse(), prompts.dense(), features.features(),
                        multimask, features.clear(), referenceLayout);
                o.lowResMasks().attach(out);
                o.iouPredictions().attach(out);
                o.robustMaskFeatures().attach(out);
                o.robustTokens().attach(out);
                return o;
            }
        });
    }

    /**
     * One forward of the training step for one image and one prompt batch, as the reference's
     * {@code Sam.forward} (engine.py's {@code model(...)} with {@code multimask_output=False}): the
     * prompt encoder runs with autograd off (as there); AMFG's image side and the mask decoder run
     * under the caller's autograd mode, so inside a gradient collector the result carries the graph
     * back to every parameter that requires a gradient (RobustSAM's modules, when training).
     * {@code clear = true} is the teacher (SAM's path), {@code clear = false} the student.
     *
     * <p>Call {@link #rederiveDecoder()} inside the collector first, so tokens and reshaped weights
     * derived from the trainable parameters are part of the graph.
     *
     * @param points {@code [B, N, 2]} in the 1024 input frame, with {@code labels [B, N]}; or null
     * @param box {@code [B, 4]}; or null
     * @return single-mask output (mask 0): low-res logits {@code [B, 1, 256, 256]}, IoU, robust mask
     *     features and tokens, in {@code out}
     */
    public RobustMaskDecoder.Output trainingForward(Encoding encoding, NDArray points, NDArray labels, NDArray box,
            boolean clear, NDManager out) {
        requireEncoding(encoding);
        try (NDManager scope = out.newSubManager()) {
            PromptEncoder.Output prompts = Sam.noGrad(() -> promptEncoder.forward(points, labels, box, null, scope));
            NDArray embedding = alias(encoding.imageEmbedding(), scope);
            NDArray early = alias(encoding.earlyFeatures(), scope);
            NDArray features = maskDecoder.imageFeatures(embedding, early, clear);
            RobustMaskDecoder.Output o = maskDecoder.forward(embedding, promptEncoder.denseImagePe(),
                    prompts.sparse(), prompts.dense(), features, false, clear);
            o.lowResMasks().attach(out);
            o.iouPredictions().attach(out);
            o.robustMaskFeatures().attach(out);
            o.robustTokens().attach(out);
            return o;
        }
    }

    private static NDArray alias(NDArray a, NDManager scope) {
        NDArray view = a.reshape(a.getShape());
        view.attach(scope);
        return view;
    }

    /**
     * Derives the mask decoder's cached tensors (output-token tables, reshaped conv weights, folded
     * BatchNorm statistics) again from the current parameter values, freeing the previous
     * re-derivation. Training calls it inside the gradient collector before each forward (so
     * gradients reach the parameters through the derived tensors) and with autograd off after each
     * optimizer step (so inference sees the updated weights).
     */
    public void rederiveDecoder() {
        NDManager next = manager.newSubManager();
        maskDecoder.rederive(next);
        if (derived != null) {
            derived.close();
        }
        derived = next;
    }

    private void requireEncoding(Encoding encoding) {
        int e = config.imageEmbeddingSize();
        Ops.requireShape(encoding.imageEmbedding(), "RobustSam", "image_embedding", 1, config.promptEmbedDim(), e, e);
        Ops.requireShape(encoding.earlyFeatures(), "RobustSam", "early_features", 1, e, e, config.encoderEmbedDim());
    }

    /** Frees the model's tensors (and its weights when it loaded them itself). */
    @Override
    public void close() {
        if (owned != null) {
            owned.close();
        }
        if (manager != null) {
            manager.close();
        }
    }

    /** The manager of the model's own tensors, for tests that check forwards leave nothing there. */
    NDManager manager() {
        return manager;
    }

    @Override
    public String toString() {
        return "RobustSam[" + config.name() + (freshModules ? ", fresh modules" : "") + "]";
    }
}
