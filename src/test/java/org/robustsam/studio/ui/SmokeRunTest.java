package org.robustsam.studio.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.robustsam.studio.Launcher;

/**
 * {@code Launcher --smoke} in a child JVM (JavaFX starts once per JVM), headless in Monocle: the
 * whole check passes with a generated tiny model, and a broken model gives exit 1 and a clear line.
 */
class SmokeRunTest {
    @TempDir
    Path tmp;

    private record Result(int code, String out, String err) {}

    private Result runSmoke(String... extraProperties) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-Dglass.platform=Monocle", "-Dmonocle.platform=Headless", "-Dprism.order=sw", "-Dprism.text=t2k",
                "-Djava.awt.headless=true", "-Dai.djl.offline=true", "-DPYTORCH_FLAVOR=" + System.getProperty("PYTORCH_FLAVOR", "cpu"),
                "-Djava.io.tmpdir=" + tmp, "-Dstudio.smoke.timeout.s=120"));
        cmd.addAll(List.of(extraProperties));
        cmd.addAll(List.of(Launcher.class.getName(), "--smoke"));
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("smoke did not end in 180 s: " + Files.readString(err));
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void smokeRunsOneClickThroughTheAppAndExitsZero() throws Exception {
        Result r = runSmoke();
        assertEquals(0, r.code(), r.out() + r.err());
        List<String> lines = r.out().lines().filter(l -> l.startsWith("smoke")).toList();
        assertEquals(1, lines.size(), r.out());
        String line = lines.get(0);
        assertTrue(line.startsWith("smoke OK: RobustSAM Studio"), line);
        assertTrue(line.contains("model sam_tiny (generated") && line.contains("street-rain.jpg 640×427")
                && line.contains("1 click → 3 masks"), line);
        try (var left = Files.list(tmp)) {
            assertTrue(left.noneMatch(f -> f.getFileName().toString().startsWith("robustsam-smoke")), "its temp folder is removed");
        }
    }

    @Test
    void aBrokenModelFailsWithExitOneAndSaysWhy() throws Exception {
        Path broken = tmp.resolve("broken.safetensors");
        Files.writeString(broken, "not a checkpoint");
        Result r = runSmoke("-Dstudio.smoke.model=" + broken);
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.err().lines().anyMatch(l -> l.startsWith("smoke FAILED: ") && l.contains("broken.safetensors")), r.err());

        Result missing = runSmoke("-Dstudio.smoke.model=" + tmp.resolve("nowhere.safetensors"));
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("smoke FAILED: cannot prepare the check: the bundled smoke model"), missing.err());
    }
}
