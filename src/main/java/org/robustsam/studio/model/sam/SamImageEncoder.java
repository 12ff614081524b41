package org.robustsam.studio.model.sam;

import ai.djl.ndarray.NDArray;

/**
 * What {@link Sam}'s {@code image_encoder} is: SAM's {@link ImageEncoderViT}, or another backbone with
 * the same contract, such as MobileSAM's TinyViT ({@code org.robustsam.studio.model.mobilesam}).
 * Implementations are {@link SamModule}s whose parameter names follow the checkpoint under the
 * {@code image_encoder.} prefix.
 */
public interface SamImageEncoder {
    /**
     * {@code [B, 3, img, img]} normalised and zero-padded -> embedding {@code [B, 256, img/16, img/16]}
     * and, if {@code keepIntermediate}, the encoder's intermediate outputs that RobustSAM uses (the
     * ViT's global-attention blocks; an encoder without such blocks returns none). Results live in
     * {@code image}'s manager.
     */
    EncoderOutput forward(NDArray image, boolean keepIntermediate);
}
