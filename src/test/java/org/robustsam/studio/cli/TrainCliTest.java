package org.robustsam.studio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code studio train}: listed in the help; a bad job file fails at once naming the field; resume without a checkpoint says so. */
class TrainCliTest {
    @TempDir
    Path tmp;

    private int run(StringWriter out, StringWriter err, String... args) {
        CommandLine cli = new CommandLine(new StudioCli());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void helpListsTrain() {
        StringWriter out = new StringWriter();
        run(out, new StringWriter(), "--help");
        assertTrue(out.toString().contains("train"), out.toString());
    }

    @Test
    void badJobFileNamesTheField() throws Exception {
        Path job = tmp.resolve("job.json");
        Files.writeString(job, "{\"data\": {\"source\": \"x\"}, \"model\": {\"base\": \"sam.pth\"}, \"steps\": 3,"
                + " \"optimizer\": {\"beta2\": 1.5}}");
        StringWriter err = new StringWriter();
        assertEquals(2, run(new StringWriter(), err, "train", "--config", job.toString()));
        assertTrue(err.toString().contains("optimizer.beta2"), err.toString());
    }

    @Test
    void resumeWithoutCheckpointFails() throws Exception {
        Path job = tmp.resolve("job.json");
        Files.writeString(job, "{\"data\": {\"source\": \"x\"}, \"model\": {\"base\": \"sam.pth\"}, \"steps\": 3}");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(1, run(out, err, "train", "--config", job.toString(), "--resume"));
        assertTrue(err.toString().contains("nothing to resume"), err.toString());
        assertTrue(out.toString().contains("\"event\":\"error\""), out.toString());
    }
}
