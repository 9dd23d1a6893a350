package org.natgrad.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.natgrad.experiment.Json;
import org.natgrad.experiment.train.TrainCheckpoint;

/**
 * A {@code natgrad train} run killed with SIGKILL in a child JVM, then continued with
 * {@code train --resume DIR}, ends with the same bytes as an uninterrupted run with the same seed
 * and thread count: model.npz (weights and optimizer state), log.csv (all but the seconds
 * column), the diagnostics CSV, results.json (all but the timings).
 */
class KilledRunResumeTest {

    /** Optimizer set-ups whose state differs in kind: damping and random stream, deferred checks, momenta. */
    private static final String[][] SETUPS = {
            {"--optimizer", "ngd", "--variance-every", "700"},
            {"--optimizer", "ngd", "--refresh-every", "3", "--damping-every", "2", "--model-samples", "2"},
            {"--optimizer", "adam", "--lr", "0.002"},
            {"--optimizer", "sgd", "--lr", "0.05", "--momentum", "0.9"},
    };

    private static List<String> args(Path out, int setup) {
        List<String> a = new ArrayList<>(List.of("--threads", "1", "train", "--layers", "6,12,4",
                "--teacher-examples", "1000", "--test-examples", "100", "--batch", "20", "--examples", "400000",
                "--seed", "11", "--checkpoint-every", "150", "--out", out.toString()));
        a.addAll(List.of(SETUPS[setup]));
        return a;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3})
    void killedChildResumesBitIdentically(int setup, @TempDir Path dir) throws Exception {
        Path killed = dir.resolve("killed");
        Path whole = dir.resolve("whole");

        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.awt.headless=true", "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), "org.natgrad.cli.NatgradCommand"));
        cmd.addAll(args(killed, setup));
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.txt").toFile()).start();
        Path checkpoint = killed.resolve(TrainCheckpoint.FILE);
        // a guard against a hang, not a timing assertion: the first checkpoint comes after 150 steps
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.exists(checkpoint)) {
            if (!child.isAlive() || System.nanoTime() > deadline) {
                child.destroyForcibly();
                fail("the child wrote no checkpoint (alive " + child.isAlive() + "): "
                        + Files.readString(dir.resolve("child.txt")));
            }
            Thread.sleep(2);
        }
        child.destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        assertFalse(Files.exists(killed.resolve("model.npz")), "the child must be killed before it finished");
        assertFalse(Files.exists(killed.resolve("results.json")));

        Cli resumed = Cli.run("--threads", "1", "train", "--resume", killed.toString());
        assertEquals(0, resumed.code(), resumed.toString());
        Cli uninterrupted = Cli.run(args(whole, setup));
        assertEquals(0, uninterrupted.code(), uninterrupted.toString());

        assertArrayEquals(Files.readAllBytes(whole.resolve("model.npz")), Files.readAllBytes(killed.resolve("model.npz")),
                "model.npz (weights and optimizer state) must be bit-identical");
        assertEquals(withoutColumn(whole.resolve("log.csv"), 2), withoutColumn(killed.resolve("log.csv"), 2));
        if (Files.exists(whole.resolve("variance.csv"))) {
            assertEquals(Files.readString(whole.resolve("variance.csv")), Files.readString(killed.resolve("variance.csv")));
        }
        assertEquals(withoutTimings(whole.resolve("results.json")), withoutTimings(killed.resolve("results.json")));
        assertFalse(Files.exists(killed.resolve(TrainCheckpoint.FILE)), "a completed run removes its checkpoint");
        assertTrue(Files.exists(killed.resolve("provenance-resumed.json")));
        assertTrue(Files.readString(killed.resolve("report.md")).contains("Resumed from the checkpoint at step"));
    }

    @Test
    void resumeRefusesOtherOptionsAMissingCheckpointAndChangedData(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run");
        Cli first = Cli.run("--threads", "1", "train", "--layers", "3,4,2", "--teacher-examples", "100",
                "--test-examples", "20", "--batch", "10", "--examples", "400", "--checkpoint-every", "5",
                "--out", run.toString());
        assertEquals(0, first.code(), first.toString());
        // completed: no checkpoint left
        Cli again = Cli.run("--threads", "1", "train", "--resume", run.toString());
        assertEquals(1, again.code(), again.toString());
        assertTrue(again.err().contains("no such file: " + run.resolve(TrainCheckpoint.FILE)), again.toString());

        Cli extra = Cli.run("--threads", "1", "train", "--resume", run.toString(), "--layers", "3,4,2");
        assertEquals(2, extra.code(), extra.toString());
        assertTrue(extra.err().contains("remove --layers"), extra.toString());

        Cli noFolder = Cli.run("train", "--resume", dir.resolve("nothing").toString());
        assertEquals(2, noFolder.code(), noFolder.toString());
        assertTrue(noFolder.err().contains("no such folder: " + dir.resolve("nothing")), noFolder.toString());

        // a checkpoint whose data no longer match options.json (other teacher size): refused by CRC
        Path other = dir.resolve("other");
        Cli second = Cli.run("--threads", "1", "train", "--layers", "3,4,2", "--teacher-examples", "100",
                "--test-examples", "20", "--batch", "10", "--examples", "400", "--out", other.toString());
        assertEquals(0, second.code(), second.toString());
        // forge a checkpoint: this run's weights with the loop state of a step-5 checkpoint of a different data CRC
        new TrainCheckpoint(5, 50, new long[] {1, 2, 3, 4, 0, 0}, 5, 1, 0, 0, 0, 1, 1, 0, 0, 12345L,
                java.util.Map.of()).save(other.resolve(TrainCheckpoint.FILE),
                org.natgrad.io.ModelFiles.load(other.resolve("model.npz"), org.natgrad.nn.Activation.TANH,
                        org.natgrad.nn.Activation.IDENTITY));
        Cli changed = Cli.run("--threads", "1", "train", "--resume", other.toString());
        assertEquals(1, changed.code(), changed.toString());
        assertTrue(changed.err().contains("the data differ from the data the run was started with"), changed.toString());
    }

    private static List<String> withoutColumn(Path csv, int column) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(csv)) {
            List<String> f = new ArrayList<>(List.of(line.split(",", -1)));
            f.remove(column);
            out.add(String.join(",", f));
        }
        return out;
    }

    private static JsonNode withoutTimings(Path json) throws IOException {
        ObjectNode n = (ObjectNode) Json.readTree(json);
        n.remove("trainSeconds");
        n.remove("wallSeconds");
        return n;
    }
}
