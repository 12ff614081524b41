package org.robustsam.studio.annotate.edit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.robustsam.studio.annotate.project.ProjectFixtures.rect;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.robustsam.studio.annotate.mask.CocoRle;
import org.robustsam.studio.annotate.project.AnnotatedObject;
import org.robustsam.studio.annotate.project.ImageStatus;
import org.robustsam.studio.annotate.project.Label;
import org.robustsam.studio.annotate.project.Project;
import org.robustsam.studio.annotate.project.ProjectChange;
import org.robustsam.studio.annotate.project.ProjectFixtures;
import org.robustsam.studio.annotate.project.ProjectSnapshot;
import org.robustsam.studio.annotate.project.Prompts;

class AnnotUndoStackTest {
    private Project project;
    private UndoStack stack;
    private final List<ProjectChange> events = new ArrayList<>();

    @BeforeEach
    void setUp() {
        project = ProjectFixtures.twoImages(Path.of("/tmp/unused-project"));
        stack = new UndoStack(project);
        project.addListener(events::add);
    }

    /** Runs the command, checks undo restores the exact previous state and redo the exact new state. */
    private ProjectSnapshot roundTrip(EditCommand c) {
        ProjectSnapshot before = project.snapshot();
        stack.execute(c);
        ProjectSnapshot after = project.snapshot();
        assertTrue(stack.undo());
        assertEquals(before, project.snapshot(), "undo of " + c.description());
        assertTrue(stack.redo());
        assertEquals(after, project.snapshot(), "redo of " + c.description());
        return after;
    }

    @Test
    void addObjectUndoRemovesItRedoRestoresItWithTheSameId() {
        long id = project.allocateObjectId();
        AnnotatedObject obj = AnnotatedObject.manual(id, "dog", rect(20, 10, 5, 5, 9, 9));
        ProjectSnapshot after = roundTrip(new AddObjectCommand("sub/b.png", obj));
        assertEquals(List.of(3L, id), after.images().get(1).objects().stream().map(AnnotatedObject::id).toList());
        assertEquals(new ProjectChange.ObjectAdded("sub/b.png", 1, obj), events.get(0));
        assertEquals(new ProjectChange.ObjectRemoved("sub/b.png", 1, obj), events.get(1));
        assertEquals(3, events.size());
    }

    @Test
    void deleteUndoPutsTheObjectBackAtItsPlace() {
        ProjectSnapshot after = roundTrip(new DeleteObjectCommand("a.jpg", 1));
        assertEquals(List.of(2L), after.images().get(0).objects().stream().map(AnnotatedObject::id).toList());
        stack.undo();
        assertEquals(List.of(1L, 2L), project.image("a.jpg").orElseThrow().objects().stream().map(AnnotatedObject::id).toList());
    }

    @Test
    void relabelAndMaskChanges() {
        ProjectSnapshot relabelled = roundTrip(new RelabelObjectCommand("a.jpg", 1, "dog"));
        assertEquals("dog", relabelled.images().get(0).objects().get(0).label());

        CocoRle brushed = rect(40, 30, 2, 3, 20, 14);
        AnnotatedObject edited = roundTrip(ChangeMaskCommand.handEdit("a.jpg", 1, brushed)).images().get(0).objects().get(0);
        assertEquals(brushed, edited.mask());
        assertNull(edited.score(), "a hand edit drops the model's score");
        assertEquals("robustsam_vit_b", edited.modelId(), "and keeps where the mask came from");

        Prompts more = new Prompts(List.of(new Prompts.Point(1, 1, true)), null);
        AnnotatedObject refined = roundTrip(ChangeMaskCommand.prediction("a.jpg", 1, rect(40, 30, 0, 0, 4, 4), more, "sam_vit_b", 0.5))
                .images().get(0).objects().get(0);
        assertEquals(more, refined.prompts());
        assertEquals(0.5, refined.score());
        assertEquals(1, refined.id());
    }

    @Test
    void labelsCanBeAddedAndRenamedWithObjectsFollowing() {
        roundTrip(new AddLabelCommand(new Label("bird", "#000080")));
        assertEquals(List.of("cat", "dog", "bird"), project.labels().stream().map(Label::name).toList());
        ProjectSnapshot renamed = roundTrip(new RenameLabelCommand("cat", "kitten"));
        assertEquals("kitten", renamed.labels().get(0).name());
        assertEquals("#800000", renamed.labels().get(0).color());
        assertEquals("kitten", renamed.images().get(0).objects().get(0).label());
        assertEquals("kitten", renamed.images().get(1).objects().get(0).label());
        assertThrows(IllegalArgumentException.class, () -> stack.execute(new RenameLabelCommand("dog", "kitten")));
    }

    @Test
    void imageStatus() {
        assertEquals(ImageStatus.SKIPPED, roundTrip(new SetImageStatusCommand("sub/b.png", ImageStatus.SKIPPED)).images().get(1).status());
    }

    @Test
    void undoIsUnboundedAndANewEditClearsRedo() {
        ProjectSnapshot start = project.snapshot();
        for (int i = 0; i < 500; i++) {
            stack.execute(new SetImageStatusCommand("a.jpg", i % 2 == 0 ? ImageStatus.TODO : ImageStatus.DONE));
        }
        assertEquals(500, stack.undoSize());
        while (stack.undo()) {
            // all the way back
        }
        assertEquals(start, project.snapshot());
        assertTrue(stack.canRedo());
        stack.execute(new DeleteObjectCommand("a.jpg", 2));
        assertFalse(stack.canRedo());
        assertEquals("delete dog", stack.undoDescription().orElseThrow());
        assertFalse(stack.redo());
    }

    @Test
    void aFailingCommandLeavesNoTraceAndACompositeRollsBack() {
        long id = project.allocateObjectId();
        ProjectSnapshot before = project.snapshot();
        assertThrows(IllegalArgumentException.class, () -> stack.execute(new DeleteObjectCommand("a.jpg", 99)));
        assertFalse(stack.canUndo());
        EditCommand acceptWithNewLabel = new CompositeCommand("accept bird", List.of(
                new AddLabelCommand(new Label("bird", "#000080")),
                new AddObjectCommand("a.jpg", AnnotatedObject.manual(id, "bird", rect(40, 30, 0, 0, 3, 3))),
                new AddObjectCommand("a.jpg", AnnotatedObject.manual(id, "bird", rect(40, 30, 0, 0, 3, 3))))); // same id: fails
        assertThrows(IllegalArgumentException.class, () -> stack.execute(acceptWithNewLabel));
        assertEquals(before, project.snapshot());
        assertFalse(stack.canUndo());

        EditCommand ok = new CompositeCommand("accept bird", List.of(
                new AddLabelCommand(new Label("bird", "#000080")),
                new AddObjectCommand("a.jpg", AnnotatedObject.manual(id, "bird", rect(40, 30, 0, 0, 3, 3)))));
        roundTrip(ok);
        assertTrue(stack.undo());
        assertEquals(before, project.snapshot(), "one undo removes both the object and its new label");
    }

    @Test
    void anAddedImageIsRemovedByUndoButAnImageWithObjectsIsNot() {
        ProjectSnapshot before = project.snapshot();
        long id = project.allocateObjectId();
        EditCommand importLike = new CompositeCommand("import", List.of(
                new AddImageCommand("sub/c.png", 30, 20),
                new AddObjectCommand("sub/c.png", AnnotatedObject.manual(id, "dog", rect(30, 20, 1, 1, 6, 6)))));
        stack.execute(importLike);
        assertEquals(List.of("a.jpg", "sub/b.png", "sub/c.png"), project.images().stream().map(i -> i.path()).toList());
        assertTrue(stack.undo());
        ProjectSnapshot undone = project.snapshot();
        assertEquals(before.images(), undone.images(), "undo takes the object and then its image away");
        assertEquals(before.labels(), undone.labels());
        assertTrue(events.stream().anyMatch(e -> e instanceof ProjectChange.ImageRemoved r && r.image().path().equals("sub/c.png")));
        assertTrue(stack.redo());
        assertEquals(1, project.image("sub/c.png").orElseThrow().objects().size());
        assertEquals(id, project.image("sub/c.png").orElseThrow().objects().get(0).id(), "redo keeps the object's id");

        IllegalStateException busy = assertThrows(IllegalStateException.class, () -> project.removeImage("sub/c.png"));
        assertTrue(busy.getMessage().contains("sub/c.png still has 1 objects"), busy.getMessage());
        // A removed object's id stays taken by the index only while the object exists.
        stack.undo();
        project.addImage("sub/c.png", 30, 20);
        project.insertObject("sub/c.png", 0, AnnotatedObject.manual(id, "dog", rect(30, 20, 1, 1, 6, 6)));
        assertThrows(IllegalArgumentException.class,
                () -> project.insertObject("a.jpg", 0, AnnotatedObject.manual(id, "dog", rect(40, 30, 1, 1, 6, 6))));
    }

    @Test
    void projectRefusesInconsistentEdits() {
        long id = project.allocateObjectId();
        assertThrows(IllegalArgumentException.class, () -> project.insertObject("a.jpg", 0, AnnotatedObject.manual(id, "cow", rect(40, 30, 0, 0, 1, 1))));
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> project.insertObject("a.jpg", 0, AnnotatedObject.manual(id, "cat", rect(20, 10, 0, 0, 1, 1))));
        assertTrue(size.getMessage().contains("mask is 20x10 but image a.jpg is 40x30"), size.getMessage());
        IllegalStateException used = assertThrows(IllegalStateException.class, () -> project.removeLabel("cat"));
        assertTrue(used.getMessage().contains("still used"), used.getMessage());
    }
}
