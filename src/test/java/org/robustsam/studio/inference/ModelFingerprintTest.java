package org.robustsam.studio.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache key of a model changes whenever its file is replaced, and only then. */
class ModelFingerprintTest {
    @Test
    void sameFileSameKeyAndAReplacedFileANewOne(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("sam_vit_b.pth"), "weights v1");
        Files.setLastModifiedTime(f, FileTime.fromMillis(1_700_000_000_000L));
        String first = ModelFingerprint.of("sam_vit_b", f);
        assertTrue(first.startsWith("sam_vit_b@") && first.length() == "sam_vit_b@".length() + 12, first);
        assertEquals(first, ModelFingerprint.of("sam_vit_b", f), "stable");
        assertEquals(first, ModelFingerprint.of("sam_vit_b", dir.resolve(".").resolve("sam_vit_b.pth")), "path normalised");

        Files.writeString(f, "weights v2");     // same size, new contents: the time changes
        Files.setLastModifiedTime(f, FileTime.fromMillis(1_700_000_005_000L));
        assertNotEquals(first, ModelFingerprint.of("sam_vit_b", f));

        Files.writeString(f, "weights v10");    // a new size, even with the old time
        Files.setLastModifiedTime(f, FileTime.fromMillis(1_700_000_000_000L));
        assertNotEquals(first, ModelFingerprint.of("sam_vit_b", f));

        Path copy = Files.copy(f, dir.resolve("other.pth"));
        Files.setLastModifiedTime(copy, FileTime.fromMillis(1_700_000_000_000L));
        assertNotEquals(ModelFingerprint.of("sam_vit_b", f), ModelFingerprint.of("sam_vit_b", copy), "another file");
        assertNotEquals(ModelFingerprint.of("sam_vit_b", f), ModelFingerprint.of("robustsam_vit_b", f), "another model id");
    }

    @Test
    void aMissingFileStillGetsAKeyThatDiffersFromThePresentOne(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("gone.pth");
        String missing = ModelFingerprint.of("sam_vit_b", f);
        Files.writeString(f, "x");
        assertNotEquals(missing, ModelFingerprint.of("sam_vit_b", f));
    }
}
