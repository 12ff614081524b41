package org.robustsam.studio.hardening;

import static org.robustsam.studio.hardening.Colors.check;

import ai.djl.ndarray.NDManager;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.robustsam.studio.annotate.format.ExportException;
import org.robustsam.studio.annotate.format.LabelMeExporter;
import org.robustsam.studio.annotate.project.AnnotatedObject;
import org.robustsam.studio.annotate.project.AutosaveCrashChild;
import org.robustsam.studio.annotate.project.Autosaver;
import org.robustsam.studio.annotate.project.FileWriteException;
import org.robustsam.studio.annotate.project.ImageStatus;
import org.robustsam.studio.annotate.project.Label;
import org.robustsam.studio.annotate.project.Project;
import org.robustsam.studio.annotate.project.ProjectFile;
import org.robustsam.studio.annotate.project.ProjectFileException;
import org.robustsam.studio.annotate.project.ProjectFixtures;
import org.robustsam.studio.annotate.project.Recovery;
import org.robustsam.studio.annotate.project.SessionLock;
import org.robustsam.studio.hardening.HardeningCase.EntryPoint;
import org.robustsam.studio.image.RgbImage;
import org.robustsam.studio.inference.Engines;
import org.robustsam.studio.inference.MaskPrediction;
import org.robustsam.studio.inference.Prompt;
import org.robustsam.studio.inference.Segmenter;
import org.robustsam.studio.inference.Segmenters;
import org.robustsam.studio.model.checkpoint.CheckpointException;
import org.robustsam.studio.model.checkpoint.StateDict;
import org.robustsam.studio.model.manager.CancelToken;
import org.robustsam.studio.model.manager.DownloadException;
import org.robustsam.studio.model.manager.ModelDownloader;
import org.robustsam.studio.model.robustsam.RobustSam;
import org.robustsam.studio.model.sam.RandomSam;
import org.robustsam.studio.model.sam.SamConfig;
import org.robustsam.studio.train.AdamW;
import org.robustsam.studio.train.CheckpointStore;
import org.robustsam.studio.train.TrainingConfig;

/**
 * Faults rather than bad files: the app killed with SIGKILL while it autosaves, exports, saves a
 * fine-tuning checkpoint or downloads a model; a full disk; a read-only project folder; a model
 * file deleted while the model is in use; a photo too large for the heap. After each, what is on
 * disk is the old or the new version of every file, never a torn one, and work goes on.
 */
final class FaultCases {
    private static final Duration LIMIT = Duration.ofSeconds(150);

    private final Path dir;
    private final CaseList cases = new CaseList(EntryPoint.FAULT, LIMIT,
            Set.of(FileWriteException.class, ProjectFileException.class, ExportException.class, DownloadException.class,
                    CheckpointException.class, CliRun.Refused.class));
    private Path samTiny;

    private FaultCases(Path dir) {
        this.dir = dir;
    }

    static List<HardeningCase> build(Path dir) throws Exception {
        FaultCases c = new FaultCases(Files.createDirectories(dir));
        c.killDuringAutosave();
        c.killDuringExport();
        c.killDuringCheckpointWrite();
        c.killDuringDownload();
        c.diskFull();
        c.readOnly();
        c.modelDeletedWhileLoaded();
        c.hugeImageInSmallHeap();
        return c.cases.cases();
    }

    /** A tiny random SAM, written once when the first case needs it. */
    private synchronized Path samTiny() throws IOException {
        if (samTiny == null) {
            samTiny = dir.resolve("sam_tiny.safetensors");
            RandomSam.write(SamConfig.TINY, 11, samTiny);
        }
        return samTiny;
    }

    private Path stderr(String name) {
        return dir.resolve(name + "-stderr.txt");
    }

    // ------------------------------------------------------------------ kill -9

    /** Autosave with a tiny delay, so the kill lands in the middle of a save more often than not. */
    private void killDuringAutosave() {
        int[][] runs = {{1, 1, 40}, {5, 2, 90}, {0, 0, 150}};
        for (int[] r : runs) {
            int delay = r[0];
            int pause = r[1];
            int edits = r[2];
            cases.handles("kill -9 during autosave (delay " + delay + " ms, " + edits + " edits): project.json whole, recovery offered",
                    List.of(), () -> {
                        Path folder = Files.createDirectories(dir.resolve("autosave-" + delay + "-" + edits));
                        List<Long> made = new ArrayList<>();
                        try (ChildJvm child = ChildJvm.start(stderr("autosave-" + edits), List.of("-Xmx256m"), AutosaveCrashChild.class,
                                folder.toString(), Integer.toString(delay), Integer.toString(pause))) {
                            child.await(l -> l.startsWith("READY"), 60_000);
                            // Past the first save (a cold JVM takes a while), then on for the given number of edits.
                            Path saved = folder.resolve(ProjectFile.FILE_NAME);
                            while (made.size() < edits || !Files.exists(saved)) {
                                String line = child.await(l -> l.startsWith("EDIT "), 30_000);
                                made.add(Long.parseLong(line.substring(5)));
                            }
                            child.kill();
                        }
                        Recovery.Report report = Recovery.check(folder);
                        check(report.crashed(), "recovery sees the crash: " + report.describe());
                        check(report.main() != null && report.main().readable(), "project.json reads: " + report.describe());
                        Project recovered = new ProjectFile(folder).load();
                        List<Long> saved = recovered.image("photo.png").orElseThrow().objects().stream().map(AnnotatedObject::id).toList();
                        check(saved.equals(made.subList(0, saved.size())), "what is saved is exactly the first " + saved.size()
                                + " edits, no gap: " + saved);
                        try (Autosaver again = Autosaver.start(recovered, new ProjectFile(folder), Duration.ofMillis(20), null)) {
                            recovered.setStatus("other.png", ImageStatus.SKIPPED);
                        }
                        check(!Recovery.check(folder).needsAttention(), "a clean restart clears the crash marker");
                        check(new ProjectFile(folder).load().image("other.png").orElseThrow().status() == ImageStatus.SKIPPED,
                                "work goes on after the crash");
                    });
        }
    }

    /** A project of 40 images, 3 objects each, for the export crash. */
    private static Path exportProject(Path folder) throws IOException {
        Files.createDirectories(folder);
        Project p = Project.create(folder);
        p.insertLabel(0, new Label("thing", "#aa0000"));
        for (int i = 0; i < 40; i++) {
            String img = "img" + i + ".jpg";
            p.addImage(img, 96, 64);
            for (int k = 0; k < 3; k++) {
                int x = (i * 7 + k * 20) % 80;
                p.insertObject(img, k, AnnotatedObject.manual(p.allocateObjectId(), "thing",
                        ProjectFixtures.rect(96, 64, x, k * 15, x + 12, k * 15 + 10)));
            }
        }
        new ProjectFile(folder).save(p.snapshot());
        return folder;
    }

    private void killDuringExport() {
        for (int kills : new int[] {3, 8}) {
            cases.handles("kill -9 during a LabelMe export (after " + kills + " exports): every file is whole, old or new", List.of(), () -> {
                Path project = exportProject(dir.resolve("export-project-" + kills));
                Path expectA = dir.resolve("export-a-" + kills);
                Path expectB = dir.resolve("export-b-" + kills);
                LabelMeExporter.export(new ProjectFile(project).load().snapshot(), project, expectA, 0.5);
                LabelMeExporter.export(ExportCrashChild.versionB(project), project, expectB, 0.5);
                Path out = dir.resolve("export-out-" + kills);
                try (ChildJvm child = ChildJvm.start(stderr("export-" + kills), List.of("-Xmx256m"), ExportCrashChild.class,
                        project.toString(), out.toString())) {
                    child.await(l -> l.startsWith("READY"), 60_000);
                    child.await(l -> l.equals("EXPORTED " + (kills - 1)), 60_000);
                    Thread.sleep(new Random(kills).nextInt(40)); // land somewhere inside the next export
                    child.kill();
                }
                int a = 0;
                int b = 0;
                for (int i = 0; i < 40; i++) {
                    Path f = out.resolve("img" + i + ".json");
                    byte[] got = Files.readAllBytes(f);
                    boolean isA = Arrays.equals(got, Files.readAllBytes(expectA.resolve(f.getFileName())));
                    boolean isB = Arrays.equals(got, Files.readAllBytes(expectB.resolve(f.getFileName())));
                    check(isA || isB, f.getFileName() + " is torn: neither the old nor the new export");
                    a += isA ? 1 : 0;
                    b += isB ? 1 : 0;
                }
                // Exporting again after the crash: no copies kept of the killed export's own files.
                LabelMeExporter.export(new ProjectFile(project).load().snapshot(), project, out, 0.5);
                try (Stream<Path> s = Files.list(out)) {
                    List<String> odd = s.map(p -> p.getFileName().toString()).filter(n -> n.contains(".kept-")).toList();
                    check(odd.isEmpty(), "the export after the crash kept copies of its own files: " + odd);
                }
                for (int i = 0; i < 40; i++) {
                    Path f = out.resolve("img" + i + ".json");
                    check(Arrays.equals(Files.readAllBytes(f), Files.readAllBytes(expectA.resolve(f.getFileName()))),
                            f.getFileName() + " after exporting again");
                }
                System.out.println("[hardening] export killed: " + a + " files of version A, " + b + " of version B");
            });
        }
    }

    private void killDuringCheckpointWrite() {
        for (int saves : new int[] {2, 4}) {
            cases.handles("kill -9 during a fine-tune checkpoint write (after " + saves + " saves): latest is whole and resumes",
                    List.of(), () -> {
                        Path out = dir.resolve("train-out-" + saves);
                        try (ChildJvm child = ChildJvm.start(stderr("train-" + saves), List.of("-Xmx1g"), CheckpointCrashChild.class,
                                samTiny().toString(), out.toString())) {
                            child.await(l -> l.startsWith("READY"), 90_000);
                            for (int i = 0; i < saves; i++) {
                                child.await(l -> l.startsWith("SAVED "), 60_000);
                            }
                            Thread.sleep(new Random(saves).nextInt(150)); // somewhere inside the next save
                            child.kill();
                        }
                        CheckpointStore store = new CheckpointStore(out, 2);
                        Path latest = store.latest().orElseThrow(() -> new AssertionError("no latest checkpoint after the kill"));
                        checkCheckpoint(latest);
                        try (Stream<Path> s = Files.list(store.folder())) {
                            for (Path d : s.filter(p -> p.getFileName().toString().matches("step-\\d+")).toList()) {
                                checkCheckpoint(d); // every folder with a final name is complete
                            }
                        }
                        // Resuming: the next save works and clears what the killed one left half-written.
                        try (NDManager root = Engines.pytorch().newBaseManager();
                             RobustSam model = RobustSam.load(SamConfig.TINY, latest.resolve(CheckpointStore.MODEL_FILE), root);
                             AdamW optimizer = new AdamW(model.robustParameters(), new TrainingConfig.OptimizerConfig(), root)) {
                            CheckpointStore.State state = CheckpointStore.readState(latest);
                            optimizer.restore(CheckpointStore.readMoments(latest, root), state.optimizerSteps());
                            store.save(model, optimizer, new CheckpointStore.State(9, state.optimizerSteps(), 3, 9, null));
                        }
                        check(store.latest().orElseThrow().getFileName().toString().equals("step-000009"), "resumed and saved");
                        try (Stream<Path> s = Files.list(store.folder())) {
                            List<String> left = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList();
                            check(left.isEmpty(), "half-written folders left: " + left);
                        }
                    });
        }
    }

    private static void checkCheckpoint(Path folder) throws Exception {
        CheckpointStore.readState(folder);
        try (NDManager m = Engines.pytorch().newBaseManager();
             StateDict model = StateDict.load(folder.resolve(CheckpointStore.MODEL_FILE), m)) {
            check(model.size() == RobustSam.expectedShapes(SamConfig.TINY).size(), folder.getFileName() + " holds "
                    + model.size() + " tensors");
            CheckpointStore.readMoments(folder, m);
        }
    }

    /** A local server that sends a blob slowly (for the kill) or at once, and honours Range requests. */
    private static final class BlobServer implements AutoCloseable {
        final byte[] blob;
        final HttpServer server;
        final List<String> ranges = new CopyOnWriteArrayList<>();
        volatile int pauseMs;

        BlobServer(int size, int pauseMs) throws IOException {
            blob = new byte[size];
            new Random(size).nextBytes(blob);
            this.pauseMs = pauseMs;
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "blob-server");
                t.setDaemon(true);
                return t;
            }));
            server.createContext("/model.pth", this::serve);
            server.start();
        }

        URI url() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/model.pth");
        }

        String sha() throws Exception {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(blob));
        }

        private void serve(HttpExchange ex) throws IOException {
            String range = ex.getRequestHeaders().getFirst("Range");
            ranges.add(range == null ? "none" : range);
            int start = 0;
            if (range != null && range.startsWith("bytes=")) {
                start = Integer.parseInt(range.substring(6, range.indexOf('-')));
                ex.getResponseHeaders().add("Content-Range", "bytes " + start + "-" + (blob.length - 1) + "/" + blob.length);
                ex.sendResponseHeaders(206, blob.length - start);
            } else {
                ex.sendResponseHeaders(200, blob.length);
            }
            try (OutputStream out = ex.getResponseBody()) {
                for (int at = start; at < blob.length; at += 16384) {
                    out.write(blob, at, Math.min(16384, blob.length - at));
                    out.flush();
                    if (pauseMs > 0) {
                        Thread.sleep(pauseMs);
                    }
                }
            } catch (IOException | InterruptedException gone) {
                // the client was killed
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    private void killDuringDownload() {
        cases.handles("kill -9 during a model download: no file under the final name, the download resumes", List.of(), () -> {
            Path target = dir.resolve("models/sam_vit_b_01ec64.pth");
            try (BlobServer server = new BlobServer(4 << 20, 5)) {
                try (ChildJvm child = ChildJvm.start(stderr("download"), List.of("-Xmx256m"), DownloadCrashChild.class,
                        server.url().toString(), target.toString(), server.sha(), Integer.toString(server.blob.length))) {
                    child.await(l -> l.startsWith("READY"), 60_000);
                    child.await(l -> l.startsWith("BYTES ") && Long.parseLong(l.substring(6)) > (1 << 20), 60_000);
                    child.kill();
                }
                check(!Files.exists(target), "a killed download must not leave a file under the model's name");
                Path partial = ModelDownloader.partialFile(target);
                byte[] have = Files.readAllBytes(partial);
                check(have.length > 0 && have.length < server.blob.length, "partial file of " + have.length + " bytes");
                check(Arrays.equals(have, Arrays.copyOf(server.blob, have.length)), "the partial file is a prefix of the model");
                server.pauseMs = 0;
                new ModelDownloader(HttpClient.newHttpClient(), Duration.ofSeconds(30))
                        .download(server.url(), target, server.sha(), server.blob.length, p -> { }, new CancelToken());
                check(server.ranges.get(server.ranges.size() - 1).equals("bytes=" + have.length + "-"), "resumed with a Range request: "
                        + server.ranges);
                check(Arrays.equals(Files.readAllBytes(target), server.blob), "the finished file is the model");
                check(!Files.exists(partial), "the partial file is gone");
            }
        });
    }

    // ------------------------------------------------------------------ disk full

    private void diskFull() {
        cases.handles("disk full during autosave: clear message, project.json and backups intact, saved once space is back",
                List.of(), () -> {
                    try (Mounts.Tmpfs fs = Mounts.tmpfs(dir.resolve("full-autosave"), "2m")) {
                        Path folder = fs.dir();
                        ProjectFile file = new ProjectFile(folder);
                        Project p = ProjectFixtures.twoImages(folder);
                        for (ImageStatus s : List.of(ImageStatus.TODO, ImageStatus.DONE, ImageStatus.SKIPPED, ImageStatus.TODO)) {
                            p.setStatus("sub/b.png", s);
                            file.save(p.snapshot()); // four saves: three different backups
                        }
                        List<Path> kept = List.of(file.file(), file.backup(1), file.backup(2), file.backup(3));
                        Map<Path, String> before = CaseRunner.fingerprint(kept);
                        List<Exception> failures = new CopyOnWriteArrayList<>();
                        try (Autosaver saver = Autosaver.start(p, file, Duration.ofMillis(20), new Autosaver.Observer() {
                            @Override
                            public void saveFailed(Exception error) {
                                failures.add(error);
                            }
                        })) {
                            Path filler = fs.fill();
                            p.setStatus("a.jpg", ImageStatus.SKIPPED);
                            waitUntil(() -> failures.size() >= 5, 20_000, "five failed saves");
                            String message = failures.get(0).getMessage();
                            check(message.contains(ProjectFile.FILE_NAME) && message.contains("disk is full"), "message: " + message);
                            check(before.equals(CaseRunner.fingerprint(kept)), "project.json or a backup changed while the disk was full");
                            check(!Files.exists(folder.resolve(ProjectFile.FILE_NAME + ".tmp")), "a half-written temp file was left");
                            Files.delete(filler);
                            waitUntil(saver::isSaved, 20_000, "the save once space is back");
                        }
                        check(new ProjectFile(folder).load().image("a.jpg").orElseThrow().status() == ImageStatus.SKIPPED, "the edit is saved");
                    }
                });
        Path exportDir = dir.resolve("full-export");
        cases.rejects("disk full during export: clear message, every file the old or the new version", exportDir, "disk is full",
                List.of(), () -> {
                    Path project = exportProject(dir.resolve("full-export-project"));
                    Path expectB = dir.resolve("full-export-b");
                    LabelMeExporter.export(ExportCrashChild.versionB(project), project, expectB, 0.5);
                    try (Mounts.Tmpfs fs = Mounts.tmpfs(exportDir, "2m")) {
                        Path out = fs.dir().resolve("labelme");
                        LabelMeExporter.export(new ProjectFile(project).load().snapshot(), project, out, 0.5);
                        Map<Path, String> before = CaseRunner.fingerprint(List.of(out));
                        fs.fill();
                        try {
                            LabelMeExporter.export(ExportCrashChild.versionB(project), project, out, 0.5);
                        } finally {
                            Map<Path, String> newVersion = CaseRunner.fingerprint(List.of(expectB));
                            Map<Path, String> after = CaseRunner.fingerprint(List.of(out));
                            for (Map.Entry<Path, String> e : before.entrySet()) {
                                String name = e.getKey().getFileName().toString();
                                if (name.endsWith(".json")) {
                                    String now = after.get(e.getKey());
                                    check(e.getValue().equals(now) || now.equals(newVersion.get(expectB.resolve(name))),
                                            name + " is torn after the failed export");
                                }
                            }
                        }
                    }
                });
        Path downloadDir = dir.resolve("full-download");
        cases.rejects("disk full during a model download: says the disk is full, resumes once space is back",
                downloadDir.resolve("sam_vit_b_01ec64.pth"), "disk is full", List.of(), () -> {
                    try (Mounts.Tmpfs fs = Mounts.tmpfs(downloadDir, "2m"); BlobServer server = new BlobServer(3 << 20, 0)) {
                        Path target = fs.dir().resolve("sam_vit_b_01ec64.pth");
                        ModelDownloader d = new ModelDownloader(HttpClient.newHttpClient(), Duration.ofSeconds(30));
                        try {
                            d.download(server.url(), target, server.sha(), server.blob.length, p -> { }, new CancelToken());
                        } catch (DownloadException e) {
                            check(!Files.exists(target), "nothing under the model's name");
                            // Space comes back (the model goes elsewhere): the download resumes from what it has.
                            Path bigger = dir.resolve("full-download-roomy/sam_vit_b_01ec64.pth");
                            Files.createDirectories(bigger.getParent());
                            Files.copy(ModelDownloader.partialFile(target), ModelDownloader.partialFile(bigger));
                            d.download(server.url(), bigger, server.sha(), server.blob.length, p -> { }, new CancelToken());
                            check(Arrays.equals(Files.readAllBytes(bigger), server.blob), "the resumed file is the model");
                            throw e;
                        }
                    }
                });
        Path trainDir = dir.resolve("full-train");
        cases.rejects("disk full during a checkpoint save: clear message, the previous checkpoint stays the latest",
                trainDir.resolve("checkpoints/step-000002"), "disk is full", List.of(), () -> {
                    try (Mounts.Tmpfs fs = Mounts.tmpfs(trainDir, "160m");
                         NDManager root = Engines.pytorch().newBaseManager();
                         RobustSam model = RobustSam.fromSamCheckpoint(SamConfig.TINY, samTiny(), 3, root);
                         AdamW optimizer = new AdamW(model.robustParameters(), new TrainingConfig.OptimizerConfig(), root)) {
                        CheckpointStore store = new CheckpointStore(fs.dir(), 2);
                        store.save(model, optimizer, new CheckpointStore.State(1, 1, 3, 2, null));
                        Path filler = fs.fill();
                        try {
                            store.save(model, optimizer, new CheckpointStore.State(2, 2, 3, 2, null));
                        } finally {
                            check(store.latest().orElseThrow().getFileName().toString().equals("step-000001"), "latest is step 1");
                            checkCheckpoint(store.latest().orElseThrow());
                            try (Stream<Path> s = Files.list(store.folder())) {
                                check(s.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "a half-written folder was left");
                            }
                            Files.delete(filler);
                        }
                    }
                });
    }

    // ------------------------------------------------------------------ read-only folder

    /** A project saved twice (so it has a backup) on a tmpfs that is then made read-only. */
    private static Path readOnlyProject(Mounts.Tmpfs fs) throws IOException {
        Path folder = fs.dir();
        ProjectFile file = new ProjectFile(folder);
        Project p = ProjectFixtures.twoImages(folder);
        file.save(p.snapshot());
        p.setStatus("sub/b.png", ImageStatus.DONE);
        file.save(p.snapshot());
        fs.readOnly();
        return folder;
    }

    private void readOnly() {
        Path a = dir.resolve("ro-open");
        cases.handles("read-only project folder: it opens, recovery reads it", List.of(), () -> {
            try (Mounts.Tmpfs fs = Mounts.tmpfs(a, "2m")) {
                Path folder = readOnlyProject(fs);
                check(new ProjectFile(folder).load().snapshot().objectCount() == 3, "it opens");
                check(!Recovery.check(folder).needsAttention(), "nothing to recover");
            }
        });
        Path b = dir.resolve("ro-autosave");
        cases.rejects("read-only project folder: editing it says so (session lock)", b.resolve(SessionLock.FILE_NAME), "read-only",
                List.of(), () -> {
                    try (Mounts.Tmpfs fs = Mounts.tmpfs(b, "2m")) {
                        Path folder = readOnlyProject(fs);
                        Autosaver.start(new ProjectFile(folder).load(), new ProjectFile(folder), Duration.ofMillis(20), null).close();
                    }
                });
        Path c = dir.resolve("ro-save");
        cases.rejects("read-only project folder: saving says so, the file unchanged", c.resolve(ProjectFile.FILE_NAME), "read-only",
                List.of(), () -> {
                    try (Mounts.Tmpfs fs = Mounts.tmpfs(c, "2m")) {
                        Path folder = readOnlyProject(fs);
                        ProjectFile file = new ProjectFile(folder);
                        Project p = file.load();
                        byte[] before = Files.readAllBytes(file.file());
                        p.setStatus("a.jpg", ImageStatus.TODO);
                        try {
                            file.save(p.snapshot());
                        } finally {
                            check(Arrays.equals(before, Files.readAllBytes(file.file())), "project.json changed");
                        }
                    }
                });
        Path d = dir.resolve("ro-export");
        cases.rejects("read-only folder: exporting into it says so", d, "read-only", List.of(), () -> {
            try (Mounts.Tmpfs fs = Mounts.tmpfs(d, "2m")) {
                Path folder = readOnlyProject(fs);
                LabelMeExporter.export(new ProjectFile(folder).load().snapshot(), folder, folder, 0.5);
            }
        });
        Path e = dir.resolve("ro-import");
        cases.rejects("read-only project folder: studio import says so", e.resolve(ProjectFile.FILE_NAME), "read-only", List.of(), () -> {
            Path labelme = dir.resolve("ro-import-a.json");
            Files.writeString(labelme, "{\"imagePath\":\"a.jpg\",\"imageHeight\":30,\"imageWidth\":40,\"shapes\":[]}");
            try (Mounts.Tmpfs fs = Mounts.tmpfs(e, "2m")) {
                Path folder = fs.dir();
                ImageIO.write(new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB), "jpg", folder.resolve("a.jpg").toFile());
                Files.copy(labelme, folder.resolve("a.json"));
                fs.readOnly();
                CliRun.runOrRefuse("import", "--format", "labelme", "--input", folder.resolve("a.json").toString(), "--project",
                        folder.toString());
            }
        });
    }

    // ------------------------------------------------------------------ model file deleted, huge image

    private void modelDeletedWhileLoaded() {
        cases.handles("model file deleted (then replaced by garbage) while loaded: predictions go on unchanged", List.of(), () -> {
            Path model = dir.resolve("deleted/sam_tiny.safetensors");
            Files.createDirectories(model.getParent());
            Files.copy(samTiny(), model);
            RgbImage img = new RgbImage(64, 48, new int[64 * 48]);
            Prompt click = new Prompt(List.of(new Prompt.Point(20, 20, true)), null, null);
            try (Segmenter s = Segmenters.open(model)) {
                MaskPrediction before = s.predict(s.encode(img), click, true);
                Files.delete(model);
                MaskPrediction after = s.predict(s.encode(img), click, true);
                check(Arrays.equals(before.iouScores(), after.iouScores()), "the same scores after the file is gone");
                Files.write(model, new byte[] {1, 2, 3});
                MaskPrediction again = s.predict(s.encode(img), click, true);
                check(Arrays.equals(before.iouScores(), again.iouScores()), "the same scores with garbage at its path");
            }
            try {
                Segmenters.open(model).close();
                throw new AssertionError("opening the garbage file must fail");
            } catch (CheckpointException expected) {
                check(expected.getMessage().contains(model.getFileName().toString()), "message names the file: " + expected.getMessage());
            }
        });
    }

    private void hugeImageInSmallHeap() {
        cases.handles("photos too large for a 256 MB heap: refused with a message, the JVM goes on", List.of(), () -> {
            Path folder = Files.createDirectories(dir.resolve("huge"));
            Path huge = folder.resolve("huge-48mp.png");
            Files.write(huge, PngBytes.grayZeros(8000, 6000));
            Path mid = folder.resolve("mid-30mp.png");
            Files.write(mid, PngBytes.grayZeros(6000, 5000));
            Path small = folder.resolve("small.png");
            Files.write(small, PngBytes.grayZeros(100, 80));
            List<String> out;
            int exit;
            try (ChildJvm child = ChildJvm.start(stderr("huge"), List.of("-Xmx256m"), HugeImageChild.class,
                    huge.toString(), mid.toString(), small.toString())) {
                exit = child.waitFor(120_000);
                out = child.output();
                check(!child.stderr().contains("OutOfMemoryError"), "an OutOfMemoryError escaped: " + child.stderr());
            }
            check(exit == 0, "the JVM exited with " + exit + ": " + out);
            Map<String, String> by = new HashMap<>();
            for (String line : out) {
                String[] w = line.split(" ", 3);
                if (w.length >= 2) {
                    by.put(w[1].replace(":", ""), line);
                }
            }
            String h = by.getOrDefault("huge-48mp.png", "");
            check(h.startsWith("REFUSED") && h.contains("memory"), "the 48 MP photo: " + h);
            String m = by.getOrDefault("mid-30mp.png", "");
            check(m.equals("LOADED mid-30mp.png 6000x5000") || (m.startsWith("REFUSED") && m.contains("memory")), "the 30 MP photo: " + m);
            check(by.getOrDefault("small.png", "").equals("LOADED small.png 100x80"), "the small photo after them: " + out);
            check(out.contains("DONE"), "the program went on to the end: " + out);
            System.out.println("[hardening] small heap: " + out);
        });
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void waitUntil(Condition c, long millis, String what) throws Exception {
        long end = System.nanoTime() + millis * 1_000_000L;
        while (!c.holds()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
