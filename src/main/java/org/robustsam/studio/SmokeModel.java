package org.robustsam.studio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.robustsam.studio.model.sam.RandomSam;
import org.robustsam.studio.model.sam.SamConfig;

/**
 * The tiny random-weight SAM the {@code --smoke} check runs (about 20 MB of safetensors). The
 * installer build writes it into the app image ({@code smoke/sam_tiny_random.safetensors}) with
 * this class's {@link #main}; the same seed gives the same bytes on every platform.
 *
 * <p>Its weights are {@link RandomSam}'s rounded to multiples of 1/256: random float32 values do not
 * compress (the installers' xz would keep all 20 MB), rounded ones shrink to about 4 MB, and a random
 * network is as good a check with them.
 */
public final class SmokeModel {
    /** File name inside the app's {@code smoke/} folder. */
    public static final String FILE_NAME = "sam_tiny_random.safetensors";
    public static final long SEED = 7;
    /** Weights are rounded to multiples of this (exact in float32 for the magnitudes involved). */
    static final float STEP = 1f / 256;
    private static final Pattern DTYPE = Pattern.compile("\"dtype\"\\s*:\\s*\"(\\w+)\"");

    private SmokeModel() {}

    public static void write(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, FILE_NAME, ".tmp");
        try {
            RandomSam.write(SamConfig.TINY, SEED, tmp);
            roundWeights(tmp);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Rounds every value of a safetensors file whose tensors are all F32 (as {@link RandomSam} writes
     * them): an 8-byte little-endian header length, the JSON header, then the raw little-endian floats.
     */
    static void roundWeights(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int dataStart = 8 + (int) buf.getLong(0);
        String header = new String(bytes, 8, dataStart - 8, StandardCharsets.UTF_8);
        Matcher dtype = DTYPE.matcher(header);
        while (dtype.find()) {
            if (!"F32".equals(dtype.group(1))) {
                throw new IOException(file + ": expected only F32 tensors, found " + dtype.group(1));
            }
        }
        for (int i = dataStart; i + 4 <= bytes.length; i += 4) {
            buf.putFloat(i, Math.round(buf.getFloat(i) / STEP) * STEP);
        }
        Files.write(file, bytes);
    }

    /** {@code SmokeModel FILE}: writes the smoke model to FILE (used by the installer build). */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: SmokeModel FILE");
            System.exit(2);
        }
        write(Path.of(args[0]));
        System.out.println("smoke model written: " + args[0] + " (" + Files.size(Path.of(args[0])) + " bytes)");
    }
}
