package org.robustsam.studio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class StudioCliTest {
    private static String run(int expectedExit, String... args) {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new StudioCli());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(out));
        assertEquals(expectedExit, cli.execute(args), out.toString());
        return out.toString();
    }

    @Test
    void versionNamesTheProductAndFlavour() {
        String v = run(0, "--version");
        assertTrue(v.startsWith("studio ") && v.contains("libtorch flavour cpu"), v);
    }

    @Test
    void helpListsTheSubcommands() {
        String help = run(0, "--help");
        assertTrue(help.contains("Usage: studio") && help.contains("models"), help);
    }

    @Test
    void modelsListsTheRegistryAndSeesFilesOnDisk(@TempDir Path dir) throws Exception {
        // SAM ViT-B's exact size is known: a file of that size is ready (sparse, so the test stays small)
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(dir.resolve("sam_vit_b_01ec64.pth").toFile(), "rw")) {
            f.setLength(375_042_383L);
        }
        Files.writeString(dir.resolve("sam_vit_l_0b3195.pth"), "x");          // wrong size for a checksummed file
        Files.writeString(dir.resolve("robustsam_checkpoint_l.pth"), "x");    // far below the approximate size
        String out = run(0, "models", "--dir", dir.toString());
        String samLine = out.lines().filter(l -> l.startsWith("sam_vit_b ")).findFirst().orElseThrow();
        assertTrue(samLine.contains(" ready "), samLine);
        String badSam = out.lines().filter(l -> l.startsWith("sam_vit_l ")).findFirst().orElseThrow();
        assertTrue(badSam.contains("corrupt"), badSam);
        String cutShort = out.lines().filter(l -> l.startsWith("robustsam_vit_l ")).findFirst().orElseThrow();
        assertTrue(cutShort.contains("corrupt"), cutShort);
        String robustLine = out.lines().filter(l -> l.startsWith("robustsam_vit_b ")).findFirst().orElseThrow();
        assertTrue(robustLine.contains("not downloaded"), robustLine);
        assertTrue(out.contains("mobile_sam"));
    }

    @Test
    void downloadOfAnUnknownModelIsRefused(@TempDir Path dir) {
        String out = run(2, "models", "--dir", dir.toString(), "download", "sam_vit_x");
        assertTrue(out.contains("unknown model 'sam_vit_x'"), out);
    }

    @Test
    void downloadFromAnUnreachableMirrorFailsCleanly(@TempDir Path dir) throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String out = run(1, "models", "--dir", dir.toString(), "download", "mobile_sam", "--url", "http://127.0.0.1:" + port + "/m.pt");
        assertTrue(out.contains("mobile_sam.pt: cannot reach 127.0.0.1"), out);
        assertTrue(Files.notExists(dir.resolve("mobile_sam.pt")));
    }

    @Test
    void unknownSubcommandFailsWithUsage() {
        String out = run(2, "frobnicate");
        assertTrue(out.contains("Unmatched argument") || out.contains("Unknown"), out);
    }
}
