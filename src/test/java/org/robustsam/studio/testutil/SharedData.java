package org.robustsam.studio.testutil;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates ../shared (beside the project); tests that need it skip with a clear message when absent. */
public final class SharedData {
    private SharedData() {}

    public static Path sharedDir() {
        String prop = System.getProperty("studio.shared.dir");
        return prop != null ? Path.of(prop).toAbsolutePath().normalize() : Path.of("..", "shared").toAbsolutePath().normalize();
    }

    /** The three LabelMe-annotated VOC photos; skips the calling test if the folder is missing. */
    public static Path labelmeFolder() {
        Path dir = sharedDir().resolve("data").resolve("labelme");
        assumeTrue(Files.isDirectory(dir), "skipped: shared test data not found at " + dir
                + " (put the shared/ folder beside the project, or set -Dstudio.shared.dir)");
        return dir;
    }
}
