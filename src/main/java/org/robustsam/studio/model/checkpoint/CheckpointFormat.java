package org.robustsam.studio.model.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/** The checkpoint formats we recognise, told apart by the first bytes of the file, not its name. */
public enum CheckpointFormat {
    /** torch.save since torch 1.6: a zip with data.pkl and data/<key> entries. */
    TORCH_ZIP,
    /** safetensors: 8-byte little-endian header length, JSON header, raw data. */
    SAFETENSORS;

    /**
     * Sniffs the file's format.
     *
     * @throws CheckpointException for an empty, legacy or unrecognised file, with a message saying which
     */
    public static CheckpointFormat detect(Path file) throws CheckpointException {
        long size;
        byte[] head = new byte[512];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            size = Files.size(file);
            n = in.readNBytes(head, 0, head.length);
        } catch (NoSuchFileException e) {
            throw new CheckpointException(file, Files.isSymbolicLink(file)
                    ? "is a symbolic link that leads nowhere (to a missing file, or in a loop)" : "file does not exist", e);
        } catch (IOException e) {
            if (Files.isDirectory(file)) {
                throw new CheckpointException(file, "is a folder, not a checkpoint file", e);
            }
            String why = e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage();
            throw new CheckpointException(file, "cannot read the file (" + why + ")", e);
        }
        if (size == 0) {
            throw new CheckpointException(file, "empty file (0 bytes), expected a PyTorch or safetensors checkpoint");
        }
        if (n >= 4 && head[0] == 'P' && head[1] == 'K' && (head[2] == 3 || head[2] == 5) && (head[3] == 4 || head[3] == 6)) {
            return TORCH_ZIP;
        }
        if (n >= 2 && (head[0] & 0xff) == 0x80 && head[1] >= 2 && head[1] <= 5) {
            throw legacy(file);
        }
        if (n >= 262 && new String(head, 257, 5, java.nio.charset.StandardCharsets.US_ASCII).equals("ustar")) {
            throw legacy(file); // torch < 0.4 saved a tar archive
        }
        // A safetensors header is well under 4 GiB and is a JSON object.
        if (n >= 9 && head[4] == 0 && head[5] == 0 && head[6] == 0 && head[7] == 0 && head[8] == '{') {
            return SAFETENSORS;
        }
        throw new CheckpointException(file, "not a recognised checkpoint: the file (" + bytes(size)
                + ") starts with " + hex(head, Math.min(n, 8))
                + ", expected a PyTorch zip checkpoint (starts with PK) or a safetensors file");
    }

    private static CheckpointException legacy(Path file) {
        return new CheckpointException(file, "legacy PyTorch format (saved by torch < 1.6 or with "
                + "_use_new_zipfile_serialization=False) is not supported; re-save with torch>=1.6: "
                + "torch.save(torch.load(path), new_path)");
    }

    static String bytes(long size) {
        return String.format(Locale.ROOT, "%,d bytes", size);
    }

    private static String hex(byte[] b, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : " ").append(String.format("%02x", b[i] & 0xff));
        }
        return sb.toString();
    }
}
