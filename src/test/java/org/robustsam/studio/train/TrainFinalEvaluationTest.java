package org.robustsam.studio.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.robustsam.studio.eval.BoundaryTolerance;
import org.robustsam.studio.eval.EvalDataset;
import org.robustsam.studio.eval.EvalImage;
import org.robustsam.studio.eval.EvalJob;
import org.robustsam.studio.eval.EvalMetric;
import org.robustsam.studio.eval.EvalModel;
import org.robustsam.studio.eval.EvalSettings;
import org.robustsam.studio.eval.EvalTable;
import org.robustsam.studio.eval.GroundTruthObject;
import org.robustsam.studio.eval.PointRule;
import org.robustsam.studio.eval.PromptType;
import org.robustsam.studio.inference.Engines;
import org.robustsam.studio.inference.Segmenters;
import org.robustsam.studio.model.manager.ModelStore;
import org.robustsam.studio.model.registry.ModelIdentifier;
import org.robustsam.studio.model.registry.ModelRegistry;
import org.robustsam.studio.model.robustsam.RobustSam;
import org.robustsam.studio.model.sam.RandomSam;
import org.robustsam.studio.model.sam.SamConfig;
import org.robustsam.studio.model.sam.SamModule;
import org.robustsam.studio.testutil.SharedData;

/**
 * The closing before/after evaluation of a job is the eval package's: a tiny job on
 * ../shared/data/labelme (one photo held out) ends with a table of SAM, RobustSAM before and
 * RobustSAM after, on clean and degraded copies, box and point prompts; its numbers equal those of
 * {@link EvalJob} run here, independently, on the same checkpoints and the held-out photo read with
 * {@link EvalDataset}. The "before" checkpoint holds the job's starting weights. A second job that
 * continues from the first one's model (a RobustSAM base) evaluates the SAM part of that base as the
 * teacher (written as a plain SAM file) and the base itself as "before": its SAM and "before"
 * columns equal the first job's SAM and "after" columns.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrainFinalEvaluationTest {
    static final List<String> LABELS = List.of("person", "bottle", "chair", "sofa", "bus", "car");
    static final List<String> DEGRADATIONS = List.of("fog", "gauss_noise");
    static final long SEED = 3;

    Path dir;
    Path sam;
    Path config;
    TrainingConfig job;
    Trainer.Result result;
    final List<TrainingEvent> events = new ArrayList<>();

    @BeforeAll
    void train() throws Exception {
        dir = TrainFixtures.projectDir().resolve("target/train-final-eval");
        CheckpointStore.deleteTree(dir);
        Files.createDirectories(dir);
        sam = dir.resolve("sam_tiny_random.safetensors");
        RandomSam.write(SamConfig.TINY, 11, sam);
        job = job("final-eval", sam.toString(), "run-1");
        config = dir.resolve("job.json");
        job.write(config);
        result = new Trainer(TrainingConfig.read(config), config, events::add).run(false);
    }

    private TrainingConfig job(String name, String base, String output) {
        TrainingConfig c = new TrainingConfig();
        c.name = name;
        c.output = output;
        c.data.source = SharedData.labelmeFolder().toString();
        c.data.maxSide = 96;
        c.data.validationFraction = 0.34; // one of the three photos
        c.data.labels = LABELS;
        c.degradation.types = DEGRADATIONS;
        c.model.base = base;
        c.optimizer.lr = 1e-3;
        c.steps = 3;
        c.seed = SEED;
        c.threads = 1;
        return c;
    }

    @Test
    void resultsHoldTheThreeModelTableWithCleanAndDegradedRows() throws Exception {
        EvaluationSummary e = result.evaluation();
        assertNotNull(e, "no closing evaluation; events: " + events);
        assertEquals(List.of("SAM", "RobustSAM before", "RobustSAM after"), e.models());
        for (String prompt : List.of("box", "point")) {
            for (String condition : List.of("fog", "gauss_noise", "clean", "average")) {
                EvaluationSummary.Row row = e.row(prompt, condition).orElseThrow(() -> new AssertionError(prompt + "/" + condition));
                assertTrue(row.count() > 0, row.toString());
                for (String m : e.models()) {
                    double iou = row.iou().get(m);
                    double dice = row.dice().get(m);
                    assertTrue(iou >= 0 && iou <= 1 && dice >= iou - 1e-12 && dice <= 1, row.toString());
                }
            }
        }
        Path folder = Path.of(e.folder());
        assertEquals(result.model().getParent().resolve("eval"), folder);
        for (String f : List.of("cases.csv", "table.md", "table.html")) {
            assertTrue(Files.isRegularFile(folder.resolve(f)), f);
        }
        assertTrue(Files.readString(folder.resolve("table.md")).contains("RobustSAM after IoU"));
        assertEquals(result.model().toString(), e.checkpoints().get("RobustSAM after"));
        assertEquals(sam.toString(), e.checkpoints().get("SAM"));

        // The same in results.json and in the done event.
        JsonNode results = new ObjectMapper().readTree(result.model().getParent().resolve(Trainer.RESULTS_FILE).toFile());
        EvaluationSummary fromFile = new ObjectMapper().treeToValue(results.get("evaluation"), EvaluationSummary.class);
        assertEquals(e, fromFile);
        TrainingEvent done = events.get(events.size() - 1);
        assertTrue(done.is(TrainingEvent.DONE));
        assertEquals(e, TrainingEvent.parse(done.toJson()).orElseThrow().evaluation());
        assertTrue(events.stream().anyMatch(ev -> ev.is(TrainingEvent.EVALUATING) && ev.casesDone().equals(ev.casesTotal())));
        System.out.println("[train final eval]\n" + e.table());
    }

    @Test
    void numbersEqualTheEvalPackageRunDirectlyOnTheSameCheckpointsAndPhotos() throws Exception {
        EvaluationSummary e = result.evaluation();
        // The held-out photo, read here as `studio eval` reads a LabelMe folder, with the job's labels.
        List<String> held = TrainingData.load(job.data, config).validationImageNames();
        JsonNode results = new ObjectMapper().readTree(result.model().getParent().resolve(Trainer.RESULTS_FILE).toFile());
        assertEquals(held, new ObjectMapper().convertValue(results.get("validationImages"), List.class));
        assertEquals(1, held.size());
        EvalDataset all = EvalDataset.load(SharedData.labelmeFolder());
        List<EvalImage> images = new ArrayList<>();
        for (EvalImage img : all.images()) {
            if (held.contains(img.name())) {
                List<GroundTruthObject> objects = img.objects().stream().filter(o -> LABELS.contains(o.label())).toList();
                images.add(new EvalImage(img.name(), img.file(), img.width(), img.height(), objects));
            }
        }
        EvalDataset validation = new EvalDataset(all.source(), images, List.of());

        Path before = Path.of(e.checkpoints().get("RobustSAM before"));
        assertStartingWeights(before);
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("SAM", sam);
        files.put("RobustSAM before", before);
        files.put("RobustSAM after", result.model());
        EvalSettings settings = new EvalSettings(DEGRADATIONS, true, 3, List.of(PromptType.BOX, PromptType.POINT),
                PointRule.CENTER, SEED, BoundaryTolerance.DAVIS, 0);
        List<EvalModel> models = new ArrayList<>();
        try {
            for (Map.Entry<String, Path> f : files.entrySet()) {
                models.add(new EvalModel(f.getKey(), Segmenters.open(f.getValue())));
            }
            EvalJob.Outcome direct = new EvalJob(ModelRegistry.bundled(), new ModelStore(dir.resolve("models")))
                    .run(validation, models, List.of(), settings, dir.resolve("direct-eval"), true, new EvalJob.Listener() { });
            int compared = 0;
            for (EvalTable.Section s : direct.report().table().sections()) {
                for (EvalTable.Row r : s.rows()) {
                    EvaluationSummary.Row mine = e.row(s.prompt().id(), r.id()).orElseThrow();
                    for (String m : files.keySet()) {
                        assertEquals(r.cell(m, EvalMetric.IOU).mean(), mine.iou().get(m), 1e-12, s.prompt() + " " + r.id() + " " + m);
                        assertEquals(r.cell(m, EvalMetric.DICE).mean(), mine.dice().get(m), 1e-12, s.prompt() + " " + r.id() + " " + m);
                        assertEquals(r.count(m), mine.count());
                        compared++;
                    }
                }
            }
            assertEquals(2 * 4 * 3, compared, "prompts x (2 degradations, clean, average) x models");
        } finally {
            models.forEach(m -> m.segmenter().close());
        }
    }

    /** The "before" file is SAM with the job's freshly initialised modules: what step 0 trained from. */
    private void assertStartingWeights(Path before) throws Exception {
        try (NDManager m = Engines.pytorch().newBaseManager();
             RobustSam written = RobustSam.load(SamConfig.TINY, before, m);
             RobustSam fresh = RobustSam.fromSamCheckpoint(SamConfig.TINY, sam, SEED, m)) {
            List<SamModule.Parameter> a = written.parameters();
            List<SamModule.Parameter> b = fresh.parameters();
            assertEquals(b.size(), a.size());
            for (int i = 0; i < a.size(); i++) {
                assertEquals(b.get(i).key(), a.get(i).key());
                assertArrayEquals(b.get(i).get().toFloatArray(), a.get(i).get().toFloatArray(), b.get(i).key());
            }
        }
    }

    @Test
    void aJobContinuingFromTheFirstEvaluatesItsBaseAsBeforeAndItsSamPartAsTheTeacher() throws Exception {
        TrainingConfig second = job("final-eval-continued", result.model().toString(), "run-2");
        second.steps = 1;
        Path config2 = dir.resolve("job2.json");
        second.write(config2);
        Trainer.Result r2 = new Trainer(TrainingConfig.read(config2), config2, ev -> { }).run(false);
        EvaluationSummary e2 = r2.evaluation();
        assertNotNull(e2);
        Path teacher = Path.of(e2.checkpoints().get("SAM"));
        assertEquals("sam-teacher.pth", teacher.getFileName().toString());
        assertEquals("SAM", ModelIdentifier.identify(teacher).family());
        assertEquals(result.model().toString(), e2.checkpoints().get("RobustSAM before"));
        assertFalse(Files.exists(Path.of(e2.folder()).resolve("robustsam-before.pth")));
        EvaluationSummary e1 = result.evaluation();
        for (EvaluationSummary.Row row : e2.rows()) {
            EvaluationSummary.Row first = e1.row(row.prompt(), row.condition()).orElseThrow();
            assertEquals(first.iou().get("SAM"), row.iou().get("SAM"), 0, row.title());
            assertEquals(first.iou().get("RobustSAM after"), row.iou().get("RobustSAM before"), 0, row.title());
            assertEquals(first.dice().get("RobustSAM after"), row.dice().get("RobustSAM before"), 0, row.title());
        }
    }
}
