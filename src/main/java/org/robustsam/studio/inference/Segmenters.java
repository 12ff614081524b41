package org.robustsam.studio.inference;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import org.robustsam.studio.model.checkpoint.CheckpointException;
import org.robustsam.studio.model.registry.ModelIdentifier;
import org.robustsam.studio.model.registry.ModelIdentity;
import org.robustsam.studio.model.robustsam.RobustSam;
import org.robustsam.studio.model.sam.Sam;
import org.robustsam.studio.model.sam.SamConfig;

/** Opens any supported checkpoint as a {@link Segmenter}, choosing the network from the file's contents. */
public final class Segmenters {
    private Segmenters() {}

    public static Segmenter open(Path checkpoint) throws CheckpointException {
        ModelIdentity id = ModelIdentifier.identify(checkpoint);
        NDManager manager = Engines.pytorch().newBaseManager(Engines.preferredDevice());
        try {
            SegmenterBackend backend = switch (id.family()) {
                case "SAM" -> new SamBackend(Sam.load(SamConfig.named(id.size()), checkpoint, manager));
                case "RobustSAM" -> new RobustSamBackend(RobustSam.load(SamConfig.named(id.size()), checkpoint, manager));
                case "MobileSAM" -> new SamBackend(org.robustsam.studio.model.mobilesam.MobileSam.load(checkpoint, manager));
                default -> throw new CheckpointException(checkpoint, id.family() + " " + id.size()
                        + " checkpoints are recognised but cannot be run by this version yet");
            };
            return new ModelSegmenter(id.registryId(), ModelFingerprint.of(id.registryId(), checkpoint), backend, manager);
        } catch (CheckpointException | RuntimeException e) {
            manager.close();
            throw e;
        } catch (OutOfMemoryError e) {
            // the half-built model's native memory goes back at once; the app keeps running
            manager.close();
            throw new CheckpointException(checkpoint, "not enough memory to load this " + id.family() + " " + id.size()
                    + " model (" + e.getMessage() + "); close other models or start with a larger -Xmx", e);
        } catch (Error e) {
            manager.close();
            throw e;
        }
    }

    /** The per-user embedding cache folder ({@code $XDG_CACHE_HOME/robustsam-studio/embeddings}). */
    public static Path defaultCacheDir() {
        String override = System.getProperty("studio.cache.dir");
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("robustsam-studio").resolve("embeddings");
    }
}
