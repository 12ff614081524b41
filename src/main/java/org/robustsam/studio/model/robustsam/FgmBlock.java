package org.robustsam.studio.model.robustsam;

import org.robustsam.studio.model.sam.Scope;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.pytorch.jni.JniUtils;
import org.robustsam.studio.model.sam.Conv2d;
import org.robustsam.studio.model.sam.Ops;
import org.robustsam.studio.model.sam.SamModule;

/**
 * AMFG's Fourier degradation suppression ({@code fgm_block}, reference {@code FGMBlock}): the 2-D
 * FFT of each channel, its magnitude remixed across channels by a 1x1 conv ({@code conv_layer})
 * while the phase is kept, and the real part of the inverse FFT. Degradations such as noise, blur
 * and haze live mostly in the amplitude spectrum; structure lives in the phase.
 *
 * <p>Runs on DJL's own FFT ops ({@code fft2}/{@code ifft2} on complex64, {@code real()} and
 * {@code complex()} as the PyTorch engine's view_as_real / view_as_complex), the phase as
 * {@code atan2(imag, real)} like {@code torch.angle}. With autograd on (training) the inverse
 * transform is split by linearity, since DJL's complex() cannot be differentiated.
 */
final class FgmBlock extends SamModule {
    private static final long[] LAST_TWO_AXES = {-2, -1};

    private final int channels;
    private final Conv2d conv;

    /** @param channels the block's input width (twice the AMFG block's width: the DNC output) */
    FgmBlock(int channels) {
        this.channels = channels;
        this.conv = child("conv_layer", new Conv2d(channels, channels, 1, 1, 0, true));
    }

    /** {@code [B, C, H, W] -> [B, C, H, W]} (real); the result lives in {@code x}'s manager. */
    NDArray forward(NDArray x) {
        long[] s = Ops.requireShape(x, "FgmBlock", "x", -1, channels, -1, -1).getShape();
        long[] size = {s[2], s[3]};
        try (Scope scope = Scope.of(x)) {
            x = scope.in(x);
            NDArray spectrum = x.fft2(size, LAST_TWO_AXES); // complex64 [B, C, H, W]
            NDArray magnitude = spectrum.abs();
            NDArray pair = spectrum.real(); // [B, C, H, W, 2]: (real, imag)
            NDArray phase = pair.get("..., 1").atan2(pair.get("..., 0"));
            NDArray modified = conv.forward(magnitude);
            NDArray re = modified.mul(phase.cos());
            NDArray im = modified.mul(phase.sin());
            if (JniUtils.isGradMode()) {
                // Training: DJL builds complex tensors with view_as_complex_copy, which has no
                // autograd; by linearity Re(ifft2(re + i im)) = Re(ifft2(re)) - Im(ifft2(im)).
                NDArray fromRe = re.ifft2(size, LAST_TWO_AXES).real().get("..., 0");
                NDArray fromIm = im.ifft2(size, LAST_TWO_AXES).real().get("..., 1");
                return scope.keep(fromRe.sub(fromIm));
            }
            NDArray rebuilt = NDArrays.stack(new NDList(re, im), -1).complex();
            return scope.keep(rebuilt.ifft2(size, LAST_TWO_AXES).real().get("..., 0"));
        }
    }
}
