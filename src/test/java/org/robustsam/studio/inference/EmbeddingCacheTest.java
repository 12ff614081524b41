package org.robustsam.studio.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddingCacheTest {
    @TempDir
    Path dir;

    private static ImageEmbedding embed(String model, int seed) throws Exception {
        return new CountingEncoder(model).encode(CountingEncoder.image(seed));
    }

    @Test
    void memoryLruIsBoundedByBytes() throws Exception {
        long one = embed("m", 0).bytes();
        EmbeddingCache cache = EmbeddingCache.memoryOnly(one * 2 + 10);
        for (int i = 0; i < 3; i++) {
            cache.put(new EmbeddingCache.Key("img" + i, "m"), embed("m", i));
        }
        assertEquals(2, cache.memoryEntries());
        assertTrue(cache.memoryBytes() <= one * 2 + 10);
        assertFalse(cache.get(new EmbeddingCache.Key("img0", "m")).isPresent(), "eldest must be evicted");
        assertTrue(cache.get(new EmbeddingCache.Key("img2", "m")).isPresent());
        // Touch img1 so img2 becomes the eldest, then add img3.
        cache.get(new EmbeddingCache.Key("img1", "m"));
        cache.put(new EmbeddingCache.Key("img3", "m"), embed("m", 3));
        assertTrue(cache.get(new EmbeddingCache.Key("img1", "m")).isPresent());
        assertFalse(cache.get(new EmbeddingCache.Key("img2", "m")).isPresent());
    }

    @Test
    void diskStoreSurvivesANewCacheAndReturnsEqualTensors() throws Exception {
        ImageEmbedding e = embed("sam_vit_b@abc", 5);
        EmbeddingCache.Key key = new EmbeddingCache.Key("d1", "sam_vit_b@abc");
        new EmbeddingCache(1 << 20, dir, 1 << 30).put(key, e);

        EmbeddingCache reopened = new EmbeddingCache(1 << 20, dir, 1 << 30);
        ImageEmbedding back = reopened.get(key).orElseThrow();
        assertEquals(e.tensors(), back.tensors());
        assertEquals(e.originalWidth(), back.originalWidth());
        assertEquals(1, reopened.hits());
    }

    @Test
    void anotherModelNeverSeesTheEntryAndInvalidationRemovesIt() throws Exception {
        EmbeddingCache cache = new EmbeddingCache(1 << 20, dir, 1 << 30);
        EmbeddingCache.Key key = new EmbeddingCache.Key("d1", "model-A");
        cache.put(key, embed("model-A", 1));
        assertFalse(cache.get(new EmbeddingCache.Key("d1", "model-B")).isPresent());
        cache.invalidateModel("model-A");
        assertFalse(cache.get(key).isPresent());
        assertFalse(new EmbeddingCache(1 << 20, dir, 1 << 30).get(key).isPresent(), "disk entry must be gone too");
    }

    @Test
    void damagedDiskEntryIsAMissAndIsRemoved() throws Exception {
        EmbeddingCache.Key key = new EmbeddingCache.Key("d1", "m");
        EmbeddingCache cache = new EmbeddingCache(1 << 20, dir, 1 << 30);
        cache.put(key, embed("m", 1));
        Path file = cache.diskFile(key);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        EmbeddingCache fresh = new EmbeddingCache(1 << 20, dir, 1 << 30);
        assertFalse(fresh.get(key).isPresent());
        assertFalse(Files.exists(file));
    }

    @Test
    void diskStoreIsTrimmedToItsBound() throws Exception {
        long one = embed("m", 0).bytes();
        EmbeddingCache cache = new EmbeddingCache(1 << 20, dir, one * 2 + one / 2);
        for (int i = 0; i < 4; i++) {
            cache.put(new EmbeddingCache.Key("img" + i, "m"), embed("m", i));
            Thread.sleep(15); // distinct modification times
        }
        long files;
        try (var s = Files.walk(dir)) {
            files = s.filter(p -> p.toString().endsWith(".emb")).count();
        }
        assertEquals(2, files);
    }

    @Test
    void digestDependsOnPixelsAndSize() {
        assertEquals(ImageDigest.of(CountingEncoder.image(1)), ImageDigest.of(CountingEncoder.image(1)));
        assertNotEquals(ImageDigest.of(CountingEncoder.image(1)), ImageDigest.of(CountingEncoder.image(2)));
        int[] px = new int[48];
        assertNotEquals(ImageDigest.of(new org.robustsam.studio.image.RgbImage(8, 6, px)),
                ImageDigest.of(new org.robustsam.studio.image.RgbImage(6, 8, px)));
    }
}
