package org.robustsam.studio.model.sam;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.robustsam.studio.model.checkpoint.CheckpointException;
import org.robustsam.studio.model.checkpoint.StateDict;
import org.robustsam.studio.model.registry.ModelIdentifier;

/**
 * Segment Anything on DJL NDArrays: {@code image_encoder} ({@link ImageEncoderViT}, or another
 * {@link SamImageEncoder} such as MobileSAM's TinyViT), {@code prompt_encoder} ({@link PromptEncoder})
 * and {@code mask_decoder} ({@link MaskDecoder}), with parameter names equal to the official
 * checkpoint keys.
 *
 * <p>The model knows tensors only; images and prompts in pixel coordinates are the job of
 * {@code org.robustsam.studio.inference} ({@code ResizeLongestSide}, {@code SamPredictor}).
 * Forwards run with autograd off and are safe to call concurrently (they allocate only in
 * per-call scopes under the caller's manager).
 */
public final class Sam extends SamModule implements AutoCloseable {
    private final SamConfig config;
    private final SamImageEncoder imageEncoder;
    private final PromptEncoder promptEncoder;
    private final MaskDecoder maskDecoder;
    private NDManager manager;
    private StateDict owned;

    private <E extends SamModule & SamImageEncoder> Sam(SamConfig config, E imageEncoder) {
        this.config = config;
        this.imageEncoder = child("image_encoder", imageEncoder);
        this.promptEncoder = child("prompt_encoder", new PromptEncoder(config));
        this.maskDecoder = child("mask_decoder", new MaskDecoder(config));
    }

    /** Every checkpoint key the config implies, with its shape, in the reference's state_dict order. */
    public static Map<String, Shape> expectedShapes(SamConfig config) {
        return new Sam(config, new ImageEncoderViT(config)).expectedShapes();
    }

    /**
     * Loads a SAM checkpoint (PyTorch zip or safetensors) for {@code config}, strictly: every key the
     * config implies must be present with its shape, no other key may be, and all values finite.
     * The returned model owns the weights; close it to free them.
     *
     * @throws CheckpointException naming the file and the missing / unexpected / mis-shaped keys, or
     *     the tensors holding NaN or Inf
     */
    public static Sam load(SamConfig config, Path checkpoint, NDManager parent) throws CheckpointException {
        try {
            return load(config, new ImageEncoderViT(config), checkpoint, parent);
        } catch (CheckpointException e) {
            throw ModelIdentifier.explainMismatch(e, checkpoint, "SAM", config.name());
        }
    }

    /**
     * Loads a checkpoint for a SAM whose {@code image_encoder} is {@code imageEncoder} (a fresh,
     * unloaded module; MobileSAM passes its TinyViT), as strictly as {@link #load(SamConfig, Path,
     * NDManager)}: the prompt encoder and mask decoder follow {@code config}.
     */
    public static <E extends SamModule & SamImageEncoder> Sam load(SamConfig config, E imageEncoder, Path checkpoint,
            NDManager parent) throws CheckpointException {
        NDManager manager = parent.newSubManager();
        try {
            StateDict sd = StateDict.load(checkpoint, manager);
            Sam sam = bind(config, imageEncoder, sd, manager);
            sam.owned = sd;
            return sam;
        } catch (CheckpointException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Builds the model on the tensors of an open state dict (verified strictly as in {@link #load}).
     * The weights stay owned by {@code stateDict}, which must stay open while the model is used;
     * the model's own derived tensors go in a sub-manager of {@code parent}, freed by {@link #close}.
     */
    public static Sam fromStateDict(SamConfig config, StateDict stateDict, NDManager parent)
            throws CheckpointException {
        try {
            return fromStateDict(config, new ImageEncoderViT(config), stateDict, parent);
        } catch (CheckpointException e) {
            throw ModelIdentifier.explainMismatch(e, stateDict.shapes(), "SAM", config.name());
        }
    }

    /** {@link #fromStateDict(SamConfig, StateDict, NDManager)} with another image encoder (see {@link #load(SamConfig, SamModule, Path, NDManager)}). */
    public static <E extends SamModule & SamImageEncoder> Sam fromStateDict(SamConfig config, E imageEncoder,
            StateDict stateDict, NDManager parent) throws CheckpointException {
        NDManager manager = parent.newSubManager();
        try {
            return bind(config, imageEncoder, stateDict, manager);
        } catch (CheckpointException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Every checkpoint key a SAM with this image encoder implies, with its shape (required ones). */
    public static <E extends SamModule & SamImageEncoder> Map<String, Shape> expectedShapes(SamConfig config,
            E imageEncoder) {
        return new Sam(config, imageEncoder).expectedShapes();
    }

    private static <E extends SamModule & SamImageEncoder> Sam bind(SamConfig config, E imageEncoder, StateDict sd,
            NDManager manager) throws CheckpointException {
        if (imageEncoder.parameters().stream().anyMatch(Parameter::isLoaded)) {
            throw new IllegalArgumentException("the image encoder module is already loaded; pass a fresh one");
        }
        Sam sam = new Sam(config, imageEncoder);
        rejectRobustSam(sd, sam.expectedShapes());
        sd.verify(sam.expectedShapes(), sam.optionalShapes(), sd.source());
        sd.checkFinite();
        sam.manager = manager;
        try {
            sam.load("", key -> sd.contains(key) ? sd.get(key) : null, manager);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(sd.source(), e.getMessage(), e);
        }
        return sam;
    }

    /**
     * A RobustSAM checkpoint holds all of SAM plus its own decoder modules; loading it as SAM would
     * silently drop them, so say what the file is and how to load it.
     */
    private static void rejectRobustSam(StateDict sd, Map<String, Shape> expected) throws CheckpointException {
        if (!sd.contains("mask_decoder.custom_robust_token.weight")) {
            return;
        }
        Set<String> modules = new LinkedHashSet<>();
        for (String key : sd.keys()) {
            if (key.startsWith("mask_decoder.") && !expected.containsKey(key)) {
                int end = key.indexOf('.', "mask_decoder.".length());
                modules.add(end < 0 ? key : key.substring(0, end));
            }
        }
        throw new CheckpointException(sd.source(), "has RobustSAM modules (" + String.join(", ", modules)
                + "): this is a RobustSAM checkpoint; load it as RobustSAM");
    }

    public SamConfig config() {
        return config;
    }

    /** The image encoder ({@link ImageEncoderViT} for SAM's own configs). */
    public SamImageEncoder imageEncoder() {
        return imageEncoder;
    }

    public PromptEncoder promptEncoder() {
        return promptEncoder;
    }

    public MaskDecoder maskDecoder() {
        return maskDecoder;
    }

    /**
     * Image embedding of a preprocessed image.
     *
     * @param image {@code [1, 3, 1024, 1024]} float32, normalised with the pixel mean/std and
     *     zero-padded bottom/right (see {@code org.robustsam.studio.inference.SamTransforms})
     * @return {@code [1, 256, 64, 64]}, in {@code image}'s manager
     */
    public NDArray encode(NDArray image) {
        return encode(image, false).imageEmbedding();
    }

    /**
     * Image embedding and, if asked, the global-attention blocks' outputs {@code [1, 64, 64, width]}
     * (what RobustSAM's encoder returns), in {@code image}'s manager.
     */
    public EncoderOutput encode(NDArray image, boolean keepGlobalBlockOutputs) {
        Ops.requireShape(image, "Sam.encode", "image", -1, 3, config.imgSize(), config.imgSize());
        return noGrad(() -> imageEncoder.forward(image, keepGlobalBlockOutputs));
    }

    /**
     * Masks for one image embedding and a batch of B prompts (any prompt may be null; coordinates in
     * the 1024 input frame, see {@code ResizeLongestSide}).
     *
     * @param imageEmbedding {@code [1, 256, 64, 64]}
     * @param points {@code [B, N, 2]} (x, y), with {@code labels [B, N]} (1 fg, 0 bg, -1 padding)
     * @param box {@code [B, 4]} (x0, y0, x1, y1)
     * @param maskInput {@code [B, 1, 256, 256]} low-resolution logits of a previous prediction
     * @param multimask 3 masks (tokens 1..3) instead of 1 (token 0)
     * @return low-res mask logits {@code [B, M, 256, 256]} and IoU predictions {@code [B, M]}, in
     *     {@code imageEmbedding}'s manager
     */
    public MaskDecoder.Output decode(NDArray imageEmbedding, NDArray points, NDArray labels, NDArray box,
            NDArray maskInput, boolean multimask) {
        int e = config.imageEmbeddingSize();
        Ops.requireShape(imageEmbedding, "Sam.decode", "image_embedding", 1, config.promptEmbedDim(), e, e);
        NDManager out = imageEmbedding.getManager();
        return noGrad(() -> {
            try (NDManager scope = out.newSubManager()) {
                PromptEncoder.Output prompts = promptEncoder.forward(points, labels, box, maskInput, scope);
                MaskDecoder.Output o = maskDecoder.forward(imageEmbedding, promptEncoder.denseImagePe(),
                        prompts.sparse(), prompts.dense(), multimask);
                o.lowResMasks().attach(out);
                o.iouPredictions().attach(out);
                return o;
            }
        });
    }

    /** Runs {@code f} with autograd off on this thread (torch.no_grad), restoring the previous mode. */
    public static <T> T noGrad(Supplier<T> f) {
        boolean previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            return f.get();
        } finally {
            JniUtils.setGradMode(previous);
        }
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

    /** The manager holding the model's derived tensors (and, after {@link #load}, its weights). */
    NDManager manager() {
        return manager;
    }

    @Override
    public String toString() {
        return "Sam[" + config.name() + "]";
    }

    /** Convenience for callers that have the config name and path. */
    public static Sam load(String configName, Path checkpoint, NDManager parent) throws CheckpointException {
        return load(SamConfig.named(configName), checkpoint, parent);
    }
}
