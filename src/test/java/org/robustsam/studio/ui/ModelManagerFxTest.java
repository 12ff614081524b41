package org.robustsam.studio.ui;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.robustsam.studio.model.manager.ModelDownloader;
import org.robustsam.studio.model.registry.ModelRegistry;
import org.robustsam.studio.model.sam.RandomSam;
import org.robustsam.studio.model.sam.SamConfig;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Model Manager dialog against a local HTTP server on 127.0.0.1 with a registry written for the
 * test (its addresses point at that server): download to ready with progress, cancel to partial and
 * resume, a wrong checksum, offline use of files already present, folder change, delete, add local.
 */
@ExtendWith(ApplicationExtension.class)
class ModelManagerFxTest {
    private static final byte[] BLOB = new byte[2 << 20];

    static {
        new Random(3).nextBytes(BLOB);
    }

    @TempDir
    Path tmp;

    private HttpServer server;
    private final List<String> rangesSeen = new CopyOnWriteArrayList<>();
    /** Pause between 8 KiB chunks of /slow.bin; 0 serves it at full speed. */
    private volatile int slowDelayMs = 100;
    private Path modelsDir;
    private ModelManagerViewModel vm;
    private ModelManagerDialog dialog;
    private final AtomicReference<Path> used = new AtomicReference<>();
    private final AtomicReference<Path> dirChanged = new AtomicReference<>();
    private final List<String> progressTexts = new CopyOnWriteArrayList<>();

    @Start
    void start(Stage stage) throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/model.bin", ex -> serve(ex, 32 << 10, 20));
        server.createContext("/slow.bin", ex -> serve(ex, 8 << 10, slowDelayMs));
        server.start();

        modelsDir = tmp.resolve("models");
        Files.createDirectories(modelsDir);
        Files.write(modelsDir.resolve("offline.bin"), new byte[] {1, 2, 3});
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(BLOB));
        Path registryFile = tmp.resolve("registry.json");
        Files.writeString(registryFile, """
                {"schemaVersion": 1, "models": [
                  {"id": "good", "family": "SAM", "size": "vit_b", "file": "good.bin", "url": "/model.bin", "sha256": "%1$s", "approxBytes": %2$d},
                  {"id": "slow", "family": "RobustSAM", "size": "vit_l", "file": "slow.bin", "url": "/slow.bin", "sha256": "%1$s", "approxBytes": %2$d},
                  {"id": "bad_sum", "family": "SAM", "size": "vit_h", "file": "bad.bin", "url": "/model.bin", "sha256": "%3$s", "approxBytes": %2$d},
                  {"id": "offline", "family": "MobileSAM", "size": "tiny_vit_5m", "file": "offline.bin", "url": "/gone.bin", "sha256": null, "approxBytes": 3},
                  {"id": "sam_tiny", "family": "SAM", "size": "tiny", "file": "sam_tiny.safetensors", "url": "/none.bin", "sha256": null, "approxBytes": 0}
                ]}
                """.formatted(sha, BLOB.length, "0".repeat(64)));
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        ModelDownloader downloader = new ModelDownloader(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), Duration.ofSeconds(5));
        vm = new ModelManagerViewModel(ModelRegistry.read(registryFile), modelsDir, downloader, e -> URI.create(base + e.url()));
        vm.setOnUse(used::set);
        vm.setOnModelsDirChanged(dirChanged::set);
        for (ModelManagerViewModel.Row row : vm.rows()) {
            row.progressTextProperty().addListener((o, a, text) -> progressTexts.add(row.id() + ": " + text));
        }
        dialog = new ModelManagerDialog(vm);
        stage.setScene(new Scene(dialog.root(), 980, 420));
        stage.show();
    }

    @AfterEach
    void stop() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> vm.close()).get();
        stopServer();
    }

    private void stopServer() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    /** Serves BLOB in chunks with a pause between them, honouring "Range: bytes=N-". */
    private void serve(HttpExchange ex, int chunk, int delayMs) throws IOException {
        String range = ex.getRequestHeaders().getFirst("Range");
        rangesSeen.add(range == null ? "none" : range);
        int start = 0;
        if (range != null && range.startsWith("bytes=")) {
            start = Integer.parseInt(range.substring(6, range.indexOf('-')));
            ex.getResponseHeaders().add("Content-Range", "bytes " + start + "-" + (BLOB.length - 1) + "/" + BLOB.length);
            ex.sendResponseHeaders(206, BLOB.length - start);
        } else {
            ex.sendResponseHeaders(200, BLOB.length);
        }
        try (OutputStream out = ex.getResponseBody()) {
            for (int i = start; i < BLOB.length; i += chunk) {
                out.write(BLOB, i, Math.min(chunk, BLOB.length - i));
                out.flush();
                int pause = ex.getRequestURI().getPath().equals("/slow.bin") ? slowDelayMs : delayMs;
                if (pause > 0) {
                    Thread.sleep(pause);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException clientLeft) {
            // cancelled by the client
        }
    }

    private static void waitFor(int seconds, Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, condition);
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** Clicks the row's first cell, as a user selects a model. */
    private ModelManagerViewModel.Row select(FxRobot robot, String id) {
        Node cell = robot.lookup((Node n) -> n instanceof TableCell<?, ?> c && id.equals(c.getText())).query();
        robot.clickOn(cell);
        ModelManagerViewModel.Row row = vm.row(id);
        javafx.scene.control.TableView<?> table = robot.lookup("#modelTable").queryAs(javafx.scene.control.TableView.class);
        assertEquals(row, table.getSelectionModel().getSelectedItem());
        return row;
    }

    private static boolean enabled(FxRobot robot, String id) {
        return !robot.lookup(id).queryAs(Button.class).isDisabled();
    }

    private static String stateText(FxRobot robot, String id) {
        // The State column's cell in the row whose first cell says id.
        Node cell = robot.lookup((Node n) -> n instanceof TableCell<?, ?> c && c.getTableColumn() != null
                && "State".equals(c.getTableColumn().getText()) && c.getTableRow() != null
                && c.getTableRow().getItem() instanceof ModelManagerViewModel.Row r && r.id().equals(id)).query();
        return ((TableCell<?, ?>) cell).getText();
    }

    @Test
    void downloadShowsBytesRateAndTimeLeftAndEndsReady(FxRobot robot) throws Exception {
        ModelManagerViewModel.Row row = select(robot, "good");
        assertEquals("not downloaded", stateText(robot, "good"));
        assertTrue(enabled(robot, "#downloadButton"));
        assertFalse(enabled(robot, "#useButton"));
        robot.clickOn("#downloadButton");
        waitFor(5, () -> row.status() == ModelManagerViewModel.Status.DOWNLOADING && row.diskUseProperty().get() > 0);
        assertTrue(enabled(robot, "#cancelButton"), "Cancel is offered while downloading");
        assertFalse(enabled(robot, "#downloadButton"));
        waitFor(30, () -> row.status() == ModelManagerViewModel.Status.READY);

        assertArrayEquals(BLOB, Files.readAllBytes(modelsDir.resolve("good.bin")));
        assertFalse(Files.exists(modelsDir.resolve("good.bin.partial")));
        assertEquals("ready", stateText(robot, "good"));
        assertEquals(BLOB.length, row.diskUseProperty().get());
        // Progress said how much of how much, how fast, and how long is left.
        assertTrue(progressTexts.stream().anyMatch(t -> t.startsWith("good: ") && t.contains(" of 2.0 MiB")
                && t.contains("/s") && t.endsWith(" left")), progressTexts.toString());
        assertTrue(robot.lookup("#modelManagerMessage").queryAs(Label.class).getText().startsWith("good is ready"));

        assertTrue(enabled(robot, "#useButton"));
        robot.clickOn("#useButton");
        assertEquals(modelsDir.resolve("good.bin"), used.get());
    }

    @Test
    void cancelLeavesAPartialFileAndResumeContinuesWithARangeRequest(FxRobot robot) throws Exception {
        ModelManagerViewModel.Row row = select(robot, "slow");
        robot.clickOn("#downloadButton");
        waitFor(10, () -> row.diskUseProperty().get() >= 32 << 10);
        robot.clickOn("#cancelButton");
        waitFor(5, () -> row.status() == ModelManagerViewModel.Status.PARTIAL);

        Path partial = modelsDir.resolve("slow.bin.partial");
        assertTrue(Files.isRegularFile(partial), "the bytes that arrived are kept");
        assertFalse(Files.exists(modelsDir.resolve("slow.bin")), "a cancelled download is never in place");
        long kept = Files.size(partial);
        assertTrue(kept > 0 && kept < BLOB.length, "kept " + kept);
        assertTrue(stateText(robot, "slow").startsWith("partial"));
        assertTrue(robot.lookup("#modelManagerMessage").queryAs(Label.class).getText().contains("cancelled"));
        assertTrue(enabled(robot, "#resumeButton"));
        assertFalse(enabled(robot, "#useButton"));

        slowDelayMs = 0;
        robot.clickOn("#resumeButton");
        waitFor(30, () -> row.status() == ModelManagerViewModel.Status.READY);
        assertEquals("bytes=" + kept + "-", rangesSeen.get(rangesSeen.size() - 1));
        assertArrayEquals(BLOB, Files.readAllBytes(modelsDir.resolve("slow.bin")));
        assertFalse(Files.exists(partial));
    }

    @Test
    void aWrongChecksumIsShownAsAnErrorAndTheModelIsNotReady(FxRobot robot) throws Exception {
        ModelManagerViewModel.Row row = select(robot, "bad_sum");
        robot.clickOn("#downloadButton");
        Label message = robot.lookup("#modelManagerMessage").query();
        waitFor(30, () -> message.getText().contains("checksum mismatch"));
        waitFor(5, () -> row.status() != ModelManagerViewModel.Status.DOWNLOADING);

        assertNotEquals(ModelManagerViewModel.Status.READY, row.status());
        assertEquals(ModelManagerViewModel.Status.NOT_DOWNLOADED, row.status());
        assertTrue(message.getStyle().contains("-fx-text-fill"), "shown as a problem");
        assertTrue(row.progressTextProperty().get().startsWith("failed: "));
        assertFalse(Files.exists(modelsDir.resolve("bad.bin")));
        assertFalse(Files.exists(modelsDir.resolve("bad.bin.partial")), "the rejected bytes are removed");
        assertFalse(enabled(robot, "#useButton"));
        assertTrue(enabled(robot, "#downloadButton"), "can be tried again");
    }

    @Test
    void filesAlreadyPresentWorkOfflineAndTheFolderCanChange(FxRobot robot) throws Exception {
        stopServer(); // no network from here on
        ModelManagerViewModel.Row row = select(robot, "offline");
        assertEquals("ready", stateText(robot, "offline"));
        assertEquals(3, row.diskUseProperty().get());
        robot.clickOn("#useButton");
        assertEquals(modelsDir.resolve("offline.bin"), used.get());

        Path other = tmp.resolve("elsewhere");
        TextField field = robot.lookup("#modelsDirField").query();
        assertEquals(modelsDir.toString(), field.getText());
        robot.interact(field::clear);
        robot.clickOn(field).write(other.toString()).type(KeyCode.ENTER);
        waitFor(5, () -> other.equals(dirChanged.get()));
        assertEquals(other, vm.modelsDir());
        assertEquals(ModelManagerViewModel.Status.NOT_DOWNLOADED, row.status(), "the new folder does not have it");
        assertFalse(enabled(robot, "#useButton"));
    }

    @Test
    void deleteAsksThenRemovesTheFile(FxRobot robot) throws Exception {
        ModelManagerViewModel.Row row = select(robot, "offline");
        robot.clickOn("#deleteButton");
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn(robot.lookup((Node n) -> n instanceof Button b && "OK".equals(b.getText())).queryAs(Button.class));
        waitFor(5, () -> row.status() == ModelManagerViewModel.Status.NOT_DOWNLOADED);
        assertFalse(Files.exists(modelsDir.resolve("offline.bin")));
        assertTrue(robot.lookup("#modelManagerMessage").queryAs(Label.class).getText().contains("deleted"));
    }

    @Test
    void aLocalCheckpointIsIdentifiedByItsContentsAndDeleteOnlyForgetsIt(FxRobot robot) throws Exception {
        Path mine = tmp.resolve("my-weights-any-name.safetensors");
        RandomSam.write(SamConfig.TINY, 5, mine);
        ModelManagerViewModel.Row row = vm.row("sam_tiny");
        robot.interact(() -> vm.addLocal(mine));
        waitFor(30, () -> row.status() == ModelManagerViewModel.Status.READY);
        Label message = robot.lookup("#modelManagerMessage").query();
        assertTrue(message.getText().contains("SAM tiny, registered as sam_tiny"), message.getText());
        assertEquals(mine.toAbsolutePath(), row.fileProperty().get());
        assertTrue(row.localProperty().get());

        robot.interact(() -> vm.delete(row));
        assertEquals(ModelManagerViewModel.Status.NOT_DOWNLOADED, row.status());
        assertTrue(Files.isRegularFile(mine), "the user's own file is never deleted");
        assertTrue(message.getText().contains("forgotten"), message.getText());
    }
}
