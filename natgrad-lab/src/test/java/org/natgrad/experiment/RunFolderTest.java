package org.natgrad.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.natgrad.linalg.Backend;

class RunFolderTest {

    record Opts(int width, double rate) {
    }

    @Test
    void writesEveryFileAtomicallyAndParseably(@TempDir Path tmp) throws Exception {
        RunFolder f = RunFolder.create(tmp.resolve("run"), false);
        f.writeOptions(new Opts(20, 0.05));
        Provenance p = f.writeProvenance(42, List.of("natgrad", "train"));
        try (RunLog log = f.openLog(List.of("step", "loss"))) {
            log.row(0, 1.0);
        }
        f.writeResults(Map.of("final_loss", 0.5));
        f.writeReport("# report\n");

        assertEquals(20, Json.readTree(f.resolve(RunFolder.OPTIONS)).get("width").intValue());
        JsonNode prov = Json.readTree(f.resolve(RunFolder.PROVENANCE));
        assertEquals(42, prov.get("seed").longValue());
        assertEquals(p.gitRevision(), prov.get("gitRevision").asText());
        assertEquals(System.getProperty("java.version"), prov.get("jdkVersion").asText());
        assertEquals(Runtime.getRuntime().availableProcessors(), prov.get("cores").intValue());
        assertEquals(Backend.threads(), prov.get("blasThreads").intValue());
        assertEquals(Backend.describe(), prov.get("backend").asText());
        Instant.parse(prov.get("startTime").asText());
        assertEquals("train", prov.get("commandLine").get(1).asText());
        assertEquals(0.5, Json.readTree(f.resolve(RunFolder.RESULTS)).get("final_loss").doubleValue(), 0.0);
        assertEquals("# report\n", Files.readString(f.resolve(RunFolder.REPORT)));
        assertEquals(2, Files.readAllLines(f.resolve(RunFolder.LOG)).size());
        try (Stream<Path> s = Files.list(f.path())) {
            List<String> names = s.map(x -> x.getFileName().toString()).sorted().toList();
            assertEquals(List.of(".natgrad.lock", "log.csv", "options.json", "provenance.json", "report.md",
                    "results.json"), names);
        }
    }

    @Test
    void gitRevisionMatchesGitWhenGitIsThere() throws Exception {
        Provenance.Git g = Provenance.Git.find();
        String expected = runGit("rev-parse", "HEAD");
        if (expected == null) {
            assertEquals("unknown", g.revision());
        } else {
            // the tests run inside the natgrad checkout, so both name the same commit
            assertEquals(expected, g.revision());
            assertTrue(g.dirty() != null);
        }
    }

    private static String runGit(String... args) throws InterruptedException {
        try {
            List<String> cmd = new java.util.ArrayList<>(List.of("git"));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return null;
            }
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return null;
        }
    }

    @Test
    void refusesANonEmptyFolderUnlessAllowedAndForceReplacesOnlyARunFoldersRunFiles(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("old.txt"), "x");
        IOException e = assertThrows(IOException.class, () -> RunFolder.create(tmp, false));
        assertTrue(e.getMessage().contains("not empty") && e.getMessage().contains("--force"), e.getMessage());
        // not a run folder (no provenance.json): --force deletes nothing
        e = assertThrows(RunFolder.FolderRefusedException.class, () -> RunFolder.create(tmp, true));
        assertTrue(e.getMessage().contains("not a natgrad run folder"), e.getMessage());
        assertEquals("x", Files.readString(tmp.resolve("old.txt")));

        // a run folder: the earlier run's files go as a set, other files stay
        Files.writeString(tmp.resolve("provenance.json"), "{}");
        Files.writeString(tmp.resolve("quality.csv"), "stale");
        Files.createDirectories(tmp.resolve("A"));
        Files.writeString(tmp.resolve("A").resolve("log.csv"), "stale");
        Files.writeString(tmp.resolve(".model.npz.123.tmp"), "");
        try (RunFolder f = RunFolder.create(tmp, true)) {
            f.writeReport("new");
        }
        assertEquals("x", Files.readString(tmp.resolve("old.txt")));
        assertFalse(Files.exists(tmp.resolve("quality.csv")));
        assertFalse(Files.exists(tmp.resolve("A")));
        assertFalse(Files.exists(tmp.resolve("provenance.json")));
        assertFalse(Files.exists(tmp.resolve(".model.npz.123.tmp")), "a killed run's temporary file is removed");
        assertEquals("new", Files.readString(tmp.resolve("report.md")));
        Path file = tmp.resolve("old.txt");
        e = assertThrows(IOException.class, () -> RunFolder.create(file, true));
        assertTrue(e.getMessage().contains("existing file"), e.getMessage());
    }

    @Test
    void aLockedFolderIsRefusedAndAnEmptyFolderThisRunMadeIsRemoved(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("run");
        try (RunFolder f = RunFolder.create(dir, false)) {
            RunFolder.FolderRefusedException e = assertThrows(RunFolder.FolderRefusedException.class,
                    () -> RunFolder.create(dir, true));
            assertTrue(e.getMessage().contains("in use by another natgrad run"), e.getMessage());
            assertThrows(RunFolder.FolderRefusedException.class, () -> RunFolder.existing(dir));
        }
        assertFalse(Files.exists(dir), "nothing was written, so the folder this run created is gone");
        try (RunFolder f = RunFolder.create(dir, false)) {
            f.writeReport("r");
        }
        try (RunFolder f = RunFolder.existing(dir)) {
            assertTrue(Files.exists(f.resolve("report.md")), "the lock is released at close");
        }
    }
}
