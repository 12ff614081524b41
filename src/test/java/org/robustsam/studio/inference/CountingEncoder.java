package org.robustsam.studio.inference;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.robustsam.studio.image.RgbImage;

/**
 * Test encoder: a cheap embedding derived from the pixels (so different images give different
 * embeddings), a count of calls, and an optional gate that holds an encode until released.
 */
final class CountingEncoder implements ImageEncoder {
    final AtomicInteger calls = new AtomicInteger();
    volatile CountDownLatch gate;
    private final String key;

    CountingEncoder(String key) {
        this.key = key;
    }

    @Override
    public String modelKey() {
        return key;
    }

    @Override
    public ImageEmbedding encode(RgbImage image) throws InferenceException {
        calls.incrementAndGet();
        CountDownLatch g = gate;
        if (g != null) {
            try {
                g.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new InferenceException("interrupted");
            }
        }
        float[] data = new float[256 * 4 * 4];
        for (int i = 0; i < data.length; i++) {
            data[i] = image.pixels()[i % image.pixels().length] * 1e-6f + i;
        }
        return new ImageEmbedding(key, image.width(), image.height(),
                Map.of(ImageEmbedding.IMAGE_EMBEDDING, new FloatTensor(new long[] {1, 256, 4, 4}, data)));
    }

    static RgbImage image(int seed) {
        int[] px = new int[8 * 6];
        for (int i = 0; i < px.length; i++) {
            px[i] = (seed * 7919 + i * 104729) & 0xFFFFFF;
        }
        return new RgbImage(8, 6, px);
    }
}
