package org.robustsam.studio.cli;

import static org.robustsam.studio.cli.CliRun.studio;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.robustsam.studio.model.sam.RandomSam;
import org.robustsam.studio.model.sam.SamConfig;

/**
 * {@code studio bench --train}: training steps per second of the tiny RobustSAM (random weights, or
 * a given checkpoint), as text and JSON, with the device. No timing is asserted, only that the
 * figures are there, positive and consistent.
 */
class BenchTrainCommandTest {
    @TempDir
    Path dir;

    @Test
    void printsAPositiveStepsPerSecondForTheTinyModel() {
        CliRun r = studio("bench", "--train", "--model", "tiny", "--steps", "2", "--runs", "1", "--warmup", "0");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("training RobustSAM tiny on cpu()"), r.out());
        Matcher m = Pattern.compile("(\\d+\\.\\d+) steps/s \\((\\d+\\.\\d+) s per step\\): median of 1 runs of 2 steps")
                .matcher(r.out());
        assertTrue(m.find(), r.out());
        assertTrue(Double.parseDouble(m.group(1)) > 0, r.out());
    }

    @Test
    void jsonGivesEveryRunTheirMedianAndTheDeviceAndTakesACheckpoint() throws Exception {
        Path sam = dir.resolve("sam_tiny.safetensors");
        RandomSam.write(SamConfig.TINY, 4, sam);
        CliRun r = studio("bench", "--train", "--checkpoint", sam.toString(), "--steps", "1", "--runs", "2", "--warmup", "0",
                "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals("train", j.get("mode").asText());
        assertEquals("robustsam_tiny", j.get("model").asText());
        assertEquals(sam.toString(), j.get("weights").asText());
        assertTrue(j.get("device").asText().startsWith("cpu()"), j.toString());
        assertEquals(1, j.get("steps_per_run").asInt());
        double[] runs = new ObjectMapper().convertValue(j.get("steps_per_second"), double[].class);
        assertEquals(2, runs.length);
        assertTrue(Arrays.stream(runs).allMatch(v -> v > 0), j.toString());
        assertEquals((runs[0] + runs[1]) / 2, j.get("steps_per_second_median").asDouble(), 1e-12);
        assertEquals(1 / j.get("steps_per_second_median").asDouble(), j.get("seconds_per_step_median").asDouble(), 1e-12);
    }

    @Test
    void aCheckpointOfAnotherSizeOrAnUnknownSizeIsRefused() throws Exception {
        Path sam = dir.resolve("sam_tiny.safetensors");
        RandomSam.write(SamConfig.TINY, 4, sam);
        CliRun other = studio("bench", "--train", "--checkpoint", sam.toString(), "--model", "vit_b");
        assertEquals(2, other.exit());
        assertTrue(other.err().contains("is SAM tiny, not vit_b"), other.err());
        CliRun unknown = studio("bench", "--train", "--model", "vit_x");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("--model") && unknown.err().contains("vit_x"), unknown.err());
    }
}
