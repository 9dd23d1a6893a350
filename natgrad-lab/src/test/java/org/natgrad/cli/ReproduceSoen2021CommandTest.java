package org.natgrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.natgrad.experiment.Json;
import picocli.CommandLine;

class ReproduceSoen2021CommandTest {

    static CliRun run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = ReproduceSoen2021Command.standalone();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        cl.setExecutionExceptionHandler((ex, c, p) -> {
            c.getErr().println("natgrad: error: " + ex.getMessage());
            c.getErr().flush();
            return 1;
        });
        return new CliRun(cl.execute(args), out.toString(), err.toString());
    }

    @Test
    void quickRunOnSyntheticDigitsWritesTheRunFolder(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        CliRun r = run("--quick", "--synthetic", "--seed", "3", "--out", out.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("SYNTHETIC"), r.out());
        for (String f : new String[] {"options.json", "provenance.json", "log.csv", "results.json", "report.md",
                "variance.png", "variance.svg"}) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        JsonNode res = Json.readTree(out.resolve("results.json"));
        assertTrue(res.get("synthetic").asBoolean());
        int layers = 4;
        int checkpoints = res.get("accuracy").size();
        assertEquals(4, checkpoints);
        assertEquals(layers * checkpoints, res.get("points").size());
        assertEquals(1 + layers * checkpoints, Files.readAllLines(out.resolve("log.csv")).size());
        for (JsonNode p : res.get("points")) {
            boolean last = p.get("layer").asInt() == layers;
            // Î2 is exact on the last layer (identity output), noisy elsewhere; Î1 is noisy everywhere
            assertEquals(last, p.get("stdI2").asDouble() == 0.0, p.toString());
            assertTrue(p.get("stdI1").asDouble() > 0, p.toString());
            // the §3.5 bounds are upper bounds
            assertTrue(p.get("boundRatioI1").asDouble() >= 1 - 1e-9, p.toString());
            if (!last) {
                assertTrue(p.get("boundRatioI2").asDouble() >= 1 - 1e-9, p.toString());
            }
        }
        assertTrue(res.get("finalTestAccuracy").asDouble() > 0.5, "the MLP learns the synthetic digits");
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("SYNTHETIC DATA") && report.contains("Where Î2 beats Î1")
                && report.contains("Var(Î2) is exactly 0 in the last layer"), report);
        // a second run into the same folder is refused without --force
        CliRun again = run("--quick", "--synthetic", "--out", out.toString());
        assertNotEquals(0, again.code());
        assertTrue(again.err().contains("not empty"), again.toString());
    }

    @Test
    void rejectsUnsupportedActivation(@TempDir Path dir) {
        CliRun r = run("--quick", "--synthetic", "--activation", "relu", "--out", dir.resolve("x").toString());
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("sigmoid or tanh"), r.toString());
    }
}
