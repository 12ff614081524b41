package org.robustsam.studio.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;
import org.robustsam.studio.hardening.HardeningCase.EntryPoint;

/**
 * The hardening suite (issue #11): a corpus of bad and extreme inputs generated here, for every
 * entry point, plus faults (kill -9, disk full, read-only folder, a model file deleted while in use,
 * a huge image in a small heap). Every case has a written expected outcome; the last test prints
 * {@code N inputs tried, N handled, 0 crashes, 0 lost} and fails on any crash, hang, silently wrong
 * result or lost user file.
 */
class HardeningSuiteTest {
    @TempDir
    Path dir;

    @TestFactory
    Stream<DynamicNode> hardening() throws Exception {
        long start = System.nanoTime();
        Map<EntryPoint, List<HardeningCase>> corpus = new LinkedHashMap<>();
        corpus.put(EntryPoint.IMAGE, ImageCorpus.build(dir.resolve("images")));
        corpus.put(EntryPoint.CHECKPOINT, CheckpointCorpus.build(dir.resolve("checkpoints")));
        corpus.put(EntryPoint.PROJECT, ProjectCorpus.build(dir.resolve("projects")));
        corpus.put(EntryPoint.IMPORT, ImportCorpus.build(dir.resolve("imports")));
        corpus.put(EntryPoint.EXPORT, ExportCorpus.build(dir.resolve("exports")));
        corpus.put(EntryPoint.JOB_CONFIG, JobConfigCorpus.build(dir.resolve("jobs")));
        corpus.put(EntryPoint.FAULT, FaultCases.build(dir.resolve("faults")));
        System.out.printf("[hardening] corpus generated in %.1f s%n", (System.nanoTime() - start) / 1e9);
        CaseRunner runner = new CaseRunner();
        List<DynamicNode> nodes = new ArrayList<>();
        corpus.forEach((entry, cases) -> nodes.add(DynamicContainer.dynamicContainer(entry.plural + " (" + cases.size() + ")",
                cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(runner.run(c)))))));
        nodes.add(DynamicTest.dynamicTest("summary", () -> summary(runner, start)));
        return nodes.stream();
    }

    private static void check(CaseRunner.Result r) {
        if (r.verdict() == CaseRunner.Verdict.SKIPPED) {
            throw new TestAbortedException(r.detail());
        }
        if (!r.good()) {
            fail(r.verdict() + ": " + r.hardeningCase() + ": " + r.detail());
        }
    }

    /** Every case with its verdict and message, for reading the messages users would see. */
    private static void writeReport(List<CaseRunner.Result> results) throws IOException {
        Path target = Path.of(System.getProperty("studio.project.dir", "."), "target");
        if (!Files.isDirectory(target)) {
            return;
        }
        StringBuilder s = new StringBuilder();
        for (CaseRunner.Result r : results) {
            s.append(String.format("%-8s %-10s %6d ms  %s%n         %s%n", r.verdict(), r.hardeningCase().entry(), r.millis(),
                    r.hardeningCase().name().replace("\n", "\\n"), r.detail().replace("\n", "\n         ")));
        }
        Files.writeString(target.resolve("hardening-report.txt"), s);
    }

    private static void summary(CaseRunner runner, long start) throws IOException {
        List<CaseRunner.Result> results = runner.results();
        runner.perEntryPoint().forEach((entry, n) -> System.out.printf("[hardening] %-14s %3d tried, %3d handled%s%n",
                entry.plural, n[0], n[1], n[2] > 0 ? ", " + n[2] + " skipped" : ""));
        String bad = results.stream().filter(r -> !r.good() && r.verdict() != CaseRunner.Verdict.SKIPPED)
                .map(r -> "  " + r.verdict() + " " + r.hardeningCase() + ": " + r.detail()).collect(Collectors.joining("\n"));
        results.stream().filter(r -> r.verdict() == CaseRunner.Verdict.SKIPPED)
                .forEach(r -> System.out.println("[hardening] skipped: " + r.hardeningCase() + ": " + r.detail()));
        System.out.printf("[hardening] %.1f s in all%n", (System.nanoTime() - start) / 1e9);
        writeReport(results);
        System.out.println(runner.summaryLine());
        long tried = results.stream().filter(r -> r.verdict() != CaseRunner.Verdict.SKIPPED).count();
        assertTrue(tried >= 200, "the corpus must hold at least 200 inputs, has " + tried);
        assertEquals("", bad, "cases that did not end as written down");
    }
}
