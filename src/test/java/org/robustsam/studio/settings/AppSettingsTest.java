package org.robustsam.studio.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppSettingsTest {
    @Test
    void roundTripsThroughJson(@TempDir Path dir) throws Exception {
        AppSettings s = new AppSettings();
        s.lastFolder = "/photos/rainy";
        s.windowWidth = 900;
        Path f = dir.resolve("sub/settings.json");
        s.save(f);
        AppSettings back = AppSettings.load(f);
        assertEquals("/photos/rainy", back.lastFolder);
        assertEquals(900, back.windowWidth);
        assertTrue(Files.notExists(dir.resolve("sub/settings.json.tmp")));
    }

    @Test
    void damagedFileIsSetAsideAndDefaultsUsed(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("settings.json"), "{not json");
        AppSettings s = AppSettings.load(f);
        assertNull(s.lastFolder);
        assertEquals(1280, s.windowWidth);
        assertEquals("{not json", Files.readString(dir.resolve("settings.json.broken")));
    }
}
