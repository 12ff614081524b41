package org.robustsam.studio.model.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelRegistryTest {
    @Test
    void bundledRegistryHasEveryFamilyAndSize() {
        ModelRegistry r = ModelRegistry.bundled();
        Set<String> ids = r.models().stream().map(ModelEntry::id).collect(Collectors.toSet());
        assertEquals(Set.of("sam_vit_b", "sam_vit_l", "sam_vit_h", "robustsam_vit_b", "robustsam_vit_l",
                "robustsam_vit_h", "mobile_sam"), ids);
        assertEquals("sam_vit_b_01ec64.pth", r.find("sam_vit_b").orElseThrow().file());
        assertTrue(r.models().stream().allMatch(m -> m.url().startsWith("https://")));
    }

    @Test
    void samAndMobileSamDownloadsAreCheckedBySha256AndExactSize() {
        for (ModelEntry m : ModelRegistry.bundled().models()) {
            if (m.family().equals("RobustSAM")) {
                continue; // its publisher states no checksum
            }
            assertTrue(m.sha256() != null && m.sha256().matches("[0-9a-f]{64}"), m.id() + ": " + m.sha256());
            assertTrue(m.approxBytes() > 1_000_000, m.id());
        }
    }

    @Test
    void topLevelRegistryFileIsTheBundledOne() throws IOException {
        Path onDisk = Path.of(System.getProperty("studio.project.dir", "."), "models", "registry.json");
        assertEquals(ModelRegistry.bundled().models(), ModelRegistry.read(onDisk).models());
    }

    @Test
    void badRegistryNamesTheFile(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("registry.json"), "{\"schemaVersion\": 7, \"models\": []}");
        IOException e = assertThrows(IOException.class, () -> ModelRegistry.read(f));
        assertTrue(e.getMessage().contains("registry.json") && e.getMessage().contains("schema version 7"), e.getMessage());
    }
}
