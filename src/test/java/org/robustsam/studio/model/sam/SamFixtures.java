package org.robustsam.studio.model.sam;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reference outputs made by a fixture script (src/test/python/make_sam_fixtures.py for SAM) under
 * target/fixtures/CONFIG, regenerated when the script changes. Tests calling {@link #ensure} are
 * skipped (not failed) where Debian's python3 with torch, or the shared reference sources, are missing.
 */
public final class SamFixtures {
    static final Path PYTHON = Path.of("/usr/bin/python3");

    public final Path dir;
    public final JsonNode manifest;

    private SamFixtures(Path dir, JsonNode manifest) {
        this.dir = dir;
        this.manifest = manifest;
    }

    static Path projectDir() {
        return Path.of(System.getProperty("studio.project.dir", ".")).toAbsolutePath();
    }

    static Path sharedDir() {
        return Path.of(System.getProperty("studio.shared.dir", projectDir().resolve("../shared").toString()))
                .toAbsolutePath().normalize();
    }

    /** SAM fixtures for {@code config}, made now if absent or stale; skips the calling test if they cannot be made. */
    public static SamFixtures ensure(String config) throws IOException, InterruptedException {
        return ensure("make_sam_fixtures.py", "reference/segment-anything/segment_anything", config);
    }

    /**
     * Fixtures made by {@code src/test/python/SCRIPT OUT_DIR CONFIG SHARED_DIR} into
     * target/fixtures/CONFIG, made now if absent or stale (the stamp is the script's hash; a script
     * importing another fixture script must change with it); skips the calling test when python with
     * torch, or {@code shared/REFERENCE}, is missing.
     */
    public static SamFixtures ensure(String scriptName, String reference, String config)
            throws IOException, InterruptedException {
        return ensure(config, scriptName, List.of(), reference, config);
    }

    /**
     * As {@link #ensure(String, String, String)}, into target/fixtures/DIR_NAME; the stamp also
     * covers {@code importedScripts} (fixture scripts the script imports), so changing one of
     * them remakes the fixtures.
     */
    public static synchronized SamFixtures ensure(String dirName, String scriptName, List<String> importedScripts,
            String reference, String config) throws IOException, InterruptedException {
        Path scripts = projectDir().resolve("src/test/python");
        Path script = scripts.resolve(scriptName);
        Path referenceDir = sharedDir().resolve(reference);
        assumeTrue(Files.isExecutable(PYTHON), "SKIPPED: " + PYTHON + " not found (apt-get install python3-torch)");
        assumeTrue(Files.isDirectory(referenceDir),
                "SKIPPED: reference sources not found at " + referenceDir + " (set -Dstudio.shared.dir)");
        Path dir = projectDir().resolve("target/fixtures").resolve(dirName);
        StringBuilder stampText = new StringBuilder(sha256(Files.readAllBytes(script)));
        for (String imported : importedScripts) {
            stampText.append(' ').append(sha256(Files.readAllBytes(scripts.resolve(imported))));
        }
        String stamp = stampText.append(' ').append(config).toString();
        Path stampFile = dir.resolve("stamp");
        Path manifestFile = dir.resolve("manifest.json");
        boolean fresh = Files.exists(manifestFile) && Files.exists(stampFile)
                && Files.readString(stampFile).equals(stamp);
        if (!fresh) {
            assumeTrue(run(PYTHON.toString(), "-c", "import torch, torchvision") == 0,
                    "SKIPPED: " + PYTHON + " cannot import torch/torchvision (apt-get install python3-torch python3-torchvision)");
            Files.createDirectories(dir);
            Files.deleteIfExists(stampFile);
            ProcessBuilder pb = new ProcessBuilder(PYTHON.toString(), script.toString(), dir.toString(), config,
                    sharedDir().toString()).redirectErrorStream(true).redirectOutput(dir.resolve("make.log").toFile());
            Process p = pb.start();
            if (!p.waitFor(20, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException("fixture script timed out; see " + dir.resolve("make.log"));
            }
            if (p.exitValue() != 0) {
                throw new IOException("fixture script failed (exit " + p.exitValue() + "):\n"
                        + Files.readString(dir.resolve("make.log")));
            }
            Files.writeString(stampFile, stamp);
        }
        return read(dir);
    }

    /** A fixture folder already made (its manifest.json read), e.g. by another fixture script. */
    public static SamFixtures read(Path dir) throws IOException {
        return new SamFixtures(dir, new ObjectMapper().readTree(dir.resolve("manifest.json").toFile()));
    }

    private static int run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    /** Hex SHA-256, the fixture stamps' content hash. */
    public static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public Path checkpoint() {
        return dir.resolve(manifest.get("checkpoint").asText());
    }

    public Path file(String manifestKey) {
        return dir.resolve(manifest.get(manifestKey).asText());
    }

    public boolean has(String name) {
        return manifest.get("arrays").has(name);
    }

    public long[] shape(String name) {
        JsonNode s = entry(name).get("shape");
        long[] out = new long[s.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = s.get(i).asLong();
        }
        return out;
    }

    private JsonNode entry(String name) {
        JsonNode e = manifest.get("arrays").get(name);
        if (e == null) {
            throw new IllegalArgumentException("no fixture array " + name);
        }
        return e;
    }

    public float[] floats(String name) throws IOException {
        JsonNode e = entry(name);
        if (!e.get("dtype").asText().equals("float32")) {
            throw new IllegalArgumentException(name + " is " + e.get("dtype"));
        }
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(dir.resolve(e.get("file").asText())))
                .order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[b.remaining() / 4];
        b.asFloatBuffer().get(out);
        return out;
    }

    public double[] doubles(String name) throws IOException {
        float[] f = floats(name);
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    public byte[] bytes(String name) throws IOException {
        JsonNode e = entry(name);
        if (!e.get("dtype").asText().equals("uint8")) {
            throw new IllegalArgumentException(name + " is " + e.get("dtype"));
        }
        return Files.readAllBytes(dir.resolve(e.get("file").asText()));
    }

    public NDArray array(String name, NDManager manager) throws IOException {
        return manager.create(floats(name), new Shape(shape(name)));
    }

    public String text(String key) {
        return manifest.get(key).asText();
    }
}
