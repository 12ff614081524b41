package org.robustsam.studio.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.robustsam.studio.model.sam.RandomSam;
import org.robustsam.studio.model.sam.SamConfig;
import org.robustsam.studio.testutil.SharedData;

/**
 * A job run as its own JVM ({@link TrainingJobLauncher}) and killed with SIGKILL mid-epoch right
 * after a periodic checkpoint, then resumed, ends with the same losses as the same job run without
 * interruption: the resumed steps see the same examples, learning rates, weights, optimizer moments
 * and BatchNorm statistics. The reference recipe (mask loss on the ground truth) is used.
 */
class TrainResumeTest {
    static final int STEPS = 6;
    static final int KILL_AFTER_CHECKPOINT = 2;
    static final double TOLERANCE = 1e-4;

    @Test
    void killedJobResumesToTheSameFinalLoss() throws Exception {
        Path dir = TrainFixtures.projectDir().resolve("target/train-resume");
        CheckpointStore.deleteTree(dir);
        Files.createDirectories(dir);
        Path sam = dir.resolve("sam_tiny_random.safetensors");
        RandomSam.write(SamConfig.TINY, 9, sam);
        TrainingLauncherFixture launcher = new TrainingLauncherFixture();

        Path whole = job(dir, sam, "whole");
        Map<Integer, Double> uninterrupted = launcher.run(whole, false, -1).losses;
        assertEquals(STEPS, uninterrupted.size(), "uninterrupted run: " + uninterrupted);

        Path killed = job(dir, sam, "killed");
        TrainingLauncherFixture.Run first = launcher.run(killed, false, KILL_AFTER_CHECKPOINT);
        assertTrue(first.killed, "the job was killed");
        assertFalse(first.losses.containsKey(STEPS), "the killed run did not finish");
        assertTrue(first.losses.size() < STEPS);
        TrainingLauncherFixture.Run resumed = launcher.run(killed, true, -1);
        assertEquals(KILL_AFTER_CHECKPOINT, resumed.startStep, "resumed from the last checkpoint");
        Map<Integer, Double> combined = new TreeMap<>(first.losses);
        combined.putAll(resumed.losses);
        for (int step = 1; step <= STEPS; step++) {
            double a = uninterrupted.get(step);
            double b = combined.get(step);
            System.out.printf(Locale.ROOT, "[train resume] step %d: uninterrupted %.7f, killed+resumed %.7f%n", step, a, b);
            assertEquals(a, b, TOLERANCE * Math.abs(a), "loss of step " + step);
        }
        assertNotNull(resumed.done, "the resumed job finished");
    }

    private static Path job(Path dir, Path sam, String name) throws Exception {
        TrainingConfig c = new TrainingConfig();
        c.name = name;
        c.output = name;
        c.data.source = SharedData.labelmeFolder().toString();
        c.data.maxSide = 96;
        c.data.validationFraction = 0;
        c.data.labels = List.of("person", "bottle", "chair", "sofa", "bus", "car");
        c.model.base = sam.toString();
        c.optimizer.lr = 1e-3;
        c.steps = STEPS;
        c.checkpointEvery = KILL_AFTER_CHECKPOINT;
        c.seed = 11;
        c.threads = 1;
        Path config = dir.resolve(name + ".json");
        c.write(config);
        return config;
    }

    /** Runs jobs through the launcher and collects their step losses. */
    static final class TrainingLauncherFixture {
        final TrainingJobLauncher launcher = new TrainingJobLauncher(List.of("-Xmx2g"));

        static final class Run {
            final Map<Integer, Double> losses = new ConcurrentHashMap<>();
            final List<TrainingEvent> events = new CopyOnWriteArrayList<>();
            volatile int startStep = -1;
            volatile boolean killed;
            volatile TrainingEvent done;
        }

        /** Runs the job; with {@code killAtCheckpoint} > 0 kills it with SIGKILL once that checkpoint is reported. */
        Run run(Path config, boolean resume, int killAtCheckpoint) throws Exception {
            Run r = new Run();
            TrainingJobLauncher.Job[] job = new TrainingJobLauncher.Job[1];
            Object lock = new Object();
            synchronized (lock) {
                job[0] = launcher.start(config, resume, new TrainingJobLauncher.Listener() {
                    @Override
                    public void onEvent(TrainingEvent e) {
                        r.events.add(e);
                        if (e.is(TrainingEvent.START)) {
                            r.startStep = e.step();
                        } else if (e.is(TrainingEvent.STEP)) {
                            r.losses.put(e.step(), e.loss().total());
                        } else if (e.is(TrainingEvent.DONE)) {
                            r.done = e;
                        } else if (e.is(TrainingEvent.CHECKPOINT) && e.step() == killAtCheckpoint) {
                            synchronized (lock) {
                                r.killed = true;
                                job[0].kill();
                            }
                        }
                    }
                });
            }
            int code = job[0].waitFor(10, TimeUnit.MINUTES);
            if (!r.killed) {
                assertEquals(0, code, "job exit code; log:\n" + job[0].logTail(40) + "\nevents: " + r.events);
            } else {
                assertFalse(job[0].isAlive());
            }
            return r;
        }
    }
}
