package org.natgrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.natgrad.data.Dataset;
import org.natgrad.data.DatasetFiles;
import org.natgrad.estimate.ClosedFormVariance;
import org.natgrad.estimate.ExponentialFamily;
import org.natgrad.estimate.FisherEstimators;
import org.natgrad.estimate.OutputDerivatives;
import org.natgrad.experiment.Json;
import org.natgrad.io.ModelFiles;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Activation;
import org.natgrad.nn.Init;
import org.natgrad.nn.Network;
import org.natgrad.random.Rng;
import picocli.CommandLine;

class FisherVarianceCommandTest {

    /** Runs the standalone command with handlers like natgrad's: parameter errors exit 2, others 1. */
    static CliRun run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new FisherVarianceCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        cl.setExecutionExceptionHandler((ex, c, p) -> {
            c.getErr().println("natgrad: error: " + ex.getMessage());
            c.getErr().flush();
            return 1;
        });
        int code = cl.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    private static Network net() {
        return Network.dense(List.of(3, 4, 3), Activation.TANH, Activation.IDENTITY, true, new Init.Gaussian(1), 4);
    }

    private static Dataset data(int m, int targets) {
        Rng rng = new Rng(9);
        Matrix x = new Matrix(3, m);
        rng.fillGaussian(x.data());
        return new Dataset(x, new Matrix(targets, m));
    }

    @Test
    void jsonMatchesTheElementwiseClosedForms(@TempDir Path dir) throws Exception {
        Network net = net();
        Path model = dir.resolve("m.npz");
        Path data = dir.resolve("d.npz");
        ModelFiles.save(model, net);
        Dataset d = data(5, 3);
        DatasetFiles.write(data, d);
        CliRun r = run("--model", model.toString(), "--data", data.toString(), "--activation", "tanh",
                "--likelihood", "categorical", "--samples", "40", "--json");
        assertEquals(0, r.code(), r.toString());
        JsonNode j = Json.mapper().readTree(r.out());
        // independent: element-wise joint variances on the 5 inputs, summed over each layer's block
        ExponentialFamily fam = new ExponentialFamily.CategoricalFamily();
        List<OutputDerivatives> xs = new ArrayList<>();
        Matrix fisher = new Matrix(net.parameterCount(), net.parameterCount());
        for (int m = 0; m < 5; m++) {
            OutputDerivatives od = OutputDerivatives.secondOrder(net, d.inputs().column(m));
            xs.add(od);
            MatOps.axpy(0.2, FisherEstimators.fisher(od, fam), fisher);
        }
        ClosedFormVariance.Elementwise cf = ClosedFormVariance.joint(xs, fam, 40);
        int off = 0;
        for (int l = 0; l < 2; l++) {
            int to = off + net.layer(l).parameterCount();
            double v1 = 0, v2 = 0, f2 = 0;
            for (int a = off; a < to; a++) {
                for (int b = off; b < to; b++) {
                    v1 += cf.var1().get(a, b);
                    v2 += cf.var2().get(a, b);
                    f2 += fisher.get(a, b) * fisher.get(a, b);
                }
            }
            JsonNode line = j.get("layers").get(l);
            assertEquals(Math.sqrt(v1 / f2), line.get("relErrorI1").asDouble(), 1e-9, "layer " + l);
            assertEquals(Math.sqrt(v2 / f2), line.get("relErrorI2").asDouble(), 1e-9, "layer " + l);
            long need = line.get("samplesNeededI1").asLong();
            assertTrue(Math.sqrt(v1 * 40 / need / f2) <= 0.1 + 1e-12);
            assertTrue(need == 1 || Math.sqrt(v1 * 40 / (need - 1) / f2) > 0.1);
            off = to;
        }
        JsonNode last = j.get("layers").get(1);
        assertEquals(0.0, last.get("relErrorI2GivenInputs").asDouble(), 0.0, "last layer: Î2 is exact given x");
        assertTrue(last.get("relErrorI1GivenInputs").asDouble() > 0);
        assertTrue(last.get("relErrorI2").asDouble() > 0, "but sampling x adds Var_x to both");
        assertTrue(j.get("hessianEstimate").get("checked").asBoolean());
    }

    @Test
    void tableNamesLayersAndReportsIndefiniteSecondEstimator(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("m.npz");
        Path data = dir.resolve("d.npz");
        ModelFiles.save(model, net());
        DatasetFiles.write(data, data(1, 3));
        CliRun r = run("--model", model.toString(), "--data", data.toString(), "--activation", "tanh",
                "--likelihood", "poisson", "--samples", "1");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("relerr I1") && r.out().contains("N need I2"), r.out());
        // one input, one sample: rank-deficient exact Fisher plus a random Hessian term
        assertTrue(r.out().contains("INDEFINITE"), r.out());
    }

    @Test
    void reluNetworksGetANoteAboutCrossLayerPairs(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("m.npz");
        Path data = dir.resolve("d.npz");
        ModelFiles.save(model, Network.dense(List.of(3, 4, 3), Activation.RELU, Activation.IDENTITY, true,
                new Init.Gaussian(1), 4));
        DatasetFiles.write(data, data(3, 3));
        CliRun r = run("--model", model.toString(), "--data", data.toString(), "--activation", "relu",
                "--likelihood", "bernoulli", "--samples", "10", "--json");
        assertEquals(0, r.code(), r.toString());
        JsonNode j = Json.mapper().readTree(r.out());
        assertTrue(j.get("note").asText().contains("cross-layer"), r.out());
        for (JsonNode l : j.get("layers")) {
            assertEquals(0.0, l.get("relErrorI2GivenInputs").asDouble(), 0.0);
        }
    }

    @Test
    void badInputGetsClearMessages(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("m.npz");
        Path data = dir.resolve("d.npz");
        Path wrong = dir.resolve("w.npz");
        ModelFiles.save(model, net());
        DatasetFiles.write(data, data(4, 3));
        DatasetFiles.write(wrong, data(4, 2));
        String[] base = {"--model", model.toString(), "--activation", "tanh"};
        CliRun zero = run(concat(base, "--data", data.toString(), "--likelihood", "gaussian", "--samples", "0"));
        assertNotEquals(0, zero.code());
        assertTrue(zero.err().contains("--samples must be >= 1, got 0"), zero.toString());
        CliRun mismatch = run(concat(base, "--data", wrong.toString(), "--likelihood", "gaussian"));
        assertEquals(1, mismatch.code());
        assertTrue(mismatch.err().contains("gives 3 outputs") && mismatch.err().contains("(4, 2)"), mismatch.toString());
        CliRun lik = run(concat(base, "--data", data.toString(), "--likelihood", "gamma"));
        assertTrue(lik.err().contains("--likelihood") && lik.err().contains("poisson"), lik.toString());
        CliRun emp = run(concat(base, "--data", data.toString(), "--likelihood", "categorical", "--estimator", "empirical"));
        assertTrue(emp.err().contains("empirical Fisher") && emp.code() != 0, emp.toString());
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = new String[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
