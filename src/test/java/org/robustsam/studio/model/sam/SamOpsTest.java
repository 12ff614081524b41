package org.robustsam.studio.model.sam;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.robustsam.studio.inference.Engines;
import org.robustsam.studio.inference.ResizeLongestSide;
import org.robustsam.studio.model.checkpoint.CheckpointException;

/** The building blocks, checked without the Python reference. */
class SamOpsTest {
    static NDManager manager;

    @BeforeAll
    static void open() {
        manager = Engines.pytorch().newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @Test
    void geluIsTheExactErfForm() {
        // x * Phi(x): the tanh approximation gives 0.841192 at 1 and 1.954598 at 2
        float[] x = {-2f, -1f, 0f, 0.5f, 1f, 2f};
        double[] phi = {0.022750131948179195, 0.15865525393145707, 0.5, 0.6914624612740131, 0.8413447460685429,
            0.9772498680518208};
        try (NDManager m = manager.newSubManager()) {
            float[] y = Ops.gelu(m.create(x)).toFloatArray();
            for (int i = 0; i < x.length; i++) {
                assertEquals(x[i] * phi[i], y[i], 1e-6, "gelu(" + x[i] + ")");
            }
        }
    }

    @Test
    void expectedShapesOfVitBMatchTheOfficialCheckpoint() {
        Map<String, Shape> shapes = Sam.expectedShapes(SamConfig.VIT_B);
        // the reference vit_b state_dict: 314 tensors, 93,735,728 values (93,735,472 parameters + the
        // 2x128 gaussian matrix buffer)
        assertEquals(314, shapes.size());
        assertEquals(93_735_728L, shapes.values().stream().mapToLong(Shape::size).sum());
        assertEquals(new Shape(1, 64, 64, 768), shapes.get("image_encoder.pos_embed"));
        assertEquals(new Shape(127, 64), shapes.get("image_encoder.blocks.2.attn.rel_pos_h"));
        assertEquals(new Shape(27, 64), shapes.get("image_encoder.blocks.0.attn.rel_pos_w"));
        assertEquals(new Shape(256, 64, 2, 2), shapes.get("mask_decoder.output_upscaling.0.weight"));
        assertEquals(new Shape(32, 256), shapes.get("mask_decoder.output_hypernetworks_mlps.3.layers.2.weight"));
        assertEquals(new Shape(2, 128), shapes.get("prompt_encoder.pe_layer.positional_encoding_gaussian_matrix"));
        assertEquals(new Shape(128, 256), shapes.get("mask_decoder.transformer.layers.1.cross_attn_image_to_token.q_proj.weight"));
    }

    @Test
    void vitLShapedCheckpointLoadedAsVitBFailsNamingKeys(@TempDir Path dir) throws IOException {
        Map<String, Shape> vitL = Sam.expectedShapes(SamConfig.VIT_L);
        List<String> keys = List.of("image_encoder.patch_embed.proj.bias", "image_encoder.blocks.0.attn.rel_pos_h",
                "image_encoder.blocks.23.norm1.weight", "mask_decoder.iou_token.weight");
        Path file = dir.resolve("vit_l_like.safetensors");
        writeZeroSafetensors(file, keys, vitL);
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> Sam.load(SamConfig.VIT_B, file, manager));
        String msg = e.getMessage();
        assertTrue(msg.startsWith("vit_l_like.safetensors: "), msg);
        assertTrue(msg.contains("unexpected: image_encoder.blocks.23.norm1.weight"), msg);
        assertTrue(msg.contains("image_encoder.patch_embed.proj.bias (expected (768), got (1024))"), msg);
        // same shape in ViT-L and ViT-B: not reported as mis-shaped
        assertFalse(msg.contains("image_encoder.blocks.0.attn.rel_pos_h (expected"), msg);
        assertTrue(msg.contains("missing") && msg.contains("image_encoder.pos_embed"), msg);
    }

    /** A safetensors file with the given keys, shapes from {@code shapes}, zero data. */
    static void writeZeroSafetensors(Path file, List<String> keys, Map<String, Shape> shapes) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode header = json.createObjectNode();
        long offset = 0;
        for (String k : keys) {
            Shape s = shapes.get(k);
            ObjectNode e = header.putObject(k);
            e.put("dtype", "F32");
            var arr = e.putArray("shape");
            for (long d : s.getShape()) {
                arr.add(d);
            }
            e.putArray("data_offsets").add(offset).add(offset + 4 * s.size());
            offset += 4 * s.size();
        }
        byte[] h = json.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + (int) offset).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Files.write(file, b.array());
    }

    @Test
    void convTransposeMatchesTheDefinition() {
        // out[b, o, 2i+p, 2j+q] = bias[o] + sum_c x[b, c, i, j] * w[c, o, p, q]
        int cin = 3;
        int cout = 2;
        int h = 2;
        int w = 3;
        float[] x = new float[cin * h * w];
        float[] wt = new float[cin * cout * 4];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(i + 1);
        }
        for (int i = 0; i < wt.length; i++) {
            wt[i] = (float) Math.cos(3 * i);
        }
        float[] bias = {0.5f, -0.25f};
        ConvTranspose2d ct = new ConvTranspose2d(cin, cout, 2);
        try (NDManager m = manager.newSubManager()) {
            Map<String, NDArray> weights = Map.of("weight", m.create(wt, new Shape(cin, cout, 2, 2)),
                    "bias", m.create(bias));
            ct.load("", weights::get, m);
            float[] y = ct.forward(m.create(x, new Shape(1, cin, h, w))).toFloatArray();
            for (int o = 0; o < cout; o++) {
                for (int yy = 0; yy < 2 * h; yy++) {
                    for (int xx = 0; xx < 2 * w; xx++) {
                        double s = bias[o];
                        for (int c = 0; c < cin; c++) {
                            s += x[(c * h + yy / 2) * w + xx / 2] * wt[((c * cout + o) * 2 + yy % 2) * 2 + xx % 2];
                        }
                        assertEquals(s, y[(o * 2 * h + yy) * 2 * w + xx], 1e-5);
                    }
                }
            }
        }
    }

    @Test
    void windowPartitionPadsAndRoundTrips() {
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.arange(0f, 2 * 5 * 4 * 3).reshape(2, 5, 4, 3);
            NDArray windows = ViTBlock.windowPartition(x, 3); // pads 5x4 -> 6x6: 4 windows per image
            assertEquals(new Shape(8, 3, 3, 3), windows.getShape());
            // window 1 of image 0 holds rows 0..2, columns 3..5; column 3 is x[0, r, 3], 4 and 5 are padding
            assertEquals(x.get("0, 1, 3, 2").getFloat(), windows.get("1, 1, 0, 2").getFloat());
            assertEquals(0f, windows.get("1, 1, 1, 2").getFloat());
            NDArray back = ViTBlock.windowUnpartition(windows, 3, 6, 6, 5, 4);
            assertArrayEquals(x.toFloatArray(), back.toFloatArray());
        }
    }

    @Test
    void relativePositionTableIndexesByOffset() {
        try (NDManager m = manager.newSubManager()) {
            NDArray table = m.arange(0f, 5 * 2).reshape(5, 2); // 2 * 3 - 1 rows
            NDArray r = Attention.getRelPos(3, 3, table); // r[i, j] = table[i - j + 2]
            assertEquals(new Shape(3, 3, 2), r.getShape());
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    assertEquals(2f * (i - j + 2), r.get(i, j, 0).getFloat());
                }
            }
        }
    }

    @Test
    void shapeChecksNameWhatTheyGot() {
        try (NDManager m = manager.newSubManager()) {
            NDArray bad = m.zeros(new Shape(1, 3, 512, 512));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new ImageEncoderViT(SamConfig.TINY).forward(bad, false));
            assertTrue(e.getMessage().contains("(*, 3, 1024, 1024)") && e.getMessage().contains("(1, 3, 512, 512)"),
                    e.getMessage());
        }
    }

    @Test
    void preprocessShapeRoundsLikeTheReference() {
        assertArrayEquals(new int[] {768, 1024}, ResizeLongestSide.getPreprocessShape(533, 711, 1024));
        assertArrayEquals(new int[] {1024, 758}, ResizeLongestSide.getPreprocessShape(1500, 1111, 1024));
        // int(x + 0.5): 1023.5 rounds up, 0.49 truncates
        assertArrayEquals(new int[] {1024, 683}, ResizeLongestSide.getPreprocessShape(3, 2, 1024));
        assertArrayEquals(new int[] {1, 1024}, ResizeLongestSide.getPreprocessShape(1, 2000, 1024));
    }
}
