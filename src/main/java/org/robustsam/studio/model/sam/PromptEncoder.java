package org.robustsam.studio.model.sam;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Encodes prompts for the mask decoder ({@code prompt_encoder}): points and box corners become
 * sparse tokens (random-Fourier position + a learned type embedding), a low-resolution mask input
 * becomes a dense embedding through {@code mask_downscaling}, or {@code no_mask_embed} is broadcast.
 */
public final class PromptEncoder extends SamModule {
    /** Label of the padding point added when points come without a box. */
    public static final int NOT_A_POINT = -1;

    private final int embedDim;
    private final int embH;
    private final int embW;
    private final int inputH;
    private final int inputW;
    private final PositionEmbeddingRandom peLayer;
    private final Embedding[] pointEmbeddings = new Embedding[4]; // neg, pos, box corner 1, box corner 2
    private final Embedding notAPointEmbed;
    private final Conv2d down0;
    private final LayerNorm2d down1;
    private final Conv2d down3;
    private final LayerNorm2d down4;
    private final Conv2d down6;
    private final Embedding noMaskEmbed;
    private NDArray densePe; // [1, C, embH, embW]
    private NDArray boxCorners; // [1, 2, C]
    private NDArray noMask4; // [1, C, 1, 1]

    /** Sparse {@code [B, N, C]} and dense {@code [B, C, embH, embW]} prompt embeddings. */
    public record Output(NDArray sparse, NDArray dense) implements AutoCloseable {
        @Override
        public void close() {
            sparse.close();
            dense.close();
        }
    }

    public PromptEncoder(SamConfig c) {
        this.embedDim = c.promptEmbedDim();
        this.embH = c.imageEmbeddingSize();
        this.embW = c.imageEmbeddingSize();
        this.inputH = c.imgSize();
        this.inputW = c.imgSize();
        this.peLayer = child("pe_layer", new PositionEmbeddingRandom(embedDim / 2));
        ModuleList pts = child("point_embeddings", new ModuleList());
        for (int i = 0; i < pointEmbeddings.length; i++) {
            pointEmbeddings[i] = pts.add(i, new Embedding(1, embedDim));
        }
        this.notAPointEmbed = child("not_a_point_embed", new Embedding(1, embedDim));
        int mic = c.maskInChans();
        ModuleList down = child("mask_downscaling", new ModuleList());
        down0 = down.add(0, new Conv2d(1, mic / 4, 2, 2, 0, true));
        down1 = down.add(1, new LayerNorm2d(mic / 4));
        down3 = down.add(3, new Conv2d(mic / 4, mic, 2, 2, 0, true));
        down4 = down.add(4, new LayerNorm2d(mic));
        down6 = down.add(6, new Conv2d(mic, embedDim, 1, 1, 0, true));
        this.noMaskEmbed = child("no_mask_embed", new Embedding(1, embedDim));
    }

    @Override
    protected void onLoaded(NDManager manager) {
        densePe = peLayer.forward(embH, embW, manager).expandDims(0);
        densePe.attach(manager);
        boxCorners = NDArrays.concat(new NDList(pointEmbeddings[2].weight(), pointEmbeddings[3].weight()), 0)
                .expandDims(0);
        boxCorners.attach(manager);
        noMask4 = noMaskEmbed.weight().reshape(1, embedDim, 1, 1);
        noMask4.attach(manager);
    }

    /**
     * {@code get_dense_pe}: the positional encoding of the embedding grid, {@code [1, C, 64, 64]}.
     * Owned by the model (computed once at load): do not close.
     */
    public NDArray denseImagePe() {
        if (densePe == null) {
            throw new IllegalStateException("prompt encoder is not loaded");
        }
        return densePe;
    }

    /**
     * Embeds prompts; any may be null.
     *
     * @param points {@code [B, N, 2]} (x, y) in the 1024 input frame
     * @param labels {@code [B, N]}: 1 foreground, 0 background, -1 padding (any numeric type)
     * @param boxes {@code [B, 4]} (x0, y0, x1, y1) in the input frame
     * @param masks {@code [B, 1, 256, 256]} low-resolution mask logits
     * @param manager where the outputs go
     * @return sparse {@code [B, N', C]} (N' = N + 1 padding point when there is no box, + 2 per box) and
     *     dense {@code [B, C, 64, 64]}
     */
    public Output forward(NDArray points, NDArray labels, NDArray boxes, NDArray masks, NDManager manager) {
        String where = "PromptEncoder";
        long bs = 1;
        if (points != null) {
            bs = Ops.requireShape(points, where, "points", -1, -1, 2).get(0);
            Ops.requireShape(labels, where, "labels", bs, points.getShape().get(1));
        } else if (labels != null) {
            throw new IllegalArgumentException(where + ": labels given without points");
        }
        if (boxes != null) {
            long b = Ops.requireShape(boxes, where, "boxes", -1, 4).get(0);
            if (points != null && b != bs) {
                throw new IllegalArgumentException(where + ": " + b + " boxes for " + bs + " point sets");
            }
            bs = b;
        }
        if (masks != null) {
            long b = Ops.requireShape(masks, where, "masks", -1, 1, 4L * embH, 4L * embW).get(0);
            if ((points != null || boxes != null) && b != bs) {
                throw new IllegalArgumentException(where + ": " + b + " masks for a prompt batch of " + bs);
            }
            bs = b;
        }
        try (Scope scope = Scope.under(manager)) {
            points = scope.in(points);
            labels = scope.in(labels);
            boxes = scope.in(boxes);
            masks = scope.in(masks);
            NDList sparse = new NDList();
            if (points != null) {
                sparse.add(embedPoints(scope, points, labels, boxes == null));
            }
            if (boxes != null) {
                sparse.add(embedBoxes(boxes));
            }
            NDArray sparseAll = sparse.isEmpty()
                    ? scope.manager().zeros(new Shape(bs, 0, embedDim))
                    : sparse.size() == 1 ? sparse.get(0) : NDArrays.concat(sparse, 1);
            NDArray dense;
            if (masks != null) {
                NDArray h = Ops.gelu(down1.forward(down0.forward(masks)));
                h = Ops.gelu(down4.forward(down3.forward(h)));
                dense = down6.forward(h);
            } else {
                dense = scope.local(noMask4.broadcast(bs, embedDim, embH, embW));
            }
            return new Output(scope.keep(sparseAll), scope.keep(dense));
        }
    }

    private NDArray embedPoints(Scope scope, NDArray points, NDArray labels, boolean pad) {
        NDArray p = points.toType(DataType.FLOAT32, false).add(0.5f); // shift to the pixel centre
        NDArray l = labels.toType(DataType.FLOAT32, false);
        if (pad) {
            long b = p.getShape().get(0);
            NDManager m = scope.manager();
            p = NDArrays.concat(new NDList(p, m.zeros(new Shape(b, 1, 2))), 1);
            l = NDArrays.concat(new NDList(l, m.full(new Shape(b, 1), NOT_A_POINT)), 1);
        }
        NDArray pe = peLayer.forwardWithCoords(p, inputH, inputW); // [B, N, C]
        l = l.expandDims(2);
        NDArray isPad = l.eq(NOT_A_POINT).toType(DataType.FLOAT32, false);
        NDArray isNeg = l.eq(0).toType(DataType.FLOAT32, false);
        NDArray isPos = l.eq(1).toType(DataType.FLOAT32, false);
        // point_embedding[labels == -1] = 0, then += not_a_point; [labels == 0] += pe[0]; [labels == 1] += pe[1]
        return pe.mul(isPad.neg().add(1))
                .add(isPad.mul(notAPointEmbed.weight()))
                .add(isNeg.mul(pointEmbeddings[0].weight()))
                .add(isPos.mul(pointEmbeddings[1].weight()));
    }

    private NDArray embedBoxes(NDArray boxes) {
        NDArray corners = boxes.toType(DataType.FLOAT32, false).add(0.5f).reshape(-1, 2, 2);
        return peLayer.forwardWithCoords(corners, inputH, inputW).add(boxCorners);
    }
}
