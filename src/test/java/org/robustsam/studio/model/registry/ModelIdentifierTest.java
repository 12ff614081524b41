package org.robustsam.studio.model.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.robustsam.studio.model.checkpoint.CheckpointException;

class ModelIdentifierTest {
    @TempDir
    Path dir;

    /** Writes a valid safetensors file of float16 zeros with the given names and shapes. */
    private Path safetensors(String name, Map<String, long[]> shapes) throws IOException {
        Map<String, Object> header = new LinkedHashMap<>();
        long offset = 0;
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            long n = 1;
            for (long d : e.getValue()) {
                n *= d;
            }
            header.put(e.getKey(), Map.of("dtype", "F16", "shape", e.getValue(), "data_offsets", List.of(offset, offset + 2 * n)));
            offset += 2 * n;
        }
        byte[] json = new ObjectMapper().writeValueAsBytes(header);
        Path f = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(f)) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).array());
            out.write(json);
            out.write(new byte[(int) offset]);
        }
        return f;
    }

    private Map<String, long[]> vit(int width, int depth) {
        Map<String, long[]> s = new LinkedHashMap<>();
        s.put("image_encoder.pos_embed", new long[] {1, 64, 64, width});
        for (int i = 0; i < depth; i++) {
            s.put("image_encoder.blocks." + i + ".norm1.weight", new long[] {width});
        }
        s.put("mask_decoder.iou_token.weight", new long[] {1, 256});
        return s;
    }

    @Test
    void tellsSamSizesApart() throws Exception {
        assertEquals(new ModelIdentity("SAM", "vit_b"), ModelIdentifier.identify(safetensors("b.safetensors", vit(768, 12))));
        assertEquals(new ModelIdentity("SAM", "vit_l"), ModelIdentifier.identify(safetensors("l.bin", vit(1024, 24))));
        assertEquals("sam_vit_h", ModelIdentifier.identify(safetensors("h", vit(1280, 32))).registryId());
    }

    @Test
    void robustSamHasTheRobustToken() throws Exception {
        Map<String, long[]> s = vit(768, 12);
        s.put("mask_decoder.custom_robust_token.weight", new long[] {4, 256});
        ModelIdentity id = ModelIdentifier.identify(safetensors("whatever.pth", s));
        assertEquals(new ModelIdentity("RobustSAM", "vit_b"), id);
        assertEquals("robustsam_vit_b", id.registryId());
    }

    @Test
    void mobileSamHasTinyVitLayers() throws Exception {
        Map<String, long[]> s = new LinkedHashMap<>();
        s.put("image_encoder.patch_embed.seq.0.c.weight", new long[] {32, 3, 3, 3});
        s.put("image_encoder.layers.0.blocks.0.conv1.c.weight", new long[] {128, 64, 1, 1});
        assertEquals("mobile_sam", ModelIdentifier.identify(safetensors("m.pt", s)).registryId());
    }

    @Test
    void inconsistentOrForeignFilesAreExplained() throws Exception {
        CheckpointException depth = assertThrows(CheckpointException.class,
                () -> ModelIdentifier.identify(safetensors("odd.pth", vit(768, 24))));
        assertTrue(depth.getMessage().contains("odd.pth") && depth.getMessage().contains("12 blocks, but the file has 24"), depth.getMessage());
        Map<String, long[]> other = new LinkedHashMap<>();
        other.put("fc.weight", new long[] {10, 10});
        CheckpointException foreign = assertThrows(CheckpointException.class,
                () -> ModelIdentifier.identify(safetensors("resnet.pth", other)));
        assertTrue(foreign.getMessage().contains("not a SAM-family checkpoint"), foreign.getMessage());
        Path text = Files.writeString(dir.resolve("notes.pth"), "hello", StandardCharsets.UTF_8);
        assertThrows(CheckpointException.class, () -> ModelIdentifier.identify(text));
    }
}
