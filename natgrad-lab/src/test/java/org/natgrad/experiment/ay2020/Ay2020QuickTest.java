package org.natgrad.experiment.ay2020;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.natgrad.cli.ReproduceAy2020Command;
import org.natgrad.experiment.Json;
import picocli.CommandLine;

/** The --quick reproduction end to end through the command, and the options' validation. */
class Ay2020QuickTest {

    @Test
    void quickRunWritesTheRunFolderWithConsistentNumbers(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("run");
        StringWriter so = new StringWriter();
        StringWriter se = new StringWriter();
        CommandLine cl = ReproduceAy2020Command.commandLine();
        cl.setOut(new PrintWriter(so));
        cl.setErr(new PrintWriter(se));
        // (about 10-15 s on an idle 2-core machine; timings belong in natgrad-bench, not here)
        int code = cl.execute("--quick", "--out", out.toString(), "--seed", "2");
        assertEquals(0, code, se.toString());
        for (String f : List.of("options.json", "provenance.json", "log.csv", "results.json", "report.md", "kl.png", "kl.svg")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        JsonNode r = Json.readTree(out.resolve("results.json"));
        assertTrue(r.get("quick").asBoolean());
        assertEquals(2, r.get("seed").asLong());
        JsonNode seven = r.get("problems").get(0);
        assertEquals("seven-unit", seven.get("name").asText());
        assertEquals(18, seven.get("parameters").asInt());
        assertEquals(18, seven.get("rankG").asInt()); // math.md 5.5 reference values
        assertEquals(7, seven.get("rankGv").asInt());
        assertTrue(seven.get("cosineFullVisible").asDouble() < 0.99); // A6: the natural gradients differ
        JsonNode bars = r.get("problems").get(1);
        assertEquals("bars-and-stripes", bars.get("name").asText());
        assertEquals(17, bars.get("units").asInt());
        for (JsonNode p : r.get("problems")) {
            double kl0 = p.get("initialKl").asDouble();
            assertEquals(6, p.get("rules").size());
            for (JsonNode rule : p.get("rules")) {
                String name = rule.get("rule").asText();
                assertTrue(rule.get("msPerStep").asDouble() > 0, name);
                if (name.equals("plain")) {
                    assertEquals(1.0, rule.get("costVsPlain").asDouble(), 1e-12);
                }
                if (name.equals("local-ng")) { // the exact local NG makes progress on both problems
                    assertTrue(rule.get("klAtFixed").asDouble() < kl0, p.get("name") + ": " + rule);
                }
            }
        }
        double ratio = r.get("localCostRatioBars").asDouble();
        assertEquals(ratio <= 3.0, r.get("localCostWithin3x").asBoolean());
        // the log has one row per evaluation of every run, and the KL at the fixed N matches it
        List<String> log = Files.readAllLines(out.resolve("log.csv"));
        assertEquals("problem,rule,rate,iteration,step_seconds,kl", log.get(0));
        String localRow = log.stream().filter(l -> l.startsWith("seven-unit,local-ng,") && l.split(",")[3].equals("200"))
                .findFirst().orElseThrow();
        double logged = Double.parseDouble(localRow.split(",")[5]);
        assertEquals(seven.get("rules").get(2).get("klAtFixed").asDouble(), logged, 1e-15);
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("rank G = 18, rank G_V = 7"), report);
        assertTrue(report.contains("OUR reconstruction"));
        assertTrue(so.toString().contains("wrote " + out), so.toString());
    }

    @Test
    void aNonEmptyOutputFolderIsRefusedWithoutForce(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("x.txt"), "x");
        StringWriter se = new StringWriter();
        CommandLine cl = ReproduceAy2020Command.commandLine();
        cl.setErr(new PrintWriter(se));
        cl.setExecutionExceptionHandler((ex, c, pr) -> {
            c.getErr().println(ex.getMessage());
            return 1;
        });
        assertEquals(1, cl.execute("--quick", "--out", tmp.toString()));
        assertTrue(se.toString().contains("not empty"), se.toString());
    }

    @Test
    void optionsAreValidated() {
        var full = Ay2020Options.full(1);
        assertEquals(Ay2020Options.RULES, List.copyOf(full.rates().keySet()));
        var e = assertThrows(IllegalArgumentException.class, () -> new Ay2020Options(false, 1, 10, 10, 1, 1,
                new int[] {6, 6}, 0.5, 1, 10, 0, 0, 1e-4, 1, full.rates()));
        assertTrue(e.getMessage().contains("enumerable"), e.getMessage());
        var g = assertThrows(IllegalArgumentException.class, () -> new Ay2020Options(false, 1, 10, 10, 1, 1,
                new int[] {2, 6}, 0.5, 1, 10, 0, 0, 1e-4, 1, Map.of("plain", List.of(1.0))));
        assertTrue(g.getMessage().contains("visible-ng"), g.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Ay2020.rule("newton", 1, full, null, null));
    }
}
