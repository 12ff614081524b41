package org.robustsam.studio.hardening;

import static org.robustsam.studio.hardening.Colors.check;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.robustsam.studio.hardening.HardeningCase.EntryPoint;
import org.robustsam.studio.train.TrainingConfig;
import org.robustsam.studio.train.TrainingConfigException;

/**
 * Fine-tuning job files with bad values and missing fields, each through {@link TrainingConfig#read}
 * (what {@code studio train} and the jobs panel call before anything runs). Every refusal names the
 * file and the field as a JSON path.
 */
final class JobConfigCorpus {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TEMPLATE = "{\"name\":\"street-fog\",\"data\":{\"source\":\"photos\",\"validationFraction\":0.2},"
            + "\"degradation\":{\"types\":[\"fog\",\"rain\"],\"severities\":[2,3]},\"prompts\":{\"box\":true,\"points\":3},"
            + "\"model\":{\"base\":\"sam_vit_b_01ec64.pth\"},\"optimizer\":{\"lr\":0.0001},\"epochs\":2,\"seed\":7}";

    private final Path dir;
    private final CaseList cases = new CaseList(EntryPoint.JOB_CONFIG, Duration.ofSeconds(20),
            Set.of(TrainingConfigException.class, CliRun.Refused.class));
    private int n;

    private JobConfigCorpus(Path dir) {
        this.dir = dir;
    }

    static List<HardeningCase> build(Path dir) throws Exception {
        JobConfigCorpus c = new JobConfigCorpus(Files.createDirectories(dir));
        c.all();
        return c.cases.cases();
    }

    private Path write(String text) throws IOException {
        Path f = dir.resolve("job-" + n++ + ".json");
        Files.writeString(f, text);
        return f;
    }

    private void rejects(String what, String text, String field) throws IOException {
        Path f = write(text);
        cases.rejects(what, f, field, List.of(f), () -> TrainingConfig.read(f));
    }

    private void rejectsEdit(String what, Consumer<ObjectNode> change, String field) throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(TEMPLATE);
        change.accept(root);
        rejects(what, JSON.writeValueAsString(root), field);
    }

    private static ObjectNode at(ObjectNode root, String name) {
        return (ObjectNode) root.get(name);
    }

    private static BigDecimal huge() {
        return new BigDecimal("1e400"); // parses as Infinity
    }

    private void all() throws IOException {
        Path good = write(TEMPLATE);
        cases.handles("a valid job (control)", List.of(good), () -> {
            TrainingConfig c = TrainingConfig.read(good);
            check(c.epochs == 2 && c.optimizer.lr == 1e-4 && c.degradation.severities.equals(List.of(2, 3)), "values read");
        });
        rejects("zero bytes", "", "(top level)");
        rejects("not JSON", "{\"name\": ", "(syntax)");
        rejects("a JSON list", "[]", "(top level)");
        rejects("JSON null", "null", "(top level)");
        rejectsEdit("an unknown field", r -> r.put("learningRate", 0.1), "learningRate");
        rejectsEdit("data missing", r -> r.remove("data"), "data.source");
        rejectsEdit("data null", r -> r.putNull("data"), "data");
        rejectsEdit("data.source missing", r -> at(r, "data").remove("source"), "data.source");
        rejectsEdit("model.base missing", r -> at(r, "model").remove("base"), "model.base");
        rejectsEdit("name empty", r -> r.put("name", " "), "name");
        rejectsEdit("data.format 'xml'", r -> at(r, "data").put("format", "xml"), "data.format");
        rejectsEdit("data.validationFraction 1", r -> at(r, "data").put("validationFraction", 1), "data.validationFraction");
        rejectsEdit("data.maxSide 10", r -> at(r, "data").put("maxSide", 10), "data.maxSide");
        rejectsEdit("data.maxSide as text", r -> at(r, "data").put("maxSide", "big"), "data.maxSide");
        rejectsEdit("degradation.types empty", r -> at(r, "degradation").putArray("types"), "degradation.types");
        rejectsEdit("degradation.types unknown", r -> at(r, "degradation").putArray("types").add("lava"), "degradation.types[0]");
        rejectsEdit("degradation.types [null]", r -> at(r, "degradation").putArray("types").addNull(), "degradation.types[0]");
        rejectsEdit("degradation.severities [0]", r -> at(r, "degradation").putArray("severities").add(0), "degradation.severities[0]");
        rejectsEdit("degradation.severities [6]", r -> at(r, "degradation").putArray("severities").add(2).add(6),
                "degradation.severities[1]");
        rejectsEdit("degradation.severities [2.5]", r -> at(r, "degradation").putArray("severities").add(2.5), "degradation.severities");
        rejectsEdit("degradation.cleanFraction -0.5", r -> at(r, "degradation").put("cleanFraction", -0.5), "degradation.cleanFraction");
        rejectsEdit("prompts.points 100", r -> at(r, "prompts").put("points", 100), "prompts.points");
        rejectsEdit("no box and no points", r -> at(r, "prompts").put("box", false).put("points", 0), "prompts");
        rejectsEdit("prompts.mode 'some'", r -> at(r, "prompts").put("mode", "some"), "prompts.mode");
        rejectsEdit("optimizer.lr 0", r -> at(r, "optimizer").put("lr", 0), "optimizer.lr");
        rejectsEdit("optimizer.lr -1", r -> at(r, "optimizer").put("lr", -1), "optimizer.lr");
        rejectsEdit("optimizer.lr 1e400 (infinite)", r -> at(r, "optimizer").put("lr", huge()), "optimizer.lr");
        rejectsEdit("optimizer.eps 1e400 (infinite)", r -> at(r, "optimizer").put("eps", huge()), "optimizer.eps");
        rejectsEdit("optimizer.type 'sgd'", r -> at(r, "optimizer").put("type", "sgd"), "optimizer.type");
        rejectsEdit("optimizer.beta2 1", r -> at(r, "optimizer").put("beta2", 1), "optimizer.beta2");
        rejectsEdit("loss.diceSmooth 1e400 (infinite)", r -> r.putObject("loss").put("diceSmooth", huge()), "loss.diceSmooth");
        rejectsEdit("loss.focal -1", r -> r.putObject("loss").put("focal", -1), "loss.focal");
        rejectsEdit("every loss weight 0", r -> r.putObject("loss").put("groundTruthMask", 0).put("token", 0).put("embedding", 0),
                "loss");
        rejectsEdit("schedule 'step' without stepSize", r -> r.putObject("schedule").put("type", "step"), "schedule.stepSize");
        rejectsEdit("schedule.gamma 0", r -> r.putObject("schedule").put("gamma", 0), "schedule.gamma");
        rejectsEdit("schedule.warmupSteps -3", r -> r.putObject("schedule").put("warmupSteps", -3), "schedule.warmupSteps");
        rejectsEdit("gradClip -1", r -> r.put("gradClip", -1), "gradClip");
        rejectsEdit("gradClip 1e400 (infinite)", r -> r.put("gradClip", huge()), "gradClip");
        rejectsEdit("batchSize 0", r -> r.put("batchSize", 0), "batchSize");
        rejectsEdit("batchSize 1000", r -> r.put("batchSize", 1000), "batchSize");
        rejectsEdit("epochs 2.5 (not a whole number)", r -> r.put("epochs", 2.5), "epochs");
        rejectsEdit("epochs -1", r -> r.put("epochs", -1), "epochs");
        rejectsEdit("epochs 99999999999 (beyond an int)", r -> r.put("epochs", 99999999999L), "epochs");
        rejectsEdit("both epochs and steps", r -> r.put("steps", 100), "epochs");
        rejectsEdit("neither epochs nor steps", r -> r.remove("epochs"), "epochs");
        rejectsEdit("seed as text", r -> r.put("seed", "lucky"), "seed");
        rejectsEdit("seed 2^70", r -> r.put("seed", BigInteger.TWO.pow(70)), "seed");
        rejectsEdit("seed 1.5", r -> r.put("seed", 1.5), "seed");
        rejectsEdit("keepCheckpoints 0", r -> r.put("keepCheckpoints", 0), "keepCheckpoints");
        rejectsEdit("threads -2", r -> r.put("threads", -2), "threads");
        rejectsEdit("model.config 'vit_x'", r -> at(r, "model").put("config", "vit_x"), "model.config");
        rejectsEdit("prompts null", r -> r.putNull("prompts"), "prompts");
        Path missing = dir.resolve("no-such-job.json");
        cases.rejects("a job file that does not exist", missing, null, List.of(), () -> TrainingConfig.read(missing));
        Path folder = Files.createDirectories(dir.resolve("a-folder.json"));
        cases.rejects("a folder named like a job file", folder, null, List.of(), () -> TrainingConfig.read(folder));
        Path bad = write("{\"epochs\": \"many\"}");
        cases.rejects("studio train with a bad job file", bad, "epochs", List.of(bad),
                () -> CliRun.runOrRefuse("train", "--config", bad.toString(), "--quiet"));
        cases.rejects("studio train with a missing job file", missing, null, List.of(),
                () -> CliRun.runOrRefuse("train", "--config", missing.toString(), "--quiet"));
    }
}
