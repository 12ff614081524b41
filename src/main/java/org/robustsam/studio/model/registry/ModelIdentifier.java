package org.robustsam.studio.model.registry;

import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.robustsam.studio.model.checkpoint.CheckpointException;
import org.robustsam.studio.model.checkpoint.StateDict;

/**
 * Tells SAM, RobustSAM and MobileSAM checkpoints apart, and the ViT size, from key names and
 * shapes alone (no weights are loaded), so "add local checkpoint" works with any file name.
 */
public final class ModelIdentifier {
    private static final Pattern BLOCK = Pattern.compile("^image_encoder\\.blocks\\.(\\d+)\\.");

    private ModelIdentifier() {}

    public static ModelIdentity identify(Path file) throws CheckpointException {
        return identify(file, StateDict.readShapes(file));
    }

    /**
     * A loader's "checkpoint does not match" error, with what the file holds instead when that is
     * another model (read from its names and shapes), so the user learns which model to load it as:
     * {@code "sam_vit_b.pth: not a MobileSAM tiny_vit_5m checkpoint: the file holds SAM vit_b; load it
     * as that model (registry id sam_vit_b).\n" + the original listing}. Returns {@code e} unchanged
     * when the file is of the expected kind or cannot be identified.
     */
    public static CheckpointException explainMismatch(CheckpointException e, Path file, String expectedFamily,
            String expectedSize) {
        Map<String, long[]> shapes;
        try {
            shapes = StateDict.readShapes(file);
        } catch (CheckpointException | RuntimeException unreadable) {
            return e;
        }
        return explainMismatch(e, shapes, expectedFamily, expectedSize);
    }

    /** {@link #explainMismatch(CheckpointException, Path, String, String)} given the file's names and shapes. */
    public static CheckpointException explainMismatch(CheckpointException e, Map<String, long[]> shapes,
            String expectedFamily, String expectedSize) {
        ModelIdentity identity;
        try {
            identity = identify(e.file(), shapes);
        } catch (CheckpointException | RuntimeException notIdentified) {
            return e;
        }
        if (identity.family().equals(expectedFamily) && identity.size().equals(expectedSize)) {
            return e;
        }
        return new CheckpointException(e.file(), "not a " + expectedFamily + " " + expectedSize
                + " checkpoint: the file holds " + identity.family() + " " + identity.size()
                + "; load it as that model (registry id " + identity.registryId() + ").\n" + e.problem(), e);
    }

    public static ModelIdentity identify(Path file, Map<String, long[]> shapes) throws CheckpointException {
        if (shapes.keySet().stream().anyMatch(k -> k.startsWith("image_encoder.layers.0."))
                && shapes.containsKey("image_encoder.patch_embed.seq.0.c.weight")) {
            return new ModelIdentity("MobileSAM", "tiny_vit_5m");
        }
        long[] pos = shapes.get("image_encoder.pos_embed");
        if (pos == null || pos.length != 4) {
            throw new CheckpointException(file, "not a SAM-family checkpoint: no image_encoder.pos_embed of shape [1, 64, 64, C] ("
                    + shapes.size() + " tensors, e.g. " + shapes.keySet().stream().limit(3).toList() + ")");
        }
        int depth = 0;
        for (String k : shapes.keySet()) {
            Matcher m = BLOCK.matcher(k);
            if (m.find()) {
                depth = Math.max(depth, Integer.parseInt(m.group(1)) + 1);
            }
        }
        String size = switch ((int) pos[3]) {
            case 768 -> "vit_b";
            case 1024 -> "vit_l";
            case 1280 -> "vit_h";
            case 64 -> "tiny"; // the small random-weight model of tests and the installer's smoke check
            default -> throw new CheckpointException(file, "unknown ViT width " + pos[3] + " (expected 768, 1024 or 1280)");
        };
        int expectedDepth = switch (size) {
            case "vit_b" -> 12;
            case "vit_l" -> 24;
            case "tiny" -> 2;
            default -> 32;
        };
        if (depth != expectedDepth) {
            throw new CheckpointException(file, "ViT width " + pos[3] + " means " + size + " with " + expectedDepth
                    + " blocks, but the file has " + depth);
        }
        boolean robust = shapes.containsKey("mask_decoder.custom_robust_token.weight");
        return new ModelIdentity(robust ? "RobustSAM" : "SAM", size);
    }
}
