package org.robustsam.studio.train;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.robustsam.studio.model.sam.SamFixtures;
import org.robustsam.studio.testutil.SharedData;

/**
 * Reference outputs of src/test/python/make_train_fixtures.py (which borrows helpers from the SAM
 * and RobustSAM fixture scripts) under target/fixtures/train, regenerated when a script changes;
 * the calling test is skipped where Debian's python3 with torch or the reference sources are missing.
 * Read through the shared {@link SamFixtures} accessors.
 */
final class TrainFixtures {
    static final Path PYTHON = Path.of("/usr/bin/python3");

    private TrainFixtures() {}

    static Path projectDir() {
        return Path.of(System.getProperty("studio.project.dir", ".")).toAbsolutePath();
    }

    static void assumePython() throws IOException, InterruptedException {
        Path reference = SharedData.sharedDir().resolve("reference/robustsam/robust_segment_anything");
        assumeTrue(Files.isExecutable(PYTHON), "SKIPPED: " + PYTHON + " not found (apt-get install python3-torch)");
        assumeTrue(Files.isDirectory(reference), "SKIPPED: RobustSAM reference sources not found at " + reference);
        assumeTrue(run(List.of(PYTHON.toString(), "-c", "import torch, numpy"), null) == 0,
                "SKIPPED: " + PYTHON + " cannot import torch/numpy (apt-get install python3-torch)");
    }

    static synchronized SamFixtures ensure() throws IOException, InterruptedException {
        Path scripts = projectDir().resolve("src/test/python");
        Path dir = projectDir().resolve("target/fixtures/train");
        StringBuilder stamp = new StringBuilder();
        for (String s : List.of("make_train_fixtures.py", "make_robustsam_fixtures.py", "make_sam_fixtures.py")) {
            stamp.append(SamFixtures.sha256(Files.readAllBytes(scripts.resolve(s)))).append(' ');
        }
        Path stampFile = dir.resolve("stamp");
        Path manifestFile = dir.resolve("manifest.json");
        boolean fresh = Files.exists(manifestFile) && Files.exists(stampFile)
                && Files.readString(stampFile).equals(stamp.toString());
        if (!fresh) {
            assumePython();
            Files.createDirectories(dir);
            Files.deleteIfExists(stampFile);
            int rc = run(List.of(PYTHON.toString(), scripts.resolve("make_train_fixtures.py").toString(), dir.toString(),
                    SharedData.sharedDir().toString()), dir.resolve("make.log"));
            if (rc != 0) {
                throw new IOException("fixture script failed (exit " + rc + "):\n" + Files.readString(dir.resolve("make.log")));
            }
            Files.writeString(stampFile, stamp.toString());
        }
        return SamFixtures.read(dir);
    }

    /** Runs a command, output to {@code log} (or discarded); the exit code, -1 on a 10-minute timeout. */
    static int run(List<String> cmd, Path log) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.redirectOutput(log == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.to(log.toFile()));
        Process p = pb.start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
