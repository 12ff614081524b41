package org.robustsam.studio.assess;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.robustsam.studio.image.ImageLoader;
import org.robustsam.studio.image.RgbImage;
import org.robustsam.studio.testutil.SyntheticScenes;
import org.robustsam.studio.testutil.SharedData;

/** The images the advisor is calibrated and checked on: the three shared photos (when there) and synthetic scenes. */
final class CalibrationImages {
    static final List<String> SHARED_PHOTOS = List.of("2011_000003.jpg", "2011_000006.jpg", "2011_000025.jpg");

    private CalibrationImages() {}

    /** The shared photos by file name; empty (with a note on stdout) when ../shared is absent. */
    static Map<String, RgbImage> sharedPhotos() throws Exception {
        Map<String, RgbImage> out = new LinkedHashMap<>();
        Path dir = SharedData.sharedDir().resolve("data").resolve("labelme");
        if (!Files.isDirectory(dir)) {
            System.out.println("[assess] shared photos not found at " + dir + ": synthetic images only");
            return out;
        }
        ImageLoader loader = new ImageLoader();
        for (String name : SHARED_PHOTOS) {
            out.put(name, loader.load(dir.resolve(name)));
        }
        return out;
    }

    /** Shared photos and two dead-leaves scenes (512 x 384 and 640 x 480). */
    static Map<String, RgbImage> calibrationSet() throws Exception {
        Map<String, RgbImage> out = sharedPhotos();
        out.put("dead-leaves-1", SyntheticScenes.deadLeaves(512, 384, 1));
        out.put("dead-leaves-2", SyntheticScenes.deadLeaves(640, 480, 2));
        return out;
    }
}
