package org.robustsam.studio.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.robustsam.studio.image.RgbImage;

/**
 * Any SAM-family model behind the {@link Segmenter} interface: the reference predictor's pre- and
 * post-processing around a {@link SegmenterBackend}, with embeddings handed out as heap copies so
 * they can be cached and shared between threads.
 */
public final class ModelSegmenter implements Segmenter {
    private final String modelId;
    private final String modelKey;
    private final SegmenterBackend backend;
    private final NDManager manager;
    private final ResizeLongestSide transform;
    /** The embedding last decoded against, kept on the native side: most prompts hit the same image. */
    private ImageEmbedding lastEmbedding;
    private NDManager lastManager;
    private Map<String, NDArray> lastArrays;

    /**
     * @param manager owns the backend's model; closed with this segmenter
     */
    public ModelSegmenter(String modelId, String modelKey, SegmenterBackend backend, NDManager manager) {
        this.modelId = modelId;
        this.modelKey = modelKey;
        this.backend = backend;
        this.manager = manager;
        this.transform = new ResizeLongestSide(backend.imageSize());
    }

    @Override
    public String modelId() {
        return modelId;
    }

    @Override
    public String modelKey() {
        return modelKey;
    }

    @Override
    public boolean multimaskForSingleClicks() {
        return backend.multimaskForSingleClicks();
    }

    @Override
    public synchronized ImageEmbedding encode(RgbImage image) throws InferenceException {
        RgbImage resized = transform.applyImage(image);
        try (NDManager scope = manager.newSubManager()) {
            NDArray input = SamTransforms.toModelInput(resized, backend.imageSize(), scope);
            Map<String, FloatTensor> tensors = new LinkedHashMap<>();
            for (Map.Entry<String, NDArray> t : backend.encode(input).entrySet()) {
                tensors.put(t.getKey(), new FloatTensor(t.getValue().getShape().getShape(), t.getValue().toFloatArray()));
            }
            return new ImageEmbedding(modelKey, image.width(), image.height(), tensors);
        } catch (RuntimeException e) {
            throw new InferenceException(modelId + " could not encode a " + image.width() + "x" + image.height()
                    + " image: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized MaskPrediction predict(ImageEmbedding embedding, Prompt prompt, boolean multimask)
            throws InferenceException {
        if (!modelKey.equals(embedding.modelKey())) {
            throw new InferenceException("embedding was made by " + embedding.modelKey() + ", not by " + modelKey);
        }
        if (prompt.isEmpty() && prompt.maskInput() == null) {
            throw new InferenceException("empty prompt: click on the object or drag a box");
        }
        int origW = embedding.originalWidth();
        int origH = embedding.originalHeight();
        int[] inputHw = ResizeLongestSide.getPreprocessShape(origH, origW, backend.imageSize());
        try (NDManager scope = manager.newSubManager()) {
            Map<String, NDArray> emb = embeddingArrays(embedding);
            SamTransforms.PromptArrays in = SamTransforms.promptArrays(prompt.pointCoords(), prompt.pointLabels(),
                    prompt.boxCoords(), transform, origH, origW, scope);
            NDArray maskInput = prompt.maskInput() == null ? null
                    : scope.create(prompt.maskInput().data(), new Shape(1, 1, 256, 256));
            Map<String, NDArray> views = new LinkedHashMap<>();
            for (Map.Entry<String, NDArray> e : emb.entrySet()) {
                NDArray view = e.getValue().reshape(e.getValue().getShape()); // lives in scope; the cached array stays
                view.attach(scope);
                views.put(e.getKey(), view);
            }
            NDArray[] out = backend.decode(views, in.points(), in.labels(), in.box(), maskInput, multimask, scope);
            NDArray lowRes = out[0];
            float[] low = lowRes.toFloatArray();
            float[] iou = out[1].toFloatArray();
            int c = iou.length;
            int lowSide = (int) lowRes.getShape().get(3);
            byte[][] masks = MaskUpscaler.binaryMasks(low, c, lowSide, backend.imageSize(), inputHw[0], inputHw[1],
                    origH, origW);
            int lowPlane = lowSide * lowSide;
            FloatTensor[] logits = new FloatTensor[c];
            for (int i = 0; i < c; i++) {
                logits[i] = new FloatTensor(new long[] {1, lowSide, lowSide},
                        Arrays.copyOfRange(low, i * lowPlane, (i + 1) * lowPlane));
            }
            return new MaskPrediction(origW, origH, masks, iou, logits);
        } catch (RuntimeException e) {
            throw new InferenceException(modelId + " could not decode the prompt: " + e.getMessage(), e);
        }
    }

    /** The embedding's tensors as NDArrays, reused while prompts keep hitting the same image. */
    private Map<String, NDArray> embeddingArrays(ImageEmbedding embedding) {
        if (embedding != lastEmbedding) {
            if (lastManager != null) {
                lastManager.close();
            }
            lastManager = manager.newSubManager();
            Map<String, NDArray> arrays = new LinkedHashMap<>();
            for (Map.Entry<String, FloatTensor> t : embedding.tensors().entrySet()) {
                arrays.put(t.getKey(), lastManager.create(t.getValue().data(), new Shape(t.getValue().shape())));
            }
            lastArrays = arrays;
            lastEmbedding = embedding;
        }
        return lastArrays;
    }

    @Override
    public synchronized void close() {
        if (lastManager != null) {
            lastManager.close();
        }
        backend.close();
        manager.close();
    }
}
