package org.robustsam.studio.model.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.robustsam.studio.model.checkpoint.CheckpointException;
import org.robustsam.studio.model.sam.RandomSam;
import org.robustsam.studio.model.sam.SamConfig;

/**
 * Checkpoints registered under names of their own (fine-tuning results): identified from their
 * contents, listed in order, one entry per file, unique names, and never deleted by "remove".
 */
class ModelStoreNamedTest {
    @TempDir
    Path tmp;

    @Test
    void namedModelsAreListedOncePerFileWithUniqueNamesAndRemovingOnlyForgetsThem() throws Exception {
        Path a = tmp.resolve("a.safetensors");
        Path b = tmp.resolve("elsewhere/b.safetensors");
        Files.createDirectories(b.getParent());
        RandomSam.write(SamConfig.TINY, 1, a);
        RandomSam.write(SamConfig.TINY, 2, b);
        ModelStore store = new ModelStore(tmp.resolve("models"));
        assertEquals(List.of(), store.namedModels());

        NamedModel first = store.addNamed("job (2025-01-05 14:03)", a);
        assertEquals("SAM", first.family());
        assertEquals("tiny", first.size());
        assertEquals(a.toAbsolutePath().toString(), first.file());
        NamedModel clash = store.addNamed("job (2025-01-05 14:03)", b);
        assertEquals("job (2025-01-05 14:03) (2)", clash.name(), "another file under a taken name");
        NamedModel again = store.addNamed("job (2025-01-06 09:00)", a);
        assertEquals(List.of("job (2025-01-05 14:03) (2)", "job (2025-01-06 09:00)"),
                store.namedModels().stream().map(NamedModel::name).toList(), "the same file again replaces its entry");

        // A fresh store on the same folder reads the same list (it is on disk).
        ModelStore reread = new ModelStore(tmp.resolve("models"));
        assertEquals(store.namedModels(), reread.namedModels());
        assertEquals(ModelState.READY, reread.stateOf(again.entry()));
        assertEquals(a.toAbsolutePath(), reread.fileOf(again.entry()));
        assertTrue(reread.isNamed(again.entry()) && reread.isLocal(again.entry()));

        assertEquals(0, reread.remove(again.entry()));
        assertTrue(Files.isRegularFile(a), "removing a named model never deletes its file");
        assertTrue(reread.named(again.name()).isEmpty());
        assertFalse(reread.forgetNamed(again.name()));
        assertEquals(1, reread.namedModels().size());

        Files.delete(b);
        assertEquals(ModelState.NOT_DOWNLOADED, reread.stateOf(clash.entry()), "its file is gone");
    }

    @Test
    void aFileThatIsNoCheckpointIsRefusedWithItsName() throws Exception {
        Path junk = tmp.resolve("notes.pth");
        Files.writeString(junk, "not a checkpoint");
        ModelStore store = new ModelStore(tmp.resolve("models"));
        CheckpointException e = assertThrows(CheckpointException.class, () -> store.addNamed("x", junk));
        assertTrue(e.getMessage().contains("notes.pth"), e.getMessage());
        assertEquals(List.of(), store.namedModels());
    }
}
