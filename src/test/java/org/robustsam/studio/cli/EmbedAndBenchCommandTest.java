package org.robustsam.studio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.robustsam.studio.model.mobilesam.MobileSamFixtures;
import org.robustsam.studio.model.robustsam.RobustSamFixtures;
import org.robustsam.studio.model.sam.RandomSam;
import org.robustsam.studio.model.sam.SamConfig;
import org.robustsam.studio.model.sam.SamFixtures;
import org.robustsam.studio.testutil.SharedData;
import picocli.CommandLine;

class EmbedAndBenchCommandTest {
    @TempDir
    Path dir;

    private record Result(int exit, String out, String err) {}

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new StudioCli());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void embedFillsTheDiskCacheAndASecondRunReusesIt() throws Exception {
        Path model = dir.resolve("tiny.safetensors");
        RandomSam.write(SamConfig.TINY, 3, model);
        Path photos = Files.createDirectory(dir.resolve("photos"));
        Path shared = SharedData.labelmeFolder();
        Files.copy(shared.resolve("2011_000003.jpg"), photos.resolve("a.jpg"));
        Files.copy(shared.resolve("2011_000025.jpg"), photos.resolve("b.jpg"));
        Files.createFile(photos.resolve("broken.jpg"));
        Path cache = dir.resolve("cache");

        Result first = run("embed", photos.toString(), "--checkpoint", model.toString(), "--cache-dir", cache.toString());
        assertEquals(1, first.exit(), "a broken photo makes the run report failure: " + first.err());
        assertTrue(first.out().startsWith("2 embedded, 0 already cached, 1 failed"), first.out());
        assertTrue(first.err().contains("broken.jpg: file is empty"), first.err());
        try (Stream<Path> files = Files.walk(cache)) {
            assertEquals(2, files.filter(p -> p.toString().endsWith(".emb")).count());
        }
        Result second = run("embed", photos.toString(), "--checkpoint", model.toString(), "--cache-dir", cache.toString());
        assertTrue(second.out().startsWith("0 embedded, 2 already cached"), second.out());
    }

    @Test
    void embedOfAMissingFolderSaysSo() {
        Result r = run("embed", dir.resolve("nope").toString(), "--checkpoint", dir.resolve("x.pth").toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("nope: folder does not exist"), r.err());
    }

    @Test
    void benchReportsJavaAndReferenceFiguresWithRatios() throws Exception {
        SamFixtures fx = SamFixtures.ensure("tiny"); // skips without Debian torch / shared reference
        Result r = run("bench", "--checkpoint", fx.checkpoint().toString(), "--model", "tiny", "--runs", "2",
                "--prompts", "10", "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals("sam_tiny", j.get("model").asText());
        assertTrue(j.get("java").get("encoder_seconds_median").asDouble() > 0);
        assertTrue(j.get("java").get("prompt_ms_p95").asDouble() >= j.get("java").get("prompt_ms_p50").asDouble());
        assertTrue(j.get("java").get("peak_rss_mb").asLong() > 0);
        assertTrue(j.get("reference").has("encoder_seconds_median"), j.get("reference").toString());
        double ratio = j.get("ratio_java_over_reference").get("encoder").asDouble();
        assertEquals(j.get("java").get("encoder_seconds_median").asDouble() / j.get("reference").get("encoder_seconds_median").asDouble(),
                ratio, 1e-9);
    }

    @Test
    void benchRefusesAFileOfAnotherSize() throws Exception {
        Path model = dir.resolve("tiny.safetensors");
        RandomSam.write(SamConfig.TINY, 3, model);
        Result r = run("bench", "--checkpoint", model.toString(), "--model", "vit_b", "--no-reference");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("is SAM tiny, not vit_b"), r.err());
    }

    @Test
    void benchReportsTheCostOverABaselineModelInTheSameRun() throws Exception {
        Path a = dir.resolve("a.safetensors");
        Path b = dir.resolve("b.safetensors");
        RandomSam.write(SamConfig.TINY, 1, a);
        RandomSam.write(SamConfig.TINY, 2, b);
        Result r = run("bench", "--checkpoint", a.toString(), "--baseline", b.toString(), "--runs", "2", "--prompts", "5",
                "--no-reference", "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals("sam_tiny", j.get("baseline").get("model").asText());
        assertEquals(j.get("java").get("encoder_seconds_median").asDouble() / j.get("baseline").get("encoder_seconds_median").asDouble(),
                j.get("ratio_over_baseline").get("encoder").asDouble(), 1e-9);
    }

    /**
     * Issue #5: RobustSAM's cost over the SAM it is built on, encoder and prompt-to-mask, in one run
     * (the fixture's sam_base_tiny.pth is the same weights without the RobustSAM modules), and the
     * reference RobustSAM on its robust path timed beside it.
     */
    @Test
    void benchOnRobustSamReportsItsOverheadOverSamAndTheRobustReference() throws Exception {
        var fx = RobustSamFixtures.ensure("tiny"); // skips without Debian torch / shared reference
        Result r = run("bench", "--checkpoint", fx.file("checkpoint").toString(), "--baseline",
                fx.file("sam_checkpoint").toString(), "--runs", "2", "--prompts", "4", "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals("robustsam_tiny", j.get("model").asText());
        assertEquals("sam_tiny", j.get("baseline").get("model").asText());
        JsonNode java = j.get("java");
        JsonNode base = j.get("baseline");
        JsonNode over = j.get("ratio_over_baseline");
        for (JsonNode n : new JsonNode[] {java, base}) {
            assertTrue(n.get("encoder_seconds_median").asDouble() > 0 && n.get("prompt_ms_p50").asDouble() > 0, n.toString());
        }
        assertEquals(java.get("encoder_seconds_median").asDouble() / base.get("encoder_seconds_median").asDouble(),
                over.get("encoder").asDouble(), 1e-9);
        assertEquals(java.get("prompt_ms_p50").asDouble() / base.get("prompt_ms_p50").asDouble(),
                over.get("prompt_p50").asDouble(), 1e-9);
        assertEquals(java.get("prompt_ms_p95").asDouble() / base.get("prompt_ms_p95").asDouble(),
                over.get("prompt_p95").asDouble(), 1e-9);
        for (int i = 0; i < 2; i++) { // interleaved runs, paired
            assertEquals(java.get("encoder_seconds").get(i).asDouble() / base.get("encoder_seconds").get(i).asDouble(),
                    over.get("encoder_per_run").get(i).asDouble(), 1e-9);
        }

        JsonNode ref = j.get("reference");
        assertFalse(ref.has("failed") || ref.has("skipped"), ref.toString());
        assertEquals("RobustSAM", ref.get("family").asText());
        assertTrue(ref.get("dir").asText().endsWith("robustsam"), ref.toString());
        assertTrue(ref.get("encoder_seconds_median").asDouble() > 0 && ref.get("prompt_ms_p50").asDouble() > 0, ref.toString());
        double side = ref.get("image_side_seconds_median").asDouble();
        assertTrue(side > 0, ref.toString());
        assertEquals(java.get("encoder_seconds_median").asDouble() / (ref.get("encoder_seconds_median").asDouble() + side),
                j.get("ratio_java_over_reference").get("encoder_with_image_side").asDouble(), 1e-9);
    }

    /** The MobileSAM fixture is a real-size TinyViT-5M (random weights): Java and reference encoder in one run. */
    @Test
    void benchOnMobileSamTimesTheMobileSamReference() throws Exception {
        var fx = MobileSamFixtures.ensure(); // skips without Debian torch / shared reference
        Result r = run("bench", "--checkpoint", fx.checkpoint().toString(), "--runs", "1", "--prompts", "3", "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals("mobile_sam", j.get("model").asText());
        JsonNode ref = j.get("reference");
        assertFalse(ref.has("failed") || ref.has("skipped"), ref.toString());
        assertEquals("MobileSAM", ref.get("family").asText());
        double javaEncoder = j.get("java").get("encoder_seconds_median").asDouble();
        double refEncoder = ref.get("encoder_seconds_median").asDouble();
        assertTrue(javaEncoder > 0 && refEncoder > 0 && ref.get("prompt_ms_p50").asDouble() > 0, j.toString());
        assertEquals(javaEncoder / refEncoder, j.get("ratio_java_over_reference").get("encoder").asDouble(), 1e-9);
        assertTrue(j.get("load_average").get("start").asText().matches("[0-9.]+ [0-9.]+ [0-9.]+|unknown"),
                j.get("load_average").toString());
    }

    /**
     * A reference that writes far more to stderr than a pipe holds (200 KB; Linux pipes hold 64 KB)
     * and fails: bench must neither hang nor lose the message, which is at the end.
     */
    @Test
    void referenceFloodingStderrFailsWithItsTailInsteadOfHanging() throws Exception {
        Path python = dir.resolve("flooding-python");
        Files.writeString(python, "#!/bin/sh\nhead -c 204800 /dev/zero | tr '\\0' x >&2\n"
                + "echo >&2\necho 'RuntimeError: the reference gave up' >&2\nexit 1\n");
        Files.setPosixFilePermissions(python, PosixFilePermissions.fromString("rwx------"));
        // bench hands only .pth files to the reference; the Java loader sniffs the format, not the name
        Path model = dir.resolve("tiny.pth");
        RandomSam.write(SamConfig.TINY, 3, model);
        Path refDir = Files.createDirectories(dir.resolve("reference/segment_anything")).getParent();
        Result r = assertTimeoutPreemptively(Duration.ofMinutes(3), () -> run("bench", "--checkpoint", model.toString(),
                "--runs", "1", "--prompts", "2", "--python", python.toString(), "--reference-dir", refDir.toString()));
        assertEquals(0, r.exit(), r.err());
        int at = r.out().indexOf("  reference: ");
        assertTrue(at > 0, r.out());
        String message = r.out().substring(at).strip();
        assertTrue(message.startsWith("reference: reference exited with 1: ...xxx")
                && message.endsWith("xxx\nRuntimeError: the reference gave up"), message);
        assertTrue(message.length() < 1100, "only the tail is kept: " + message.length() + " characters");
    }

    @Test
    void benchTimesAllFifteenDegradations() {
        Result r = run("bench", "--degradations");
        assertEquals(0, r.exit(), r.err());
        for (String id : new String[] {"snow", "fog", "rain", "gauss_noise", "iso_noise", "impulse_noise", "resampling_blur",
            "motion_blur", "zoom_blur", "color_jitter", "compression", "elastic_transform", "frosted_glass_blur",
            "brightness", "contrast"}) {
            assertTrue(r.out().contains(id), id + " missing from\n" + r.out());
        }
    }

    @Test
    void benchTimesTheAdvisor() {
        Result r = run("bench", "--assess");
        assertEquals(0, r.exit(), r.err());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Degradation advisor on 1024 x 1024, \\d+ cores: median ([0-9.]+) ms")
                .matcher(r.out());
        assertTrue(m.find(), r.out());
        assertTrue(Double.parseDouble(m.group(1)) > 0, r.out());
    }

    @Test
    void benchWithNothingToTimeSaysWhat() {
        Result r = run("bench");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--checkpoint"), r.err());
    }

    @Test
    void percentilesUseNearestRank() {
        double[] v = {5, 1, 4, 2, 3};
        assertEquals(3, BenchCommand.median(v));
        assertEquals(5, BenchCommand.percentile(v, 95));
        assertEquals(1, BenchCommand.percentile(v, 1));
    }
}
