package org.natgrad.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.natgrad.experiment.Json;

/**
 * Rejected natural-gradient steps are visible: in log.csv (damping, rejected_steps), results.json
 * (rejectedSteps, finalDamping, status "stalled"), report.md and the console.
 */
class RejectedStepsTest {

    @Test
    void aRunWhoseEveryStepIsRejectedSaysSoEverywhere(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        // α = 1e300 makes every update overflow: the loss after each step is infinite, so each is rejected
        Cli r = Cli.run("--threads", "1", "train", "--layers", "10,20,5", "--optimizer", "ngd", "--alpha", "1e300",
                "--teacher-examples", "200", "--test-examples", "50", "--batch", "20", "--examples", "800",
                "--eval-every", "5", "--out", out.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("40 of 40 steps rejected"), r.toString());
        assertTrue(r.err().contains("warning: the run stalled: 40 of 40 steps (100%) were rejected"), r.toString());

        List<String> log = Files.readAllLines(out.resolve("log.csv"));
        List<String> header = List.of(log.get(0).split(","));
        int step = header.indexOf("step");
        int rejected = header.indexOf("rejected_steps");
        int damping = header.indexOf("damping");
        int train = header.indexOf("train_loss");
        assertTrue(rejected > 0 && damping > 0, log.get(0));
        String[] first = log.get(1).split(",", -1);
        assertEquals(0.01, Double.parseDouble(first[damping]), "the first row has the initial damping");
        double previousDamping = 0;
        for (String line : log.subList(1, log.size())) {
            String[] f = line.split(",", -1);
            assertEquals(f[step], f[rejected], "every step so far was rejected: " + line);
            // a rejected step restores the weights exactly, so the training loss never changes
            assertEquals(first[train], f[train], line);
            double d = Double.parseDouble(f[damping]);
            assertTrue(d >= previousDamping, "a rejection never lowers the damping: " + line);
            previousDamping = d;
        }
        JsonNode res = Json.readTree(out.resolve("results.json"));
        assertEquals("stalled", res.get("status").asText());
        assertEquals(40, res.get("rejectedSteps").asLong());
        assertEquals(40, res.get("steps").asLong());
        assertTrue(res.get("finalDamping").asDouble() > 0.01, res.toString());
        assertTrue(res.get("lastRejection").asText().contains("Infinity"), res.toString());
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("**Stalled:** 40 of 40 steps (100%) were rejected"), report);
        assertTrue(report.contains("| rejected steps | 40 (100.0%) |"), report);
    }

    @Test
    void aHealthyRunReportsItsFewRejectionsAndCompletes(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        Cli r = Cli.run("--threads", "1", "train", "--layers", "10,20,5", "--optimizer", "ngd",
                "--teacher-examples", "200", "--test-examples", "50", "--batch", "20", "--examples", "800",
                "--out", out.toString());
        assertEquals(0, r.code(), r.toString());
        JsonNode res = Json.readTree(out.resolve("results.json"));
        assertEquals("completed", res.get("status").asText());
        long k = res.get("rejectedSteps").asLong();
        assertTrue(2 * k <= 40, res.toString());
        List<String> log = Files.readAllLines(out.resolve("log.csv"));
        String[] last = log.get(log.size() - 1).split(",", -1);
        assertEquals(Long.toString(k), last[last.length - 1], "the last row counts every rejection");
        assertTrue(r.out().contains(k + " of 40 steps rejected"), r.toString());
        assertEquals("", r.err(), "no warning for a healthy run");
    }
}
