package org.robustsam.studio.cli;

import static org.robustsam.studio.cli.CliRun.studio;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.robustsam.studio.degrade.Degradations;
import org.robustsam.studio.degrade.dataset.AtomicFiles;
import org.robustsam.studio.image.ImageLoader;
import org.robustsam.studio.image.RgbImage;
import org.robustsam.studio.testutil.SharedData;

/** {@code studio degrade} end to end on the shared LabelMe photos, a COCO file and bad input. */
class DegradeCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** The shared LabelMe folder copied, minus the json of 2011_000025 (a missing annotation). */
    private Path labelmeCopyWithOneMissing() throws IOException {
        Path shared = SharedData.labelmeFolder();
        Path dir = Files.createDirectories(tmp.resolve("in"));
        for (String n : List.of("2011_000003.jpg", "2011_000003.json", "2011_000006.jpg", "2011_000006.json", "2011_000025.jpg")) {
            Files.copy(shared.resolve(n), dir.resolve(n));
        }
        return dir;
    }

    private static List<String> manifestRows(Path out) throws IOException {
        List<String> lines = Files.readAllLines(out.resolve("manifest.csv"));
        assertEquals("source,degradation,severity,seed,output,annotation,status", lines.get(0));
        return lines.subList(1, lines.size());
    }

    @Test
    void writesDegradedLabelmeDatasetWithManifestAndResumes() throws Exception {
        Path in = labelmeCopyWithOneMissing();
        Path out = tmp.resolve("out");
        CliRun r = studio("degrade", "--input", in.toString(), "--types", "brightness,compression", "--severity", "1..2",
                "--seed", "5", "--out", out.toString(), "--threads", "2");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("12 copies: 12 written, 0 already there, 0 failed."), r.out());
        assertTrue(r.err().contains("warning: 2011_000025.jpg: no LabelMe annotation (2011_000025.json)"), r.err());
        assertTrue(r.err().contains("100% 12/12"), "progress bar on stderr: " + r.err());

        List<String> rows = manifestRows(out);
        assertEquals(12, rows.size());
        long seed3 = Degradations.seedFor(5, "2011_000003.jpg");
        assertTrue(rows.contains("2011_000003.jpg,brightness,1," + seed3 + ",brightness/s1/2011_000003.png,labelme,written"), rows.toString());
        assertTrue(rows.contains("2011_000025.jpg,compression,2," + Degradations.seedFor(5, "2011_000025.jpg")
                + ",compression/s2/2011_000025.png,missing,written"), rows.toString());
        JsonNode manifest = JSON.readTree(out.resolve("manifest.json").toFile());
        assertEquals(12, manifest.get("entries").size());
        assertEquals("labelme", manifest.get("kind").asText());
        assertEquals(5, manifest.get("seed").asLong());

        // Pixels: exactly what the library gives for the recorded seed; JPEG artefacts kept (PNG).
        ImageLoader loader = new ImageLoader();
        RgbImage src = loader.load(in.resolve("2011_000003.jpg"));
        for (String type : List.of("brightness", "compression")) {
            RgbImage expected = Degradations.get(type).apply(src, 2, seed3);
            RgbImage written = loader.load(out.resolve(type + "/s2/2011_000003.png"));
            assertArrayEquals(expected.pixels(), written.pixels(), type + " copy differs from the library's result");
        }

        // LabelMe json beside each copy: same shapes, imagePath pointing at the copy, no embedded image.
        JsonNode original = JSON.readTree(in.resolve("2011_000003.json").toFile());
        JsonNode copy = JSON.readTree(out.resolve("compression/s1/2011_000003.json").toFile());
        assertEquals("2011_000003.png", copy.get("imagePath").asText());
        assertTrue(copy.get("imageData").isNull());
        assertEquals(original.get("shapes"), copy.get("shapes"));
        assertEquals(original.get("imageWidth"), copy.get("imageWidth"));
        assertFalse(Files.exists(out.resolve("compression/s1/2011_000025.json")), "no annotation was there to copy");

        // Second run: everything is already there and untouched.
        Path one = out.resolve("brightness/s1/2011_000006.png");
        FileTime before = Files.getLastModifiedTime(one);
        CliRun again = studio("degrade", "-i", in.toString(), "-t", "brightness,compression", "-s", "1..2", "--seed", "5", "-o", out.toString());
        assertEquals(0, again.exit(), again.err());
        assertTrue(again.out().contains("12 copies: 0 written, 12 already there, 0 failed."), again.out());
        assertEquals(before, Files.getLastModifiedTime(one));
        assertTrue(manifestRows(out).stream().allMatch(l -> l.endsWith(",existing")));

        // An interrupted run: one copy never finished (only its .part exists), one json lost.
        Files.delete(out.resolve("brightness/s2/2011_000006.png"));
        Path stale = out.resolve("brightness/s2/.2011_000006.png.12345" + AtomicFiles.PART_SUFFIX);
        Files.write(stale, new byte[] {1, 2, 3});
        Files.delete(out.resolve("compression/s1/2011_000003.json"));
        CliRun resumed = studio("degrade", "-i", in.toString(), "-t", "brightness,compression", "-s", "1..2", "--seed", "5", "-o", out.toString());
        assertEquals(0, resumed.exit(), resumed.err());
        assertTrue(resumed.out().contains("12 copies: 1 written, 11 already there, 0 failed."), resumed.out());
        assertFalse(Files.exists(stale), "leftover part file must be removed");
        assertTrue(Files.exists(out.resolve("compression/s1/2011_000003.json")), "lost annotation must be rewritten");
        assertArrayEquals(Degradations.get("brightness").apply(loader.load(in.resolve("2011_000006.jpg")), 2,
                        Degradations.seedFor(5, "2011_000006.jpg")).pixels(),
                loader.load(out.resolve("brightness/s2/2011_000006.png")).pixels());
        try (Stream<Path> files = Files.walk(out)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(AtomicFiles.PART_SUFFIX)));
        }

        // A different seed into the same folder would mix two datasets: refused, nothing changes.
        CliRun other = studio("degrade", "-i", in.toString(), "-t", "brightness", "-s", "1", "--seed", "6", "-o", out.toString());
        assertEquals(2, other.exit());
        assertTrue(other.err().contains("holds a dataset made with seed 5"), other.err());
        CliRun overwrite = studio("degrade", "-i", in.toString(), "-t", "brightness", "-s", "1", "--seed", "6", "-o", out.toString(), "--overwrite");
        assertEquals(0, overwrite.exit(), overwrite.err());
        assertTrue(overwrite.out().contains("3 copies: 3 written"), overwrite.out());
    }

    @Test
    void cocoInputGetsOneAnnotationsFilePerFolder() throws Exception {
        Path shared = SharedData.labelmeFolder();
        Path dir = Files.createDirectories(tmp.resolve("coco/images"));
        Files.copy(shared.resolve("2011_000003.jpg"), dir.resolve("a.jpg"));
        Files.copy(shared.resolve("2011_000006.jpg"), dir.resolve("b.jpg"));
        Path json = tmp.resolve("coco/instances.json");
        Files.writeString(json, """
                {"info": {"description": "test"},
                 "images": [{"id": 1, "file_name": "a.jpg", "width": 500, "height": 338},
                            {"id": 2, "file_name": "b.jpg", "width": 500, "height": 375},
                            {"id": 3, "file_name": "gone.jpg", "width": 10, "height": 10}],
                 "annotations": [{"id": 10, "image_id": 1, "category_id": 1, "bbox": [1, 2, 3, 4], "segmentation": [[1, 2, 3, 4, 5, 6]]},
                                 {"id": 11, "image_id": 3, "category_id": 1, "bbox": [0, 0, 1, 1]}],
                 "categories": [{"id": 1, "name": "person"}]}
                """);
        Path out = tmp.resolve("out");
        CliRun r = studio("degrade", "-i", json.toString(), "-t", "fog", "-s", "3", "-o", out.toString());
        assertEquals(1, r.exit(), "a listed image is missing: exit 1\n" + r.err());
        assertTrue(r.err().contains("gone.jpg: listed in instances.json but not found"), r.err());
        assertTrue(r.err().contains("b.jpg: no annotations in instances.json"), r.err());
        assertTrue(r.out().contains("3 copies: 2 written, 0 already there, 1 failed."), r.out());

        JsonNode coco = JSON.readTree(out.resolve("fog/s3/annotations.json").toFile());
        assertEquals("test", coco.get("info").get("description").asText());
        assertEquals(2, coco.get("images").size());
        assertEquals("a.png", coco.get("images").get(0).get("file_name").asText());
        assertEquals("b.png", coco.get("images").get(1).get("file_name").asText());
        assertEquals(1, coco.get("annotations").size(), "annotations of the missing image are dropped");
        assertEquals(JSON.readTree(json.toFile()).get("annotations").get(0), coco.get("annotations").get(0));
        assertTrue(Files.isRegularFile(out.resolve("fog/s3/a.png")));
        List<String> rows = manifestRows(out);
        assertTrue(rows.stream().anyMatch(l -> l.startsWith("gone.jpg,fog,3,") && l.endsWith(",failed: image file not found")), rows.toString());
        assertTrue(rows.stream().anyMatch(l -> l.startsWith("b.jpg,fog,3,") && l.contains(",missing,written")), rows.toString());
    }

    @Test
    void plainImageFolderHasNoAnnotationsAndJpegOutputOnRequest() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("plain"));
        Files.copy(SharedData.labelmeFolder().resolve("2011_000025.jpg"), dir.resolve("x.jpg"));
        Path out = tmp.resolve("out");
        CliRun r = studio("degrade", "-i", dir.toString(), "-t", "rain,compression", "-o", out.toString(), "--format", "jpg");
        assertEquals(0, r.exit(), r.err());
        assertFalse(r.err().contains("warning"), r.err());
        assertTrue(Files.isRegularFile(out.resolve("rain/s3/x.jpg")));
        assertTrue(Files.isRegularFile(out.resolve("compression/s3/x.png")), "JPEG compression is always stored losslessly");
        assertTrue(manifestRows(out).stream().allMatch(l -> l.contains(",none,written")));
    }

    @Test
    void emptyFolderIsAClearErrorAndWritesNothing() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Path out = tmp.resolve("never");
        CliRun r = studio("degrade", "-i", empty.toString(), "-o", out.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("empty: no images (bmp, jpeg, jpg, png, tif, tiff, webp) in this folder"), r.err());
        assertTrue(r.err().contains("Nothing was written."), r.err());
        assertFalse(Files.exists(out));

        CliRun missing = studio("degrade", "-i", tmp.resolve("nope").toString(), "-o", out.toString());
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("nope: does not exist"), missing.err());
    }

    @Test
    void unwritableOutputFailsBeforeWritingAnything() throws Exception {
        Path in = labelmeCopyWithOneMissing();
        Path blocker = Files.writeString(tmp.resolve("blocker"), "a file");
        CliRun r = studio("degrade", "-i", in.toString(), "-o", blocker.resolve("sub").toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("cannot create the output folder: " + blocker + " is a file"), r.err());
        assertTrue(r.err().contains("Nothing was written."), r.err());

        CliRun onFile = studio("degrade", "-i", in.toString(), "-o", blocker.toString());
        assertEquals(2, onFile.exit());
        assertTrue(onFile.err().contains("output path is a file, not a folder"), onFile.err());
    }

    @Test
    void readOnlyOutputFolderFailsBeforeWritingAnything() throws Exception {
        Path in = labelmeCopyWithOneMissing();
        Path ro = Files.createDirectories(tmp.resolve("ro"));
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assumeFalse(Files.isWritable(ro), "skipped: running as root, permissions are not enforced");
            CliRun r = studio("degrade", "-i", in.toString(), "-o", ro.resolve("out").toString());
            assertEquals(2, r.exit());
            assertTrue(r.err().contains("is not writable"), r.err());
            try (Stream<Path> files = Files.list(ro)) {
                assertEquals(0, files.count());
            }
        } finally {
            Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void badOptionsAreUsageErrors() {
        CliRun sev = studio("degrade", "-i", "x", "-o", "y", "--severity", "0..9");
        assertEquals(2, sev.exit());
        assertTrue(sev.err().contains("bad --severity '0..9'"), sev.err());
        CliRun type = studio("degrade", "-i", "x", "-o", "y", "--types", "fog,haze");
        assertEquals(2, type.exit());
        assertTrue(type.err().contains("unknown degradation 'haze' in --types; known: all, snow, fog"), type.err());
        CliRun none = studio("degrade");
        assertEquals(2, none.exit());
        assertTrue(none.err().contains("Missing required options '--input', '--out'"), none.err());
        assertTrue(studio("--help").out().contains("degrade"));
    }

    @Test
    void benchPrintsOneTimingPerDegradation() {
        CliRun r = studio("degrade", "--bench", "--bench-size", "64");
        assertEquals(0, r.exit(), r.err());
        for (String id : Degradations.ids()) {
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith(id + " ")), id + " missing in\n" + r.out());
        }
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("total")), r.out());
    }

    @Test
    void atomicWriteLeavesNothingBehindWhenTheWriterFails() throws Exception {
        Path target = tmp.resolve("file.png");
        assertThrows(IOException.class, () -> AtomicFiles.write(target, os -> {
            os.write(new byte[100]);
            throw new IOException("disk full");
        }));
        assertFalse(Files.exists(target));
        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(0, files.count(), "no temporary file may remain");
        }
        AtomicFiles.write(target, os -> os.write(new byte[] {7}));
        assertArrayEquals(new byte[] {7}, Files.readAllBytes(target));
    }
}
