package org.robustsam.studio.annotate.project;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnnotProjectFileTest {
    @TempDir
    Path dir;

    @Test
    void savedProjectLoadsBackEqual() throws IOException {
        Project p = ProjectFixtures.twoImages(dir);
        ProjectFile file = new ProjectFile(dir);
        file.save(p.snapshot());
        ProjectSnapshot back = new ProjectFile(dir).load().snapshot();
        assertEquals(p.snapshot(), back);
        AnnotatedObject cat = back.images().get(0).objects().get(0);
        assertEquals("robustsam_vit_b", cat.modelId());
        assertEquals(0.93, cat.score());
        assertEquals(2, cat.prompts().points().size());
        assertEquals(new Prompts.Box(2, 3, 12, 14), cat.prompts().box());
        assertEquals(ImageStatus.DONE, back.images().get(0).status());
        assertEquals("sub/b.png", back.images().get(1).path());
        assertEquals(4, back.nextObjectId());
        String json = Files.readString(file.file());
        assertTrue(json.contains("\"schemaVersion\" : 1"), json);
        assertTrue(json.contains("\"status\" : \"done\""), json);
    }

    @Test
    void newerSchemaVersionIsRefusedNamingTheFileAndLeftUnchanged() throws IOException {
        Path f = dir.resolve(ProjectFile.FILE_NAME);
        String newer = "{\"schemaVersion\": 7, \"labels\": [], \"images\": [], \"nextObjectId\": 1, \"somethingNew\": true}";
        Files.writeString(f, newer);
        ProjectFileException e = assertThrows(ProjectFileException.class, () -> new ProjectFile(dir).load());
        assertTrue(e.getMessage().startsWith(f.toString() + ": written by a newer RobustSAM Studio (project schema version 7;"
                + " this version reads up to 1)"), e.getMessage());
        assertEquals(newer, Files.readString(f));
    }

    @Test
    void invalidJsonNamesFileAndLine() throws IOException {
        Path f = dir.resolve(ProjectFile.FILE_NAME);
        Files.writeString(f, "{\n  \"schemaVersion\": 1,\n  \"labels\": [ oops ]\n}");
        ProjectFileException e = assertThrows(ProjectFileException.class, () -> new ProjectFile(dir).load());
        assertTrue(e.getMessage().startsWith(f + ", line 3, column "), e.getMessage());
        assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
        Files.writeString(f, "");
        assertTrue(assertThrows(ProjectFileException.class, () -> new ProjectFile(dir).load()).getMessage().contains("empty"));
        Files.writeString(f, "{\"hello\": 1}");
        assertTrue(assertThrows(ProjectFileException.class, () -> new ProjectFile(dir).load()).getMessage()
                .contains("not a RobustSAM Studio project file"));
    }

    @Test
    void unknownFieldsAndMissingFieldsAreNamed() throws IOException {
        Path f = dir.resolve(ProjectFile.FILE_NAME);
        Files.writeString(f, "{\"schemaVersion\": 1, \"nextObjectId\": 1, \"labels\": [],\n \"images\": [{\"path\": \"a.jpg\", \"width\": 4,"
                + " \"height\": 4, \"status\": \"todo\", \"objects\": [], \"colour\": 1}]}");
        ProjectFileException unknown = assertThrows(ProjectFileException.class, () -> new ProjectFile(dir).load());
        assertTrue(unknown.getMessage().contains("line 2") && unknown.getMessage().contains("unknown field \"colour\" at images[0]"),
                unknown.getMessage());
        Files.writeString(f, "{\"schemaVersion\": 1, \"nextObjectId\": 1, \"labels\": [], \"images\": [{\"path\": \"a.jpg\", \"width\": 4,"
                + " \"status\": \"todo\", \"objects\": []}]}");
        assertEquals(f + ": missing images[0] (a.jpg).height",
                assertThrows(ProjectFileException.class, () -> new ProjectFile(dir).load()).getMessage());
    }

    @Test
    void pathsOutsideTheProjectAreRefused() throws IOException {
        for (String bad : List.of("../secret.jpg", "/etc/passwd", "a/../../x.jpg", "C:\\\\photos\\\\x.jpg")) {
            Files.writeString(dir.resolve(ProjectFile.FILE_NAME), "{\"schemaVersion\": 1, \"nextObjectId\": 1, \"labels\": [],"
                    + " \"images\": [{\"path\": \"" + bad + "\", \"width\": 4, \"height\": 4, \"status\": \"todo\", \"objects\": []}]}");
            ProjectFileException e = assertThrows(ProjectFileException.class, () -> new ProjectFile(dir).load(), bad);
            assertTrue(e.getMessage().contains("points outside the project folder") || e.getMessage().contains("is absolute"),
                    e.getMessage());
        }
        assertEquals("a/c.jpg", ProjectPaths.normalizeRelative("a/./b/../c.jpg"));
        assertEquals("a/b.jpg", ProjectPaths.normalizeRelative("a\\b.jpg"));
        assertThrows(IllegalArgumentException.class, () -> Project.create(dir).addImage("../x.jpg", 3, 3));
    }

    @Test
    void contentErrorsNameTheObject() throws IOException {
        Project p = ProjectFixtures.twoImages(dir);
        ProjectFile file = new ProjectFile(dir);
        file.save(p.snapshot());
        String json = Files.readString(file.file());
        Files.writeString(file.file(), json.replace("\"label\" : \"dog\"", "\"label\" : \"wolf\""));
        ProjectFileException e = assertThrows(ProjectFileException.class, () -> new ProjectFile(dir).load());
        assertTrue(e.getMessage().contains("object 2 on a.jpg has label 'wolf', which is not in the project's labels"), e.getMessage());
        // A counts string that decodes to more pixels than the 40x30 mask.
        Files.writeString(file.file(), json.replaceFirst("\"counts\" : \"[^\"]*\"", "\"counts\" : \"0ooo1\""));
        ProjectFileException rle = assertThrows(ProjectFileException.class, () -> new ProjectFile(dir).load());
        assertTrue(rle.getMessage().contains("images[0] (a.jpg).objects[0] (id 1).mask: RLE counts"), rle.getMessage());
    }

    @Test
    void savesRotateThreeBackupsAndNeverLoseThePreviousVersion() throws IOException {
        Project p = ProjectFixtures.twoImages(dir);
        ProjectFile file = new ProjectFile(dir);
        String[] versions = new String[5];
        for (int i = 0; i < 5; i++) {
            p.setStatus("sub/b.png", i % 2 == 0 ? ImageStatus.SKIPPED : ImageStatus.TODO);
            p.addImage("extra" + i + ".jpg", 8, 8);
            file.save(p.snapshot());
            versions[i] = Files.readString(file.file());
        }
        assertEquals(versions[4], Files.readString(file.file()));
        assertEquals(versions[3], Files.readString(file.backup(1)));
        assertEquals(versions[2], Files.readString(file.backup(2)));
        assertEquals(versions[1], Files.readString(file.backup(3)));
        assertFalse(Files.exists(dir.resolve(ProjectFile.FILE_NAME + ".bak4")));
        assertFalse(Files.exists(AtomicFiles.tempFor(file.file())), "no temp file left after a save");
    }

    @Test
    void aCorruptFileIsKeptNotOverwritten() throws IOException {
        Path f = dir.resolve(ProjectFile.FILE_NAME);
        byte[] corrupt = "{\"schemaVersion\": 1, \"labels\": [ trunc".getBytes(StandardCharsets.UTF_8);
        Files.write(f, corrupt);
        ProjectFileException e = assertThrows(ProjectFileException.class, () -> new ProjectFile(dir).load());
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        assertArrayEquals(corrupt, Files.readAllBytes(f), "a failed load leaves the file alone");

        // Saving a fresh project over it (e.g. the user chose "start a new project") keeps the old bytes twice:
        // as a kept-aside copy that rotation never deletes, and as the newest backup.
        ProjectFile file = new ProjectFile(dir);
        file.save(Project.create(dir).snapshot());
        List<Path> kept = keptFiles(".kept-");
        assertEquals(1, kept.size());
        assertArrayEquals(corrupt, Files.readAllBytes(kept.get(0)));
        assertArrayEquals(corrupt, Files.readAllBytes(file.backup(1)));
        // Further saves rotate backups but leave the kept copy.
        for (int i = 0; i < 4; i++) {
            file.save(Project.create(dir).snapshot());
        }
        assertArrayEquals(corrupt, Files.readAllBytes(keptFiles(".kept-").get(0)));
        assertEquals(1, keptFiles(".kept-").size(), "our own saves are not kept aside again");
    }

    @Test
    void recoveryReportsACorruptFileAndRestoresTheNewestReadableBackup() throws IOException {
        Project p = ProjectFixtures.twoImages(dir);
        ProjectFile file = new ProjectFile(dir);
        file.save(p.snapshot());
        p.addImage("c.jpg", 5, 5);
        file.save(p.snapshot());
        Files.writeString(file.file(), "garbage");

        Recovery.Report r = Recovery.check(dir);
        assertTrue(r.needsAttention());
        assertFalse(r.crashed());
        assertFalse(r.main().readable());
        assertTrue(r.main().problem().contains("not valid JSON"), r.main().problem());
        Recovery.Candidate best = r.best().orElseThrow();
        assertEquals(file.backup(1), best.file());
        assertEquals(2, best.images());
        assertEquals(3, best.objects());
        assertTrue(r.describe().contains("cannot be read") && r.describe().contains("project.json.bak1"), r.describe());

        Path kept = Recovery.restore(dir, best);
        assertEquals("garbage", Files.readString(kept));
        assertEquals(p.snapshot().images().size() - 1, new ProjectFile(dir).load().images().size());
        assertFalse(Recovery.check(dir).needsAttention());
    }

    private List<Path> keptFiles(String marker) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(x -> x.getFileName().toString().contains(marker)).toList();
        }
    }
}
