package org.robustsam.studio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
