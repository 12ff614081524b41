package org.robustsam.studio.inference;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Image embeddings keyed by image content and model: an in-memory LRU bounded by bytes, backed by
 * an optional disk store so that reopening a project does not recompute. A model's entries live in
 * a folder named by its key, so changing the model (or its checkpoint file) never serves stale ones.
 *
 * <p>Thread-safe. A damaged disk entry is deleted and reported as a miss, never as an error.
 */
public final class EmbeddingCache {
    private static final Logger LOG = Logger.getLogger(EmbeddingCache.class.getName());
    private static final int MAGIC = 0x52534D45; // "RSME"
    private static final int FORMAT_VERSION = 1;

    /** What identifies one cached embedding. */
    public record Key(String imageDigest, String modelKey) {}

    private final long maxMemoryBytes;
    private final Path diskDir;
    private final long maxDiskBytes;
    private final LinkedHashMap<Key, ImageEmbedding> memory = new LinkedHashMap<>(16, 0.75f, true);
    private long memoryBytes;
    private long hits;
    private long misses;

    /**
     * @param maxMemoryBytes bound of the in-memory part (a ViT-B embedding is 4 MiB)
     * @param diskDir folder of the disk store, or null for memory only
     * @param maxDiskBytes bound of the disk store; the least recently written entries go first
     */
    public EmbeddingCache(long maxMemoryBytes, Path diskDir, long maxDiskBytes) {
        this.maxMemoryBytes = maxMemoryBytes;
        this.diskDir = diskDir;
        this.maxDiskBytes = maxDiskBytes;
    }

    public static EmbeddingCache memoryOnly(long maxMemoryBytes) {
        return new EmbeddingCache(maxMemoryBytes, null, 0);
    }

    public Optional<ImageEmbedding> get(Key key) {
        synchronized (this) {
            ImageEmbedding e = memory.get(key);
            if (e != null) {
                hits++;
                return Optional.of(e);
            }
        }
        Optional<ImageEmbedding> fromDisk = readDisk(key);
        synchronized (this) {
            if (fromDisk.isPresent()) {
                hits++;
                putMemory(key, fromDisk.get());
            } else {
                misses++;
            }
        }
        return fromDisk;
    }

    public void put(Key key, ImageEmbedding embedding) {
        if (!embedding.modelKey().equals(key.modelKey())) {
            throw new IllegalArgumentException("embedding of model " + embedding.modelKey() + " stored under " + key.modelKey());
        }
        synchronized (this) {
            putMemory(key, embedding);
        }
        writeDisk(key, embedding);
    }

    /** Drops every entry of one model, in memory and on disk (e.g. when its checkpoint file changed). */
    public void invalidateModel(String modelKey) {
        synchronized (this) {
            Iterator<Map.Entry<Key, ImageEmbedding>> it = memory.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<Key, ImageEmbedding> e = it.next();
                if (e.getKey().modelKey().equals(modelKey)) {
                    memoryBytes -= e.getValue().bytes();
                    it.remove();
                }
            }
        }
        if (diskDir != null) {
            Path dir = diskDir.resolve(safeName(modelKey));
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        Files.deleteIfExists(f);
                    }
                    Files.deleteIfExists(dir);
                } catch (IOException e) {
                    LOG.log(Level.WARNING, "could not clear embedding cache folder " + dir, e);
                }
            }
        }
    }

    public synchronized long memoryBytes() {
        return memoryBytes;
    }

    public synchronized int memoryEntries() {
        return memory.size();
    }

    public synchronized long hits() {
        return hits;
    }

    public synchronized long misses() {
        return misses;
    }

    private void putMemory(Key key, ImageEmbedding embedding) {
        ImageEmbedding old = memory.put(key, embedding);
        if (old != null) {
            memoryBytes -= old.bytes();
        }
        memoryBytes += embedding.bytes();
        Iterator<Map.Entry<Key, ImageEmbedding>> it = memory.entrySet().iterator();
        while (memoryBytes > maxMemoryBytes && it.hasNext()) {
            Map.Entry<Key, ImageEmbedding> eldest = it.next();
            if (eldest.getKey().equals(key) && memory.size() == 1) {
                break; // keep the newest entry even if it alone exceeds the bound
            }
            memoryBytes -= eldest.getValue().bytes();
            it.remove();
        }
    }

    Path diskFile(Key key) {
        return diskDir.resolve(safeName(key.modelKey())).resolve(key.imageDigest() + ".emb");
    }

    private static String safeName(String s) {
        return s.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private Optional<ImageEmbedding> readDisk(Key key) {
        if (diskDir == null) {
            return Optional.empty();
        }
        Path file = diskFile(key);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            if (in.readInt() != MAGIC || in.readInt() != FORMAT_VERSION) {
                throw new IOException("not an embedding file of this version");
            }
            String model = in.readUTF();
            String digest = in.readUTF();
            if (!model.equals(key.modelKey()) || !digest.equals(key.imageDigest())) {
                throw new IOException("entry belongs to another image or model");
            }
            int w = in.readInt();
            int h = in.readInt();
            int count = in.readInt();
            if (count <= 0 || count > 64) {
                throw new IOException("implausible tensor count " + count);
            }
            Map<String, FloatTensor> tensors = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                int rank = in.readInt();
                if (rank < 0 || rank > 8) {
                    throw new IOException("implausible rank " + rank);
                }
                long[] shape = new long[rank];
                long n = 1;
                for (int d = 0; d < rank; d++) {
                    shape[d] = in.readLong();
                    n *= shape[d];
                }
                if (n < 0 || n > Integer.MAX_VALUE / 4) {
                    throw new IOException("implausible tensor size " + n);
                }
                tensors.put(name, new FloatTensor(shape, readFloats(in, (int) n)));
            }
            ImageEmbedding found = new ImageEmbedding(model, w, h, tensors);
            touch(file);
            return Optional.of(found);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.INFO, "discarding damaged embedding cache entry " + file + ": " + e);
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // A later write replaces it.
            }
            return Optional.empty();
        }
    }

    /** Marks a disk entry as recently used, so trimming removes the ones unused longest. */
    private static void touch(Path file) {
        try {
            Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()));
        } catch (IOException ignored) {
            // Only affects which entry is trimmed first.
        }
    }

    private static float[] readFloats(InputStream in, int n) throws IOException {
        float[] out = new float[n];
        byte[] chunk = new byte[1 << 16];
        int done = 0;
        while (done < n) {
            int want = Math.min(chunk.length, (n - done) * 4);
            int got = in.readNBytes(chunk, 0, want);
            if (got < want) {
                throw new EOFException("embedding file ends early");
            }
            ByteBuffer.wrap(chunk, 0, got).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out, done, got / 4);
            done += got / 4;
        }
        return out;
    }

    private void writeDisk(Key key, ImageEmbedding embedding) {
        if (diskDir == null) {
            return;
        }
        Path file = diskFile(key);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp" + Thread.currentThread().getId());
        try {
            Files.createDirectories(file.getParent());
            try (OutputStream raw = Files.newOutputStream(tmp);
                 DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw, 1 << 16))) {
                out.writeInt(MAGIC);
                out.writeInt(FORMAT_VERSION);
                out.writeUTF(key.modelKey());
                out.writeUTF(key.imageDigest());
                out.writeInt(embedding.originalWidth());
                out.writeInt(embedding.originalHeight());
                out.writeInt(embedding.tensors().size());
                for (Map.Entry<String, FloatTensor> t : embedding.tensors().entrySet()) {
                    out.writeUTF(t.getKey());
                    out.writeInt(t.getValue().shape().length);
                    for (long d : t.getValue().shape()) {
                        out.writeLong(d);
                    }
                    org.robustsam.studio.model.checkpoint.SafetensorsWriter.writeFloats(out, t.getValue().data());
                }
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            trimDisk();
        } catch (IOException e) {
            // The cache is an optimisation: a full or read-only disk must not stop segmentation.
            LOG.log(Level.WARNING, "could not write embedding cache entry " + file + ": " + e.getMessage());
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // nothing more to do
            }
        }
    }

    private synchronized void trimDisk() throws IOException {
        if (maxDiskBytes <= 0) {
            return;
        }
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(diskDir, 2)) {
            walk.filter(p -> p.toString().endsWith(".emb")).forEach(files::add);
        }
        long total = 0;
        for (Path f : files) {
            total += Files.size(f);
        }
        if (total <= maxDiskBytes) {
            return;
        }
        files.sort(Comparator.comparing(p -> {
            try {
                return Files.getLastModifiedTime(p);
            } catch (IOException e) {
                return java.nio.file.attribute.FileTime.fromMillis(0);
            }
        }));
        for (Path f : files) {
            if (total <= maxDiskBytes) {
                break;
            }
            long size = Files.size(f);
            Files.deleteIfExists(f);
            total -= size;
        }
    }
}
