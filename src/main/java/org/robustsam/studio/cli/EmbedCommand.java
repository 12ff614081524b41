package org.robustsam.studio.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.robustsam.studio.annotate.FolderException;
import org.robustsam.studio.annotate.PhotoEntry;
import org.robustsam.studio.annotate.PhotoFolder;
import org.robustsam.studio.image.ImageLoadException;
import org.robustsam.studio.image.ImageLoader;
import org.robustsam.studio.image.RgbImage;
import org.robustsam.studio.inference.EmbeddingCache;
import org.robustsam.studio.inference.ImageDigest;
import org.robustsam.studio.inference.InferenceException;
import org.robustsam.studio.inference.Segmenter;
import org.robustsam.studio.inference.Segmenters;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code studio embed}: precomputes the image embeddings of a folder into the disk cache the app
 * reads, so opening those photos later gives masks at the first click.
 */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = "Precompute image embeddings of a folder into the embedding cache.")
final class EmbedCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FOLDER", description = "Folder of photos.")
    Path folder;

    @Option(names = "--checkpoint", required = true, description = "Model checkpoint (.pth or .safetensors).")
    Path checkpoint;

    @Option(names = "--cache-dir", description = "Embedding cache folder (default: the app's per-user cache).")
    Path cacheDir;

    @Option(names = "--max-cache-gb", defaultValue = "20", description = "Disk bound of the cache (default ${DEFAULT-VALUE} GB).")
    double maxCacheGb;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<PhotoEntry> photos;
        try {
            photos = PhotoFolder.scan(folder).entries();
        } catch (FolderException e) {
            err.println("studio embed: " + e.getMessage());
            return 2;
        }
        if (photos.isEmpty()) {
            err.println("studio embed: no photos (jpg, png, tiff, webp, bmp) in " + folder);
            return 2;
        }
        Path dir = cacheDir != null ? cacheDir : Segmenters.defaultCacheDir();
        EmbeddingCache cache = new EmbeddingCache(256L << 20, dir, (long) (maxCacheGb * (1L << 30)));
        ImageLoader loader = new ImageLoader();
        int computed = 0;
        int reused = 0;
        List<String> failures = new ArrayList<>();
        ProgressBar bar = new ProgressBar(err, "embedding");
        try (Segmenter segmenter = Segmenters.open(checkpoint)) {
            for (int i = 0; i < photos.size(); i++) {
                PhotoEntry photo = photos.get(i);
                bar.update(i, photos.size());
                try {
                    RgbImage image = loader.load(photo.path());
                    EmbeddingCache.Key key = new EmbeddingCache.Key(ImageDigest.of(image), segmenter.modelKey());
                    if (cache.get(key).isPresent()) {
                        reused++;
                    } else {
                        cache.put(key, segmenter.encode(image));
                        computed++;
                    }
                } catch (ImageLoadException | InferenceException e) {
                    failures.add(e.getMessage());
                }
            }
            bar.update(photos.size(), photos.size());
        }
        failures.forEach(f -> err.println("  skipped " + f));
        out.printf("%d embedded, %d already cached, %d failed; cache: %s%n", computed, reused, failures.size(), dir);
        out.flush();
        return failures.isEmpty() ? 0 : 1;
    }
}
