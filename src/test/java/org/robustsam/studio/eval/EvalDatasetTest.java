package org.robustsam.studio.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.robustsam.studio.annotate.mask.BinaryMask;
import org.robustsam.studio.inference.Prompt;
import org.robustsam.studio.testutil.SharedData;

/** Datasets read for evaluation (LabelMe, COCO) and the ground truth matched to a prompt. */
class EvalDatasetTest {
    @TempDir
    Path tmp;

    private static List<EvalIssue.Kind> kinds(EvalDataset d) {
        return d.issues().stream().map(EvalIssue::kind).toList();
    }

    @Test
    void theSharedLabelMeFolder() throws Exception {
        EvalDataset d = EvalDataset.load(SharedData.labelmeFolder());
        assertEquals(List.of("2011_000003.jpg", "2011_000006.jpg", "2011_000025.jpg"), d.images().stream().map(EvalImage::name).toList());
        assertEquals(12, d.objectCount(), "3 + 6 + 3 instances (grouped shapes are one), ignore regions left out");
        assertEquals(2, kinds(d).stream().filter(k -> k == EvalIssue.Kind.IGNORED_REGION).count());
        EvalImage first = d.images().get(0);
        assertEquals(500, first.width());
        assertEquals(338, first.height());
        assertEquals(List.of(1, 2, 3), first.objects().stream().map(GroundTruthObject::index).toList());
        assertEquals("bottle", first.objects().get(2).label());
    }

    @Test
    void badAndMissingLabelMeFilesAreReportedOnce() throws Exception {
        Path shared = SharedData.labelmeFolder();
        for (String n : List.of("2011_000003.jpg", "2011_000003.json", "2011_000006.jpg", "2011_000025.jpg")) {
            Files.copy(shared.resolve(n), tmp.resolve(n));
        }
        Files.writeString(tmp.resolve("2011_000006.json"), "{\"shapes\": [ oops");
        EvalDataset d = EvalDataset.load(tmp);
        assertEquals(1, d.images().size());
        assertTrue(d.issues().contains(new EvalIssue(EvalIssue.Kind.BAD_ANNOTATION, "2011_000006.json", "not readable JSON; skipped")),
                d.issues().toString());
        assertTrue(d.issues().contains(new EvalIssue(EvalIssue.Kind.NO_ANNOTATIONS, "2011_000025.jpg", "no LabelMe annotation file; skipped")));
        assertEquals(1, d.issues().stream().filter(i -> i.subject().startsWith("2011_000006")).count(), "not also 'no annotation'");

        Files.delete(tmp.resolve("2011_000003.json"));
        EvalException e = assertThrows(EvalException.class, () -> EvalDataset.load(tmp));
        assertTrue(e.getMessage().contains("nothing to evaluate"), e.getMessage());
    }

    @Test
    void aCocoFileWithAnImageWithoutAnnotations() throws Exception {
        Path shared = SharedData.labelmeFolder();
        Files.copy(shared.resolve("2011_000003.jpg"), tmp.resolve("a.jpg"));
        Files.copy(shared.resolve("2011_000025.jpg"), tmp.resolve("b.jpg"));
        Files.writeString(tmp.resolve("coco.json"), """
                {"images": [{"id": 1, "file_name": "a.jpg", "width": 500, "height": 338},
                            {"id": 2, "file_name": "b.jpg", "width": 500, "height": 375}],
                 "categories": [{"id": 7, "name": "thing"}],
                 "annotations": [
                   {"id": 1, "image_id": 1, "category_id": 7, "segmentation": [[10, 10, 60, 10, 60, 50, 10, 50]], "iscrowd": 0},
                   {"id": 2, "image_id": 1, "category_id": 7, "segmentation": [[100.2, 100.2, 100.4, 100.2, 100.4, 100.4]], "iscrowd": 0},
                   {"id": 3, "image_id": 1, "category_id": 7, "segmentation": [[200, 200, 260, 200, 230, 250]], "iscrowd": 0}]}
                """);
        EvalDataset d = EvalDataset.load(tmp.resolve("coco.json"));
        assertEquals(1, d.images().size());
        assertEquals(2, d.objectCount());
        assertEquals(50 * 40, d.images().get(0).objects().get(0).mask().area());
        assertTrue(kinds(d).contains(EvalIssue.Kind.EMPTY_MASK), d.issues().toString());
        assertTrue(d.issues().contains(new EvalIssue(EvalIssue.Kind.NO_ANNOTATIONS, "b.jpg", "no objects to evaluate in coco.json; skipped")),
                d.issues().toString());
    }

    @Test
    void theGroundTruthUnderAPrompt() {
        // A group and a member inside it (nested masks): a click on the member means the member.
        BinaryMask group = EvalPromptsTest.rect(100, 100, 10, 10, 80, 60);
        BinaryMask member = EvalPromptsTest.rect(100, 100, 30, 20, 50, 50);
        Prompt onMember = Prompt.empty().withPoint(new Prompt.Point(40.5, 30.5, true));
        assertEquals(Optional.of(1), GroundTruthMatcher.match(List.of(group, member), onMember), "the smallest object holding the click");
        assertEquals(Optional.empty(), GroundTruthMatcher.match(List.of(group, member), Prompt.empty().withPoint(new Prompt.Point(95, 95, true))));

        // Disjoint instances (a sofa around a person): a negative click on the person keeps the sofa.
        BinaryMask sofa = group.copy();
        sofa.andNot(member);
        Prompt onSofa = Prompt.empty().withPoint(new Prompt.Point(15.5, 15.5, true));
        assertEquals(Optional.of(0), GroundTruthMatcher.match(List.of(sofa, member), onSofa.withPoint(new Prompt.Point(40.5, 30.5, false))));
        assertEquals(Optional.empty(), GroundTruthMatcher.match(List.of(sofa, member), onMember.withPoint(new Prompt.Point(41.5, 31.5, false))),
                "no object holds the click without the negative one");

        Prompt box = Prompt.empty().withBox(new Prompt.Box(29, 19, 52, 50));
        assertEquals(Optional.of(1), GroundTruthMatcher.match(List.of(group, member), box), "box IoU with the member's box");
        assertEquals(Optional.empty(), GroundTruthMatcher.match(List.of(group, member), Prompt.empty().withBox(new Prompt.Box(0, 0, 5, 5))));
    }
}
