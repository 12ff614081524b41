package org.robustsam.studio.model.mobilesam;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.robustsam.studio.model.checkpoint.CheckpointException;
import org.robustsam.studio.model.checkpoint.StateDict;
import org.robustsam.studio.model.registry.ModelIdentifier;
import org.robustsam.studio.model.sam.Sam;
import org.robustsam.studio.model.sam.SamConfig;

/**
 * MobileSAM (the reference's {@code build_sam_vit_t}): a {@link Sam} whose {@code image_encoder} is
 * {@link TinyViT} ({@link TinyViTConfig#TINY_VIT_5M}), with SAM's own prompt encoder and mask
 * decoder. The result is an ordinary {@code Sam}: {@code encode}, {@code decode} and the predictor
 * work unchanged.
 */
public final class MobileSam {
    /** The image encoder of {@code mobile_sam.pt}. */
    public static final TinyViTConfig ENCODER = TinyViTConfig.TINY_VIT_5M;

    /**
     * SAM's prompt encoder and mask decoder as {@code build_sam_vit_t} configures them (1024 input,
     * 64 x 64 embedding of 256 channels, the standard decoder). The ViT fields of a {@link SamConfig}
     * describe no ViT here: only TinyViT's last stage (320 wide, 10 heads, 12 blocks in all, no
     * global attention); {@link #ENCODER} is the encoder's real shape.
     */
    public static final SamConfig CONFIG = SamConfig.standard("vit_t", 320, 12, 10, List.of());

    /** The family and size {@code ModelIdentifier} gives MobileSAM checkpoints. */
    static final String FAMILY = "MobileSAM";

    private MobileSam() {}

    /** Every checkpoint key MobileSAM requires, with its shape, in the reference's state_dict order. */
    public static Map<String, Shape> expectedShapes() {
        return Sam.expectedShapes(CONFIG, new TinyViT(ENCODER));
    }

    /**
     * Loads {@code mobile_sam.pt} (or any file in its layout, PyTorch zip or safetensors) strictly:
     * every tensor of the reference state_dict present with its shape and type (BatchNorm running
     * statistics and counters included), no other tensor, all values finite. The returned model owns
     * the weights; close it to free them.
     *
     * @throws CheckpointException naming the file, what it holds instead when it is another model
     *     (e.g. SAM ViT-B), and the missing / unexpected / mis-shaped tensors
     */
    public static Sam load(Path checkpoint, NDManager parent) throws CheckpointException {
        try {
            return Sam.load(CONFIG, new TinyViT(ENCODER), checkpoint, parent);
        } catch (CheckpointException e) {
            throw ModelIdentifier.explainMismatch(e, checkpoint, FAMILY, ENCODER.name());
        }
    }

    /** Builds MobileSAM on an open state dict, as strictly as {@link #load}; see {@link Sam#fromStateDict}. */
    public static Sam fromStateDict(StateDict stateDict, NDManager parent) throws CheckpointException {
        try {
            return Sam.fromStateDict(CONFIG, new TinyViT(ENCODER), stateDict, parent);
        } catch (CheckpointException e) {
            throw ModelIdentifier.explainMismatch(e, stateDict.shapes(), FAMILY, ENCODER.name());
        }
    }

    /** The TinyViT of a model made by this class. */
    public static TinyViT imageEncoder(Sam mobileSam) {
        if (!(mobileSam.imageEncoder() instanceof TinyViT t)) {
            throw new IllegalArgumentException(mobileSam + " is not a MobileSAM (its image encoder is "
                    + mobileSam.imageEncoder().getClass().getSimpleName() + ")");
        }
        return t;
    }
}
