package org.natgrad.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.natgrad.experiment.Json;

/**
 * One run at a time per output folder, across processes; --force replaces an earlier run's files
 * as a set; fisher has the same checks (issue 12, items 3 and 8).
 */
class OutputFolderTest {

    private static List<String> train(Path out, String... extra) {
        return train("6,12,4", out, extra);
    }

    private static List<String> train(String layers, Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("--threads", "1", "train", "--layers", layers, "--teacher-examples",
                "500", "--test-examples", "50", "--batch", "20", "--out", out.toString()));
        a.addAll(List.of(extra));
        return a;
    }

    @Test
    void aSecondRunIntoAFolderAnotherProcessIsWritingIsRefused(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.awt.headless=true", "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), "org.natgrad.cli.NatgradCommand"));
        cmd.addAll(train(out, "--optimizer", "ngd", "--examples", "100000000"));
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("child.txt").toFile())
                .start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120); // a hang guard, not a timing claim
            while (!Files.exists(out.resolve("options.json"))) {
                if (!child.isAlive() || System.nanoTime() > deadline) {
                    fail("the child did not start its run: " + Files.readString(dir.resolve("child.txt")));
                }
                Thread.sleep(5);
            }
            Cli second = Cli.run(train(out, "--force", "--examples", "200"));
            assertEquals(2, second.code(), second.toString());
            assertTrue(second.err().contains("is in use by another natgrad run"), second.toString());
            assertFalse(Files.exists(out.resolve("results.json")), "the second run wrote nothing");
        } finally {
            child.destroyForcibly();
            child.waitFor(60, TimeUnit.SECONDS);
        }
        // killed: the OS released its lock, and --force replaces the half-written run
        Cli third = Cli.run(train(out, "--force", "--examples", "200"));
        assertEquals(0, third.code(), third.toString());
        JsonNode opts = Json.readTree(out.resolve("options.json"));
        assertEquals(200, opts.get("examples").asLong(), "options.json is this run's, not the killed one's");
        assertFalse(Files.exists(out.resolve("checkpoint.npz")), "the killed run's checkpoint went with its files");
    }

    @Test
    void forceLeavesNoStaleFileOfAnEarlierRun(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        assertEquals(0, Cli.run(train(out, "--examples", "400", "--variance-every", "5")).code());
        assertTrue(Files.exists(out.resolve("variance.csv")));
        Files.writeString(out.resolve("notes.txt"), "mine");
        Files.writeString(out.resolve(".model.npz.42.tmp"), ""); // what a kill during a write leaves

        Cli plain = Cli.run(train(out, "--examples", "400"));
        assertEquals(2, plain.code(), plain.toString());
        assertTrue(plain.err().contains("not empty") && plain.err().contains("--force"), plain.toString());

        Cli forced = Cli.run(train(out, "--examples", "400", "--force"));
        assertEquals(0, forced.code(), forced.toString());
        assertFalse(Files.exists(out.resolve("variance.csv")), "the earlier run's variance.csv is gone");
        assertFalse(Files.exists(out.resolve(".model.npz.42.tmp")));
        assertEquals("mine", Files.readString(out.resolve("notes.txt")), "a file that is not a run file is kept");
    }

    @Test
    void fisherRefusesANonEmptyFolderWithoutForce(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run");
        assertEquals(0, Cli.run(train("3,4,2", run, "--examples", "200")).code());
        Path data = dir.resolve("d.npz");
        java.util.Map<String, org.natgrad.io.NpyArray> arrays = new java.util.LinkedHashMap<>();
        arrays.put("x", new org.natgrad.io.NpyArray(new int[] {5, 3}, new double[15]));
        arrays.put("y", new org.natgrad.io.NpyArray(new int[] {5, 2}, new double[10]));
        org.natgrad.io.Npz.write(data, arrays);
        Path out = dir.resolve("fisher");
        List<String> fisher = List.of("fisher", "--model", run.resolve("model.npz").toString(), "--data", data.toString(),
                "--activation", "tanh", "--out", out.toString());
        assertEquals(0, Cli.run(fisher).code());
        Cli again = Cli.run(fisher);
        assertEquals(2, again.code(), again.toString());
        assertTrue(again.err().contains("--force"), again.toString());
        List<String> forced = new ArrayList<>(fisher);
        forced.add("--force");
        Cli f = Cli.run(forced);
        assertEquals(0, f.code(), f.toString());
    }
}
