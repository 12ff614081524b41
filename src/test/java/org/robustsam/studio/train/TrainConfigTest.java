package org.robustsam.studio.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Job files: defaults (the reference's loss weights), round trip, and bad values named by field. */
class TrainConfigTest {
    @TempDir
    Path tmp;

    private Path write(String json) throws Exception {
        Path f = tmp.resolve("job.json");
        Files.writeString(f, json);
        return f;
    }

    private TrainingConfigException bad(String json) {
        return assertThrows(TrainingConfigException.class, () -> TrainingConfig.read(write(json)));
    }

    @Test
    void defaultsAreTheReferenceRecipe() throws Exception {
        TrainingConfig c = TrainingConfig.read(write("{\"data\": {\"source\": \"d\"}, \"model\": {\"base\": \"sam.pth\"},"
                + " \"steps\": 10}"));
        assertEquals(20, c.loss.focal);
        assertEquals(1, c.loss.dice);
        assertEquals(2, c.loss.token);
        assertEquals(100, c.loss.embedding);
        assertEquals(2, c.loss.focalGamma);
        assertEquals(0.25, c.loss.focalAlpha);
        assertEquals(1, c.loss.groundTruthMask);
        assertEquals(0, c.loss.teacherMask);
        assertEquals(1.0, c.gradClip);
        assertEquals(1e-4, c.optimizer.lr);
        assertEquals(15, c.degradationIds().size());
        assertEquals(tmp.resolve("d").toAbsolutePath(), TrainingConfig.resolve(tmp.resolve("job.json"), c.data.source));
        assertEquals(tmp.resolve("job-run").toAbsolutePath(), c.outputFolder(tmp.resolve("job.json")));
    }

    @Test
    void roundTripKeepsEveryField() throws Exception {
        TrainingConfig c = new TrainingConfig();
        c.data.source = "photos";
        c.model.base = "sam.pth";
        c.epochs = 3;
        c.degradation.types = List.of("fog", "rain");
        c.degradation.severities = List.of(2, 4);
        c.optimizer.type = "adam";
        c.schedule.type = "step";
        c.schedule.stepSize = 5;
        Path f = tmp.resolve("saved.json");
        c.write(f);
        TrainingConfig back = TrainingConfig.read(f);
        assertEquals(List.of("fog", "rain"), back.degradationIds());
        assertEquals(List.of(2, 4), back.degradation.severities);
        assertEquals("adam", back.optimizer.type);
        assertEquals(5, back.schedule.stepSize);
        assertEquals(3, back.epochs);
    }

    @Test
    void badValuesNameTheirField() {
        String base = "\"data\": {\"source\": \"d\"}, \"model\": {\"base\": \"sam.pth\"}";
        assertEquals("optimizer.lr", bad("{" + base + ", \"steps\": 5, \"optimizer\": {\"lr\": -1}}").field());
        assertEquals("degradation.severities[1]",
                bad("{" + base + ", \"steps\": 5, \"degradation\": {\"severities\": [3, 9]}}").field());
        TrainingConfigException unknown = bad("{" + base + ", \"steps\": 5, \"degradation\": {\"types\": [\"smog\"]}}");
        assertEquals("degradation.types[0]", unknown.field());
        assertTrue(unknown.getMessage().contains("smog") && unknown.getMessage().contains("fog"), unknown.getMessage());
        assertEquals("epochs", bad("{" + base + "}").field());
        assertEquals("epochs", bad("{" + base + ", \"steps\": 5, \"epochs\": 2}").field());
        assertEquals("data.source", bad("{\"model\": {\"base\": \"sam.pth\"}, \"steps\": 5}").field());
        assertEquals("model.base", bad("{\"data\": {\"source\": \"d\"}, \"steps\": 5}").field());
        assertEquals("batchSize", bad("{" + base + ", \"steps\": 5, \"batchSize\": 0}").field());
        assertEquals("prompts.mode", bad("{" + base + ", \"steps\": 5, \"prompts\": {\"mode\": \"some\"}}").field());
        assertEquals("schedule.stepSize", bad("{" + base + ", \"steps\": 5, \"schedule\": {\"type\": \"step\"}}").field());
        assertEquals("model.config", bad("{\"data\": {\"source\": \"d\"}, \"model\": {\"base\": \"sam.pth\", "
                + "\"config\": \"vit_x\"}, \"steps\": 5}").field());
        assertEquals("optimizer.learningRate",
                bad("{" + base + ", \"steps\": 5, \"optimizer\": {\"learningRate\": 0.1}}").field());
        assertEquals("optimizer.lr", bad("{" + base + ", \"steps\": 5, \"optimizer\": {\"lr\": \"fast\"}}").field());
        assertEquals("(syntax)", bad("{" + base + ", \"steps\": 5").field());
        assertEquals("evaluation.severity", bad("{" + base + ", \"steps\": 5, \"evaluation\": {\"severity\": 6}}").field());
        assertEquals("evaluation.prompts[1]",
                bad("{" + base + ", \"steps\": 5, \"evaluation\": {\"prompts\": [\"box\", \"lasso\"]}}").field());
        TrainingConfigException e = bad("{" + base + ", \"steps\": 5, \"loss\": {\"dice\": -2}}");
        assertEquals("loss.dice", e.field());
        assertTrue(e.getMessage().contains("job.json") && e.getMessage().contains("-2"), e.getMessage());
    }

    @Test
    void scheduleIsAFunctionOfTheStep() {
        TrainingConfig.ScheduleConfig s = new TrainingConfig.ScheduleConfig();
        s.type = "cosine";
        s.warmupSteps = 2;
        s.minLrFactor = 0.1;
        LearningRateSchedule lr = new LearningRateSchedule(s, 1e-3, 12);
        assertEquals(0.5e-3, lr.at(0), 1e-12);
        assertEquals(1e-3, lr.at(2), 1e-12);
        assertEquals(1e-4, lr.at(11), 1e-12);
        assertTrue(lr.at(5) < lr.at(4));
        s.type = "step";
        s.warmupSteps = 0;
        s.stepSize = 4;
        s.gamma = 0.5;
        lr = new LearningRateSchedule(s, 1e-3, 12);
        assertEquals(1e-3, lr.at(3), 1e-12);
        assertEquals(0.5e-3, lr.at(4), 1e-12);
    }
}
