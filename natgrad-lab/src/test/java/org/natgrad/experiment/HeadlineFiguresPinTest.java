package org.natgrad.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.natgrad.cli.NatgradCommand;
import org.natgrad.linalg.Backend;

/**
 * A refactoring pin, not a correctness test: the headline figures (every number in results.json
 * except timings) of the four {@code --quick} reproductions with seed 3 on one thread, against the
 * values recorded before the curvature-lifecycle refactor (issue 13), within 1e-10 relative. The
 * correctness of these figures is asserted elsewhere against the papers' maths; this test only
 * says that a change of structure did not change the numbers. A change that alters summation
 * order on purpose must say so and re-record:
 * {@code mvn -B test -pl natgrad-lab -am -Dtest=HeadlineFiguresPinTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dnatgrad.pins.update=true}, writing {@code src/test/resources/org/natgrad/experiment/pins/*.json}.
 * Runs on native OpenBLAS only (the pure-Java fallback rounds differently).
 *
 * <p>Pins are kept per OpenBLAS core family ({@link Backend#blasCore()}, in
 * {@code pins/<core>/<experiment>.json}): OpenBLAS's blocking parameters differ between kernel
 * families, so products round differently and chaotic figures (an SGD grid point after 10⁵ steps)
 * move at 1e-3 relative between machines with otherwise identical code. On a core with no recorded
 * pin the test is skipped with the command that records one; record it on an unchanged checkout
 * before a refactor, then refactor.
 */
class HeadlineFiguresPinTest {

    /** Keys whose values are timings (or made from timings), besides every key containing "seconds". */
    private static final Set<String> TIMINGS = Set.of("msPerStep", "costVsPlain", "klAtBudget", "localCostRatioBars",
            "localCostWithin3x");

    private static boolean timing(String key) {
        return TIMINGS.contains(key) || key.toLowerCase(java.util.Locale.ROOT).contains("seconds");
    }

    private static final double RELATIVE = 1e-10;

    @ParameterizedTest
    @ValueSource(strings = {"bernacchia2018", "karakida2020", "soen2021", "ay2020"})
    void quickRunMatchesTheRecordedFigures(String experiment, @TempDir Path dir) throws Exception {
        assumeTrue(Backend.nativeAvailable(), "pins are recorded with native OpenBLAS");
        Path out = dir.resolve("run");
        List<String> args = new ArrayList<>(List.of("--threads", "1", "--seed", "3", "reproduce", experiment, "--quick",
                "--out", out.toString()));
        switch (experiment) {
            case "bernacchia2018" -> args.addAll(List.of("--panels", "A,B,C"));
            case "karakida2020" -> {
                Files.createDirectories(dir.resolve("no-data"));
                args.addAll(List.of("--data", dir.resolve("no-data").toString())); // the generated stand-in
            }
            case "soen2021" -> args.add("--synthetic");
            default -> { }
        }
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = NatgradCommand.run(new PrintWriter(o), new PrintWriter(e), args.toArray(String[]::new));
        assertEquals(0, code, o + "\n" + e);
        Map<String, JsonNode> got = leaves(Json.readTree(out.resolve(RunFolder.RESULTS)));
        String core = Backend.blasCore().toLowerCase(java.util.Locale.ROOT);
        Path pin = Path.of("src", "test", "resources", "org", "natgrad", "experiment", "pins", core, experiment + ".json");
        if (Boolean.getBoolean("natgrad.pins.update")) {
            Map<String, Object> plain = new LinkedHashMap<>();
            got.forEach((k, v) -> plain.put(k, v));
            Files.createDirectories(pin.getParent());
            Json.write(pin, plain);
            return;
        }
        java.io.InputStream recorded = getClass().getResourceAsStream("pins/" + core + "/" + experiment + ".json");
        assumeTrue(recorded != null, "no headline pin recorded for OpenBLAS core '" + core + "' (pins are per core family); "
                + "record one on an unchanged checkout with -Dnatgrad.pins.update=true");
        JsonNode want = Json.mapper().readTree(recorded);
        assertTrue(want != null && want.size() > 0, "no pin recorded for " + experiment);
        List<String> diffs = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = want.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> w = it.next();
            JsonNode g = got.get(w.getKey());
            if (g == null) {
                diffs.add(w.getKey() + ": missing");
            } else if (w.getValue().isNumber() && g.isNumber()) {
                double a = w.getValue().doubleValue();
                double b = g.doubleValue();
                if (Math.abs(a - b) > RELATIVE * Math.max(Math.abs(a), Math.abs(b))) {
                    diffs.add(w.getKey() + ": recorded " + a + ", now " + b);
                }
            } else if (!w.getValue().equals(g)) {
                diffs.add(w.getKey() + ": recorded " + w.getValue() + ", now " + g);
            }
        }
        for (String k : got.keySet()) {
            if (!want.has(k)) {
                diffs.add(k + ": new (not recorded)");
            }
        }
        if (!diffs.isEmpty()) {
            fail(experiment + ": " + diffs.size() + " headline figures differ from the pin:\n  "
                    + String.join("\n  ", diffs.subList(0, Math.min(30, diffs.size()))));
        }
    }

    /** Every leaf by its path, timings left out. */
    private static Map<String, JsonNode> leaves(JsonNode root) {
        Map<String, JsonNode> m = new LinkedHashMap<>();
        walk(root, "", m);
        return m;
    }

    /**
     * Keys of a wake–sleep rule's result that depend on wall-clock time: those rules run until their
     * steps have used the plain gradient's time for N steps (Ay2020.run), so their iteration count
     * and final KL vary with the machine's load.
     */
    private static final Set<String> BUDGETED = Set.of("iterations", "klFinal");

    private static void walk(JsonNode n, String path, Map<String, JsonNode> m) {
        if (n.isObject()) {
            boolean budgeted = n.path("rule").asText("").startsWith("wake-sleep");
            n.fields().forEachRemaining(e -> {
                if (!timing(e.getKey()) && !(budgeted && BUDGETED.contains(e.getKey()))) {
                    walk(e.getValue(), path + "/" + e.getKey(), m);
                }
            });
        } else if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                walk(n.get(i), path + "/" + i, m);
            }
        } else {
            m.put(path, n);
        }
    }
}
