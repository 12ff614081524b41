package org.robustsam.studio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.robustsam.studio.model.manager.ModelStore;
import org.robustsam.studio.model.manager.NamedModel;
import org.robustsam.studio.model.sam.RandomSam;
import org.robustsam.studio.model.sam.SamConfig;
import org.robustsam.studio.testutil.SharedData;
import org.robustsam.studio.train.TrainingConfig;
import picocli.CommandLine;

/**
 * {@code studio train}: listed in the help; a bad job file fails at once naming the field; resume
 * without a checkpoint says so; a finished tiny job prints the before/after table and is added to
 * the model picker (or, with {@code --no-register}, says how to add it).
 */
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

    /** A tiny job on ../shared/data/labelme, one photo held out, one degradation, box prompts. */
    private Path tinyJob(String name, double validationFraction) throws Exception {
        Path sam = tmp.resolve("sam_tiny.safetensors");
        if (!Files.exists(sam)) {
            RandomSam.write(SamConfig.TINY, 9, sam);
        }
        TrainingConfig c = new TrainingConfig();
        c.name = name;
        c.data.source = SharedData.labelmeFolder().toString();
        c.data.maxSide = 96;
        c.data.validationFraction = validationFraction;
        c.data.labels = List.of("person", "bottle", "chair", "sofa", "bus", "car");
        c.degradation.types = List.of("rain");
        c.evaluation.prompts = List.of("box");
        c.model.base = sam.toString();
        c.steps = 1;
        c.threads = 1;
        Path job = tmp.resolve(name + ".json");
        c.write(job);
        return job;
    }

    @Test
    void aFinishedJobPrintsTheBeforeAfterTableAndIsAddedToTheModelPicker() throws Exception {
        Path job = tinyJob("cli-tiny", 0.34);
        Path models = tmp.resolve("models");
        String saved = System.getProperty("studio.models.dir");
        System.setProperty("studio.models.dir", models.toString());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        try {
            assertEquals(0, run(out, err, "train", "--config", job.toString(), "--quiet"), err.toString());
        } finally {
            if (saved == null) {
                System.clearProperty("studio.models.dir");
            } else {
                System.setProperty("studio.models.dir", saved);
            }
        }
        String e = err.toString();
        assertTrue(e.contains("before/after evaluation (report in " + tmp.resolve("cli-tiny-run").resolve("eval")), e);
        assertTrue(e.matches("(?s).*Box prompts\\s+n\\s+SAM\\s+RobustSAM before\\s+RobustSAM after.*"), e);
        assertTrue(e.matches("(?s).*\\nRain\\s+\\d+(\\s+\\d\\.\\d{4}){6}\\s*\\n.*"), e);
        assertTrue(e.matches("(?s).*\\nClean\\s+\\d+(\\s+\\d\\.\\d{4}){6}\\s*\\n.*"), e);
        List<NamedModel> named = new ModelStore(models).namedModels();
        assertEquals(1, named.size());
        assertTrue(named.get(0).name().startsWith("cli-tiny ("), named.get(0).name());
        assertEquals(tmp.resolve("cli-tiny-run/cli-tiny.pth").toAbsolutePath().normalize().toString(), named.get(0).file());
        assertTrue(e.contains("in the model picker as \"" + named.get(0).name() + "\""), e);
    }

    @Test
    void noRegisterLeavesTheModelsFolderAloneAndSaysHowToAddTheModel() throws Exception {
        Path job = tinyJob("cli-tiny-unlisted", 0);
        Path models = tmp.resolve("models-unused");
        String saved = System.getProperty("studio.models.dir");
        System.setProperty("studio.models.dir", models.toString());
        StringWriter err = new StringWriter();
        try {
            assertEquals(0, run(new StringWriter(), err, "train", "--config", job.toString(), "--quiet", "--no-register"),
                    err.toString());
        } finally {
            if (saved == null) {
                System.clearProperty("studio.models.dir");
            } else {
                System.setProperty("studio.models.dir", saved);
            }
        }
        assertTrue(err.toString().contains("studio models add --name \"cli-tiny-unlisted ("), err.toString());
        assertTrue(err.toString().contains("no validation photos, so no before/after evaluation"), err.toString());
        assertFalse(Files.exists(models));
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
