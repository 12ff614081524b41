package org.robustsam.studio.train;

import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.robustsam.studio.model.robustsam.RobustSam;

/**
 * The encoder outputs of images seen again (clean training images every epoch, validation images
 * every evaluation), least recently used first out when over the byte budget. The ViT is by far
 * the most expensive part of a step and never changes during training, so each clean image is
 * encoded once per job.
 */
final class EncodingCache implements AutoCloseable {
    private record Entry(NDManager manager, RobustSam.Encoding encoding, long bytes) {}

    private final NDManager manager;
    private final long budget;
    private final Map<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;
    private long hits;
    private long misses;

    EncodingCache(NDManager parent, long budgetBytes) {
        this.manager = parent.newSubManager();
        this.budget = budgetBytes;
    }

    /**
     * The encoding under {@code key}, made with {@code encode} (given a fresh manager the result
     * must live in) when absent. Callers must not close it.
     */
    RobustSam.Encoding get(String key, Function<NDManager, RobustSam.Encoding> encode) {
        Entry e = entries.get(key);
        if (e != null) {
            hits++;
            return e.encoding;
        }
        misses++;
        NDManager m = manager.newSubManager();
        RobustSam.Encoding enc = encode.apply(m);
        long size = 4 * (enc.imageEmbedding().getShape().size() + enc.earlyFeatures().getShape().size());
        entries.put(key, new Entry(m, enc, size));
        bytes += size;
        evict();
        return enc;
    }

    /** Oldest first, but never the two most recently used: a caller may hold a clean and a degraded encoding. */
    private void evict() {
        var it = entries.entrySet().iterator();
        while (bytes > budget && entries.size() > 2 && it.hasNext()) {
            Map.Entry<String, Entry> oldest = it.next();
            bytes -= oldest.getValue().bytes;
            oldest.getValue().manager.close();
            it.remove();
        }
    }

    long hits() {
        return hits;
    }

    long misses() {
        return misses;
    }

    @Override
    public void close() {
        manager.close();
        entries.clear();
    }
}
