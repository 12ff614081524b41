package org.robustsam.studio.annotate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.robustsam.studio.image.ImageLoader;
import org.robustsam.studio.testutil.SharedData;

class PhotoFolderTest {
    @TempDir
    Path tmp;

    @Test
    void listsOnlyImagesInNaturalOrder() throws IOException {
        for (String name : List.of("img10.jpg", "img2.PNG", "notes.txt", "img1.tiff", "a.json", "b.webp", "c.bmp")) {
            Files.writeString(tmp.resolve(name), "x");
        }
        List<String> names = PhotoFolder.scan(tmp).entries().stream().map(PhotoEntry::fileName).toList();
        assertEquals(List.of("b.webp", "c.bmp", "img1.tiff", "img2.PNG", "img10.jpg"), names);
    }

    @Test
    void sharedFolderListsTheThreePhotosAndProbesThemReadable() throws IOException {
        PhotoFolder folder = PhotoFolder.scan(SharedData.labelmeFolder());
        assertEquals(List.of("2011_000003.jpg", "2011_000006.jpg", "2011_000025.jpg"),
                folder.entries().stream().map(PhotoEntry::fileName).toList());
        PhotoEntry probed = PhotoFolder.probe(folder.entries().get(0), new ImageLoader());
        assertEquals(PhotoEntry.Health.READABLE, probed.health());
        assertTrue(probed.header().width() > 100);
        assertNull(probed.problem());
    }

    @Test
    void brokenFilesAreFlaggedWithTheirName() throws IOException {
        Files.createFile(tmp.resolve("zero.jpg"));
        PhotoEntry e = PhotoFolder.probe(PhotoFolder.scan(tmp).entries().get(0), new ImageLoader());
        assertEquals(PhotoEntry.Health.BROKEN, e.health());
        assertEquals("zero.jpg: file is empty (0 bytes)", e.problem());
    }

    @Test
    void missingFolderAndFileAsFolderGiveMessagesNotStackTraces() throws IOException {
        FolderException missing = assertThrows(FolderException.class, () -> PhotoFolder.scan(tmp.resolve("nope")));
        assertTrue(missing.getMessage().endsWith("nope: folder does not exist"), missing.getMessage());
        Path file = Files.writeString(tmp.resolve("file.txt"), "x");
        FolderException notDir = assertThrows(FolderException.class, () -> PhotoFolder.scan(file));
        assertTrue(notDir.getMessage().endsWith("file.txt: is a file, not a folder"), notDir.getMessage());
    }

    @Test
    void naturalOrderComparesDigitRunsAsNumbers() {
        assertTrue(NaturalOrder.INSTANCE.compare("a2", "a10") < 0);
        assertTrue(NaturalOrder.INSTANCE.compare("a010", "a9") > 0);
        assertTrue(NaturalOrder.INSTANCE.compare("B", "a") > 0);
        assertEquals(0, NaturalOrder.INSTANCE.compare("x1", "x1"));
    }
}
