package org.robustsam.studio.model.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.robustsam.studio.inference.Engines;

/** torch.save files made by real torch, read back and compared value by value. */
class CheckpointTorchReaderTest {
    private static NDManager manager;

    @BeforeAll
    static void engine() {
        manager = Engines.pytorch().newBaseManager();
    }

    @AfterAll
    static void release() {
        manager.close();
    }

    private static void assertFileMatches(String file) throws Exception {
        Path dir = CheckpointFixtures.dir();
        try (NDManager scope = manager.newSubManager()) {
            Map<String, NDArray> tensors = TorchCheckpointReader.read(dir.resolve(file), scope);
            assertEquals(CheckpointFixtures.names(file), new ArrayList<>(tensors.keySet()), file + " names in order");
            for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
                CheckpointFixtures.assertTensor(file, e.getKey(), e.getValue());
            }
        }
    }

    @Test
    void readsEveryDtypeWithExactConversion() throws Exception {
        assertFileMatches("dtypes.pth");
    }

    @Test
    void readsNonContiguousViewsAndSharedStorages() throws Exception {
        assertFileMatches("views.pth");
    }

    @ParameterizedTest
    @ValueSource(strings = {"module.pth", "wrapped.pth", "stream.pt", "many.pth"})
    void readsModuleStateDictsPlainWrappedAndStreamSaved(String file) throws Exception {
        assertFileMatches(file);
    }

    @ParameterizedTest
    @ValueSource(strings = {"module.pth", "views.pth", "wrapped.pth"})
    void shapesWithoutWeightsMatchTheLoadedTensors(String name) throws Exception {
        Path file = CheckpointFixtures.dir().resolve(name);
        java.util.Map<String, long[]> shapes = StateDict.readShapes(file);
        try (StateDict sd = StateDict.load(file, manager)) {
            assertEquals(new java.util.ArrayList<>(sd.keys()), new java.util.ArrayList<>(shapes.keySet()));
            for (String k : sd.keys()) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(sd.shape(k).getShape(), shapes.get(k), k);
            }
        }
    }

    @Test
    void refusesForbiddenGlobalWithoutRunningIt() throws Exception {
        Path file = CheckpointFixtures.dir().resolve("malicious.pth");
        CheckpointException e;
        try (NDManager scope = manager.newSubManager()) {
            e = assertThrows(CheckpointException.class, () -> TorchCheckpointReader.read(file, scope));
        }
        assertTrue(e.getMessage().startsWith("malicious.pth: "), e.getMessage());
        // pickle writes os.system as posix.system on Linux
        assertTrue(e.getMessage().contains("'posix.system'") || e.getMessage().contains("'os.system'"), e.getMessage());
        assertFalse(Files.exists(CheckpointFixtures.marker()), "the malicious pickle ran");
    }

    @Test
    void storageShorterThanTensorIsReported() throws Exception {
        Path file = CheckpointFixtures.dir().resolve("short_storage.pth");
        CheckpointException e = assertThrows(CheckpointException.class, () -> StateDict.load(file, manager));
        assertTrue(e.getMessage().startsWith("short_storage.pth: storage short_storage/data/0 is too short"), e.getMessage());
    }

    @Test
    void truncatedPickleIsReported() throws Exception {
        Path file = CheckpointFixtures.dir().resolve("cut_pickle.pth");
        CheckpointException e = assertThrows(CheckpointException.class, () -> StateDict.load(file, manager));
        assertTrue(e.getMessage().startsWith("cut_pickle.pth: corrupt pickle: "), e.getMessage());
        assertTrue(e.getMessage().contains("truncated data.pkl"), e.getMessage());
    }

    @Test
    void legacyFormatAsksForResave() throws Exception {
        Path file = CheckpointFixtures.dir().resolve("legacy.pth");
        CheckpointException e = assertThrows(CheckpointException.class, () -> StateDict.load(file, manager));
        assertTrue(e.getMessage().startsWith("legacy.pth: legacy PyTorch format"), e.getMessage());
        assertTrue(e.getMessage().contains("re-save with torch>=1.6"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.01, 0.10, 0.50, 0.90, 0.99})
    void truncatedRealCheckpointIsReported(double fraction) throws Exception {
        byte[] whole = Files.readAllBytes(CheckpointFixtures.dir().resolve("module.pth"));
        Path cut = CheckpointFixtures.dir().resolve("sam_vit_b_cut.pth");
        Files.write(cut, Arrays.copyOf(whole, (int) (whole.length * fraction)));
        CheckpointException e = assertThrows(CheckpointException.class, () -> StateDict.load(cut, manager));
        assertEquals("sam_vit_b_cut.pth: truncated: zip central directory missing (file is "
                + String.format("%,d", (int) (whole.length * fraction))
                + " bytes, expected a PyTorch zip checkpoint)", e.getMessage());
    }

    @Test
    void checkFiniteNamesTorchWrittenNaNAndInf() throws Exception {
        try (StateDict sd = StateDict.load(CheckpointFixtures.dir().resolve("nonfinite.pth"), manager)) {
            CheckpointException e = assertThrows(CheckpointException.class, sd::checkFinite);
            assertEquals("nonfinite.pth: non-finite values (NaN or Inf) in 2 tensors: bad, worse; the checkpoint is damaged",
                    e.getMessage());
        }
    }

    @Test
    void stateDictOfTorchModuleVerifiesAgainstItsOwnShapes() throws Exception {
        Path file = CheckpointFixtures.dir().resolve("wrapped.pth");
        Map<String, ai.djl.ndarray.types.Shape> shapes = new java.util.LinkedHashMap<>();
        for (String name : CheckpointFixtures.names("module.pth")) {
            var dims = CheckpointFixtures.expected().path("module.pth").path(name).path("shape");
            long[] s = new long[dims.size()];
            for (int i = 0; i < s.length; i++) {
                s[i] = dims.get(i).asLong();
            }
            shapes.put(name, new ai.djl.ndarray.types.Shape(s));
        }
        try (StateDict sd = StateDict.load(file, manager)) {
            sd.verify(shapes, file);
            assertEquals(List.of("weight", "bias"), List.copyOf(sd.filterPrefix("head.").keys()));
            assertEquals(4 * 3 * 3 * 3 + 4 + 4 + 4 + 2 * 4 + 2 + 6, sd.numParameters());
        }
    }
}
