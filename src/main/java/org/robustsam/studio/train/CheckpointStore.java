package org.robustsam.studio.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.robustsam.studio.annotate.project.AtomicFiles;
import org.robustsam.studio.annotate.project.FileWriteException;
import org.robustsam.studio.model.checkpoint.CheckpointException;
import org.robustsam.studio.model.checkpoint.SafetensorsWriter;
import org.robustsam.studio.model.checkpoint.StateDict;
import org.robustsam.studio.model.checkpoint.TorchCheckpointWriter;
import org.robustsam.studio.model.robustsam.RobustSam;
import org.robustsam.studio.model.sam.Sam;
import org.robustsam.studio.model.sam.SamModule.Parameter;

/**
 * A job's checkpoints under {@code <output>/checkpoints}: one folder per saved step
 * ({@code step-000040/}) holding the model in the official RobustSAM layout
 * ({@code robustsam.pth}, torch zip format, every key of the reference's state_dict),
 * the optimizer moments ({@code optimizer.safetensors}) and {@code state.json} (step, optimizer
 * steps, the "before" validation); a {@code latest} file names the newest folder.
 *
 * <p>A folder is written under a temporary name and renamed when complete, and {@code latest} is
 * replaced atomically afterwards, so a job killed at any moment leaves the previous checkpoint
 * whole and found.
 */
public final class CheckpointStore {
    public static final String MODEL_FILE = "robustsam.pth";
    public static final String OPTIMIZER_FILE = "optimizer.safetensors";
    public static final String STATE_FILE = "state.json";
    private static final String LATEST = "latest";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path folder;
    private final int keep;

    /** What a checkpoint records besides tensors. */
    public record State(int step, long optimizerSteps, long seed, int totalSteps, ValidationMetrics before) {}

    public CheckpointStore(Path outputFolder, int keep) {
        this.folder = outputFolder.resolve("checkpoints");
        this.keep = keep;
    }

    public Path folder() {
        return folder;
    }

    /**
     * Writes the checkpoint of {@code state.step()} completed steps and makes it the latest. When
     * writing fails (a full disk) the half-written folder is removed and the previous checkpoint
     * stays the latest; the message says why.
     */
    public Path save(RobustSam model, AdamW optimizer, State state) throws IOException {
        String name = String.format("step-%06d", state.step());
        Path tmp = folder.resolve(name + ".tmp");
        try {
            Files.createDirectories(folder);
            deleteTree(tmp);
            Files.createDirectories(tmp);
            writeModel(model, tmp.resolve(MODEL_FILE));
            Map<String, SafetensorsWriter.Tensor> moments = new LinkedHashMap<>();
            Map<String, float[]> saved = optimizer.momentsForSaving();
            optimizer.momentShapes().forEach((k, shape) -> moments.put(k, new SafetensorsWriter.Tensor(shape.getShape(),
                    saved.get(k))));
            SafetensorsWriter.write(tmp.resolve(OPTIMIZER_FILE), moments);
            Files.write(tmp.resolve(STATE_FILE), JSON.writeValueAsBytes(state));
            // On the disk before the folder gets its final name: after a power cut a complete-looking
            // step-* folder must not hold empty files.
            for (String f : List.of(MODEL_FILE, OPTIMIZER_FILE, STATE_FILE)) {
                force(tmp.resolve(f));
            }
        } catch (IOException e) {
            try {
                deleteTree(tmp); // a half-written checkpoint only takes space the disk does not have
            } catch (IOException ignored) {
                // left for the next save, which clears it first
            }
            String previous = latest().map(p -> "; the latest complete checkpoint is still " + p.getFileName()).orElse("");
            throw new FileWriteException(folder.resolve(name), "cannot save the checkpoint (" + AtomicFiles.describe(e) + ")"
                    + previous, e);
        }
        return publish(name, tmp);
    }

    /**
     * Gives the complete folder its final name and makes it the latest. A folder of that name already
     * there (the same step saved again) is renamed aside first and deleted only afterwards, so there
     * is no moment at which the latest checkpoint is gone.
     */
    private Path publish(String name, Path tmp) throws IOException {
        Path target = folder.resolve(name);
        Path old = folder.resolve(name + ".old");
        deleteTree(old);
        if (Files.exists(target)) {
            move(target, old);
        }
        move(tmp, target);
        AtomicFiles.write(folder.resolve(LATEST), name.getBytes(StandardCharsets.UTF_8));
        deleteTree(old);
        prune(name);
        return target;
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    private static void force(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /**
     * Writes every tensor of the model (SAM's and RobustSAM's, BatchNorm buffers included) in the
     * reference's state_dict order and key names, as {@code torch.save(model.state_dict())} would.
     */
    public static void writeModel(RobustSam model, Path file) throws IOException {
        write(model, null, file);
    }

    /**
     * Writes the model's SAM part alone (every key of a SAM checkpoint of its size, none of
     * RobustSAM's modules): a plain SAM checkpoint of the frozen teacher.
     */
    public static void writeSamPart(RobustSam model, Path file) throws IOException {
        write(model, Sam.expectedShapes(model.config()).keySet(), file);
    }

    private static void write(RobustSam model, java.util.Set<String> only, Path file) throws IOException {
        Map<String, TorchCheckpointWriter.Tensor> tensors = new LinkedHashMap<>();
        for (Parameter p : model.parameters()) {
            if (only != null && !only.contains(p.key())) {
                continue;
            }
            NDArray a = p.get();
            long[] shape = p.shape().getShape();
            if (p.key().endsWith(".num_batches_tracked")) {
                tensors.put(p.key(), TorchCheckpointWriter.Tensor.ofLongs(shape, new long[] {Math.round(a.getFloat())}));
            } else {
                tensors.put(p.key(), TorchCheckpointWriter.Tensor.lazyFloats(shape, a::toFloatArray));
            }
        }
        TorchCheckpointWriter.write(file, tensors);
    }

    /** Deletes every checkpoint (a job starting over). */
    public void clear() throws IOException {
        deleteTree(folder);
    }

    /** The newest complete checkpoint folder. */
    public Optional<Path> latest() throws IOException {
        Path pointer = folder.resolve(LATEST);
        if (!Files.isRegularFile(pointer)) {
            return Optional.empty();
        }
        String name = Files.readString(pointer, StandardCharsets.UTF_8).trim();
        for (Path dir : List.of(folder.resolve(name), folder.resolve(name + ".old"))) {
            // .old: a job killed while saving the same step again, between the two renames
            if (Files.isRegularFile(dir.resolve(STATE_FILE))) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }

    public static State readState(Path checkpoint) throws IOException {
        return JSON.readValue(checkpoint.resolve(STATE_FILE).toFile(), State.class);
    }

    /** The optimizer moments of a checkpoint, by key. */
    public static Map<String, float[]> readMoments(Path checkpoint, NDManager manager) throws CheckpointException {
        try (StateDict sd = StateDict.load(checkpoint.resolve(OPTIMIZER_FILE), manager)) {
            Map<String, float[]> out = new LinkedHashMap<>();
            for (String k : sd.keys()) {
                out.put(k, sd.get(k).toFloatArray());
            }
            return out;
        }
    }

    private void prune(String newest) throws IOException {
        List<Path> dirs = new ArrayList<>();
        try (Stream<Path> s = Files.list(folder)) {
            s.filter(p -> Files.isDirectory(p) && p.getFileName().toString().matches("step-\\d+"))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString())).forEach(dirs::add);
        }
        for (int i = 0; i < dirs.size() - keep; i++) {
            if (!dirs.get(i).getFileName().toString().equals(newest)) {
                deleteTree(dirs.get(i));
            }
        }
        // Half-written folders of saves a killed job never finished.
        try (Stream<Path> s = Files.list(folder)) {
            for (Path stale : s.filter(p -> p.getFileName().toString().matches("step-\\d+\\.tmp")).toList()) {
                deleteTree(stale);
            }
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }
}
