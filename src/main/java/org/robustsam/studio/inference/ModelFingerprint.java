package org.robustsam.studio.inference;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * A short id of a checkpoint file's identity (absolute path, size, modification time): cheap to
 * compute for multi-gigabyte files, and it changes whenever the file is replaced, which is what
 * keeps cached embeddings from outliving the weights that made them.
 */
public final class ModelFingerprint {
    private ModelFingerprint() {}

    public static String of(String modelId, Path checkpoint) {
        String identity;
        try {
            Path abs = checkpoint.toAbsolutePath().normalize();
            identity = abs + "|" + Files.size(abs) + "|" + Files.getLastModifiedTime(abs).toMillis();
        } catch (IOException e) {
            identity = checkpoint.toAbsolutePath() + "|unreadable";
        }
        byte[] digest = ImageDigest.sha256().digest(identity.getBytes(StandardCharsets.UTF_8));
        return modelId + "@" + HexFormat.of().formatHex(digest, 0, 6);
    }
}
