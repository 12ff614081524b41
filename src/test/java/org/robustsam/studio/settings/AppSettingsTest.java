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
    void theAdvisorsModelChoiceIsRemembered(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("settings.json");
        AppSettings fresh = AppSettings.load(f);
        assertEquals(false, fresh.autoRobustSam, "off until the user turns it on");
        assertEquals(0.7, fresh.autoRobustSamThreshold);
        fresh.autoRobustSam = true;
        fresh.autoRobustSamThreshold = 0.55;
        fresh.samModelPath = "/models/sam_vit_b_01ec64.pth";
        fresh.robustSamModelPath = "/models/robustsam_checkpoint_b.pth";
        fresh.save(f);
        AppSettings back = AppSettings.load(f);
        assertTrue(back.autoRobustSam);
        assertEquals(0.55, back.autoRobustSamThreshold);
        assertEquals("/models/sam_vit_b_01ec64.pth", back.samModelPath);
        assertEquals("/models/robustsam_checkpoint_b.pth", back.robustSamModelPath);
        // A file from before the advisor (no such keys) reads with the defaults.
        Files.writeString(f, "{\"lastFolder\": \"/x\"}");
        assertEquals(0.7, AppSettings.load(f).autoRobustSamThreshold);
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
