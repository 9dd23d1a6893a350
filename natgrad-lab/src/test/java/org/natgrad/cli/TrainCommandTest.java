package org.natgrad.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.natgrad.data.DatasetFiles;
import org.natgrad.data.Dataset;
import org.natgrad.experiment.Json;
import org.natgrad.experiment.train.TrainData;
import org.natgrad.experiment.train.TrainOptions;
import org.natgrad.io.ModelFiles;
import org.natgrad.io.NpyArray;
import org.natgrad.io.Npz;
import org.natgrad.likelihood.Gaussian;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Network;
import org.natgrad.linalg.FactorPrecision;
import org.natgrad.random.Rng;

/** {@code natgrad train} end to end on tiny problems, checking every file it writes. */
class TrainCommandTest {

    private static final List<String> FILES = List.of(".natgrad.lock", "log.csv", "loss.png", "loss.svg", "model.npz", "options.json",
            "provenance.json", "report.md", "results.json");

    private static CliRun train(Path out, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("--threads", "1", "train", "--layers", "4,6,3",
                "--teacher-examples", "200", "--test-examples", "50", "--batch", "10", "--out", out.toString()));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void teacherRunWritesEveryFileAndTheModelReproducesTheLoggedLosses(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        CliRun r = train(out, "--examples", "2000", "--eval-every", "20", "--seed", "5");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("wrote " + out), r.toString());

        try (Stream<Path> s = Files.list(out)) {
            assertEquals(FILES, s.map(p -> p.getFileName().toString()).sorted().toList(),
                    "exactly the run files, no temporary files");
        }
        // log.csv: header + initial row + one row every 20 of the 200 steps
        List<String> log = Files.readAllLines(out.resolve("log.csv"));
        assertEquals("step,examples_seen,seconds,batch_loss,train_loss,test_loss,damping,rejected_steps", log.get(0));
        assertEquals(1 + 1 + 200 / 20, log.size(), String.join("\n", log));
        String[] first = log.get(1).split(",", -1);
        String[] last = log.get(log.size() - 1).split(",", -1);
        assertEquals("0", first[0]);
        assertEquals("", first[3], "no minibatch loss before the first step");
        assertEquals("200", last[0]);
        assertEquals("2000", last[1]);
        for (int k = 2; k < log.size(); k++) {
            String[] row = log.get(k).split(",", -1);
            assertEquals(20L * (k - 1), Long.parseLong(row[0]));
            assertEquals(200L * (k - 1), Long.parseLong(row[1]));
            for (int c = 2; c < 6; c++) {
                assertTrue(Double.isFinite(Double.parseDouble(row[c])), log.get(k));
            }
            assertEquals("", row[6], "no damping for sgd");
            assertEquals("0", row[7], "sgd rejects no step");
        }

        TrainOptions o = Json.read(out.resolve("options.json"), TrainOptions.class);
        assertEquals(5, o.seed());
        assertEquals(2000, o.examples());
        JsonNode prov = Json.readTree(out.resolve("provenance.json"));
        assertEquals(5, prov.get("seed").longValue());
        assertEquals(1, prov.get("blasThreads").intValue());
        JsonNode res = Json.readTree(out.resolve("results.json"));
        assertEquals("completed", res.get("status").asText());
        assertEquals(200, res.get("steps").longValue());
        assertEquals(2000, res.get("examplesSeen").longValue());
        assertEquals(4 * 6 + 6 + 6 * 3 + 3, res.get("parameters").intValue());
        assertEquals(11, res.get("evaluations").intValue());
        assertTrue(res.get("finalTrainError").isNull(), "no error rate for regression");

        // Independent check of model.npz: regenerate the data from options.json, reload the
        // weights, and recompute the losses the run logged (½‖y − f‖² by hand, mean over examples).
        Network net = ModelFiles.load(out.resolve("model.npz"), o.activation(), o.outputActivation());
        assertEquals(o.layers(), net.widths());
        TrainData data = TrainData.load(o, new Rng(o.seed()).nextLong());
        double trainLoss = halfSquaredError(net.predict(data.train().inputs()), data.train().targets());
        double testLoss = halfSquaredError(net.predict(data.test().inputs()), data.test().targets());
        assertEquals(res.get("finalTrainLoss").doubleValue(), trainLoss, 1e-12 * trainLoss);
        assertEquals(res.get("finalTestLoss").doubleValue(), testLoss, 1e-12 * testLoss);
        assertEquals(Double.parseDouble(last[4]), trainLoss, 1e-12 * trainLoss);
        assertEquals(Double.parseDouble(last[5]), testLoss, 1e-12 * testLoss);
        assertEquals(Double.parseDouble(first[5]), res.get("initialTestLoss").doubleValue(), 0.0);
        assertTrue(testLoss < 0.5 * res.get("initialTestLoss").doubleValue(),
                "SGD on the teacher lowers the test loss: " + res);

        BufferedImage png = ImageIO.read(out.resolve("loss.png").toFile());
        assertNotNull(png);
        assertEquals(720, png.getWidth());
        assertEquals(480, png.getHeight());
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        assertEquals("svg", f.newDocumentBuilder().parse(out.resolve("loss.svg").toFile()).getDocumentElement().getTagName());
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.startsWith("# natgrad train") && report.contains("| steps | 200 |"), report);
    }

    private static double halfSquaredError(Matrix f, Matrix y) {
        double s = 0;
        for (int j = 0; j < f.cols(); j++) {
            for (int i = 0; i < f.rows(); i++) {
                double d = f.get(i, j) - y.get(i, j);
                s += 0.5 * d * d;
            }
        }
        return s / f.cols();
    }

    @Test
    void sameSeedSameRunDifferentSeedDifferentRun(@TempDir Path dir) throws Exception {
        assertEquals(0, train(dir.resolve("a"), "--epochs", "2", "--seed", "3").code());
        assertEquals(0, train(dir.resolve("b"), "--epochs", "2", "--seed", "3").code());
        assertEquals(0, train(dir.resolve("c"), "--epochs", "2", "--seed", "4").code());
        Map<String, NpyArray> a = Npz.read(dir.resolve("a/model.npz"));
        Map<String, NpyArray> b = Npz.read(dir.resolve("b/model.npz"));
        Map<String, NpyArray> c = Npz.read(dir.resolve("c/model.npz"));
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k).data(), b.get(k).data(), 0.0, k);
        }
        assertFalse(java.util.Arrays.equals(a.get("W1").data(), c.get("W1").data()));
        assertEquals(losses(dir.resolve("a/log.csv")), losses(dir.resolve("b/log.csv")));
    }

    /** The log without the timing column. */
    static List<String> losses(Path log) throws Exception {
        return Files.readAllLines(log).stream().map(l -> {
            String[] p = l.split(",", -1);
            p[2] = "";
            return String.join(",", p);
        }).toList();
    }

    @Test
    void categoricalRunOnAnNpzFileLogsErrorRates(@TempDir Path dir) throws Exception {
        // a linearly separable 3-class problem: label = argmax(A x) for a fixed A
        Path train = dir.resolve("train.npz");
        Path test = dir.resolve("test.npz");
        DatasetFiles.write(train, separable(300, new Rng(11)));
        DatasetFiles.write(test, separable(100, new Rng(12)));
        Path out = dir.resolve("run");
        CliRun r = CliRun.of("--threads", "1", "train", "--layers", "4,3", "--activation", "identity", "--likelihood",
                "categorical", "--optimizer", "adam", "--lr", "0.05", "--batch", "30", "--epochs", "30", "--data",
                train.toString(), "--test-data", test.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.toString());
        List<String> log = Files.readAllLines(out.resolve("log.csv"));
        assertEquals("step,examples_seen,seconds,batch_loss,train_loss,test_loss,train_error,test_error,damping,"
                + "rejected_steps", log.get(0));
        JsonNode res = Json.readTree(out.resolve("results.json"));
        assertEquals(300, res.get("steps").longValue());
        double testErr = res.get("finalTestError").doubleValue();
        assertTrue(testErr <= 0.1, "a linearly separable problem is learned: test error " + testErr);
        // the logged error rate is a count over the 100 test examples
        double initialErr = Double.parseDouble(log.get(1).split(",")[7]);
        assertEquals(Math.rint(initialErr * 100), initialErr * 100, 1e-9);
        assertEquals(100, res.get("testExamples").intValue());
    }

    /** n examples of a linearly separable 3-class problem: label = argmax(A x) for a fixed A, one-hot. */
    private static Dataset separable(int n, Rng rng) {
        double[][] a = {{1, -1, 0.5, 0}, {-0.5, 1, 1, -1}, {0, 0.3, -1, 1}};
        Matrix x = new Matrix(4, n);
        Matrix y = new Matrix(3, n);
        for (int m = 0; m < n; m++) {
            int best = 0;
            double bestV = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < 4; i++) {
                x.set(i, m, rng.nextGaussian());
            }
            for (int c = 0; c < 3; c++) {
                double v = 0;
                for (int i = 0; i < 4; i++) {
                    v += a[c][i] * x.get(i, m);
                }
                if (v > bestV) {
                    bestV = v;
                    best = c;
                }
            }
            y.set(best, m, 1);
        }
        return new Dataset(x, y);
    }

    @Test
    void oneDataFileIsSplitAtRandomIntoTrainAndTest(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("all.npz");
        Dataset all = separable(200, new Rng(21));
        DatasetFiles.write(file, all);
        Path out = dir.resolve("run");
        CliRun r = CliRun.of("--threads", "1", "train", "--layers", "4,3", "--likelihood", "categorical", "--data",
                file.toString(), "--test-fraction", "0.25", "--epochs", "1", "--batch", "10", "--out", out.toString());
        assertEquals(0, r.code(), r.toString());
        JsonNode res = Json.readTree(out.resolve("results.json"));
        assertEquals(150, res.get("trainExamples").intValue());
        assertEquals(50, res.get("testExamples").intValue());
        assertEquals(15, res.get("steps").intValue(), "one epoch of 150 examples in batches of 10");
        // the split is a partition of the file's examples
        TrainData d = TrainData.load(Json.read(out.resolve("options.json"), TrainOptions.class), new Rng(1).nextLong());
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Dataset part : List.of(d.train(), d.test())) {
            for (int j = 0; j < part.size(); j++) {
                assertTrue(seen.add(java.util.Arrays.toString(part.inputs().columns(j, j + 1).data())));
            }
        }
        for (int j = 0; j < all.size(); j++) {
            assertTrue(seen.contains(java.util.Arrays.toString(all.inputs().columns(j, j + 1).data())));
        }
        Dataset notOneHot = separable(20, new Rng(22));
        notOneHot.targets().set(0, 7, 0.5); // example 7 now sums to 1.5 or 0.5
        Path badFile = dir.resolve("bad.npz");
        DatasetFiles.write(badFile, notOneHot);
        CliRun badTargets = CliRun.of("--threads", "1", "train", "--layers", "4,3", "--likelihood", "categorical",
                "--data", file.toString(), "--test-data", badFile.toString(), "--batch", "10", "--out",
                dir.resolve("z").toString());
        assertEquals(1, badTargets.code(), badTargets.toString());
        assertTrue(badTargets.err().contains("test data does not suit the categorical likelihood")
                && badTargets.err().contains("column 7"), badTargets.toString());

        CliRun bad = CliRun.of("--threads", "1", "train", "--layers", "4,3", "--test-fraction", "0.2", "--out",
                dir.resolve("x").toString());
        assertEquals(2, bad.code(), bad.toString());
        assertTrue(bad.err().contains("need --data"), bad.toString());
        CliRun wrong = CliRun.of("--threads", "1", "train", "--layers", "5,3", "--likelihood", "categorical", "--data",
                file.toString(), "--out", dir.resolve("y").toString());
        assertEquals(1, wrong.code(), wrong.toString());
        assertTrue(wrong.err().contains("data " + file + " has 4 inputs and 3 targets") && wrong.err().contains("5-3"),
                wrong.toString());
        assertFalse(Files.exists(dir.resolve("y")), "no empty --out folder left when the data do not fit");
    }

    @Test
    void aDivergingRunExitsOneAndSaysSo(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        CliRun r = train(out, "--activation", "identity", "--lr", "50", "--examples", "2000");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().contains("diverged"), r.toString());
        JsonNode res = Json.readTree(out.resolve("results.json"));
        assertEquals("diverged", res.get("status").asText());
        assertFalse(Files.exists(out.resolve("model.npz")), "no model is saved from a diverged run");
        assertTrue(Files.readAllLines(out.resolve("log.csv")).size() >= 2);
    }

    @Test
    void theGaussianLossIsHalfTheSquaredError() {
        // guards the hand-computed reference above against a change of convention
        Matrix f = new Matrix(2, 1, new double[] {1, 2});
        Matrix y = new Matrix(2, 1, new double[] {0, 0});
        assertEquals(halfSquaredError(f, y), Gaussian.unit().loss(f, y), 1e-15);
    }

    @Test
    void naturalGradientReachesTheNoiseFloorAndSavesItsStateWithTheModel(@TempDir Path dir) throws Exception {
        // A deep linear teacher: the minimum achievable test loss is ½ n_L σ² (math.md §2.8).
        double noise = 1e-4;
        double floor = 0.5 * 3 * noise;
        Path out = dir.resolve("ngd");
        CliRun r = CliRun.of("--threads", "1", "train", "--layers", "4,6,6,3", "--activation", "identity",
                "--teacher-examples", "1000", "--test-examples", "500", "--noise-variance", String.valueOf(noise),
                "--optimizer", "ngd", "--batch", "100", "--examples", "20000", "--seed", "3", "--out", out.toString());
        assertEquals(0, r.code(), r.toString());
        JsonNode res = Json.readTree(out.resolve("results.json"));
        double test = res.get("finalTestLoss").doubleValue();
        assertTrue(test < 3 * floor, "NGD test loss " + test + " should be within 3x the floor " + floor);
        assertTrue(res.get("initialTestLoss").doubleValue() > 100 * floor, "the problem must start far from the floor");

        TrainOptions o = Json.read(out.resolve("options.json"), TrainOptions.class);
        assertEquals(1.0, o.naturalGradient().alpha());
        assertEquals(3, o.seed());
        Map<String, double[]> state = ModelFiles.loadExtra(out.resolve("model.npz"));
        assertEquals(200, state.get("opt_step")[0], "20000 examples at M = 100 are 200 steps");
        assertTrue(state.get("opt_damping")[0] > 0);
        assertTrue(Files.readString(out.resolve("report.md")).contains("optimizer: ngd, alpha 1.0"));
        assertEquals(FactorPrecision.AUTO, o.naturalGradient().factorPrecision());
        assertTrue(Files.readString(out.resolve("report.md")).contains("damping every 1, factor precision auto"));
    }

    @Test
    void theFactorPrecisionIsAnOptionRecordedWithTheRun(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("single");
        CliRun r = CliRun.of("--threads", "1", "train", "--layers", "4,6,3", "--activation", "tanh",
                "--teacher-examples", "200", "--test-examples", "50", "--optimizer", "ngd", "--batch", "50",
                "--examples", "500", "--factor-precision", "single", "--out", out.toString());
        assertEquals(0, r.code(), r.toString());
        assertEquals(FactorPrecision.SINGLE,
                Json.read(out.resolve("options.json"), TrainOptions.class).naturalGradient().factorPrecision());
        CliRun bad = CliRun.of("train", "--layers", "4,3", "--optimizer", "ngd", "--factor-precision", "half",
                "--out", dir.resolve("x").toString());
        assertEquals(2, bad.code(), bad.toString());
        assertTrue(bad.err().contains("half") && bad.err().contains("SINGLE"), bad.toString());
    }

    @Test
    void naturalGradientFlagsAreValidated(@TempDir Path dir) {
        CliRun r = CliRun.of("train", "--layers", "4,3", "--optimizer", "ngd", "--pinv", "--inverse", "sherman_morrison",
                "--out", dir.resolve("x").toString());
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("SHERMAN_MORRISON"), r.toString());
    }

    @Test
    void everyCurvatureRepresentationTrainsThroughTheCommandLine(@TempDir Path dir) throws Exception {
        // 4-6-3 tanh regression; each representation must lower the test loss at least 5x in 2000 examples
        for (String c : List.of("exact", "blockdiag", "tridiag", "kfac", "ekfac", "unitwise", "diag")) {
            Path out = dir.resolve(c);
            CliRun r = CliRun.of("--threads", "1", "train", "--layers", "4,6,3", "--teacher-examples", "200",
                    "--test-examples", "50", "--optimizer", "ngd", "--curvature", c, "--damping", "0.1",
                    "--model-samples", "1", "--batch", "20", "--examples", "2000", "--seed", "2", "--out", out.toString());
            assertEquals(0, r.code(), c + ": " + r);
            JsonNode res = Json.readTree(out.resolve("results.json"));
            double before = res.get("initialTestLoss").doubleValue();
            double after = res.get("finalTestLoss").doubleValue();
            assertTrue(after < before / 5, c + ": test loss " + before + " -> " + after);
            TrainOptions o = Json.read(out.resolve("options.json"), TrainOptions.class);
            assertEquals(c, o.naturalGradient().curvature().label());
        }
        CliRun bad = CliRun.of("train", "--layers", "4,3", "--optimizer", "ngd", "--curvature", "bogus",
                "--out", dir.resolve("bad").toString());
        assertEquals(2, bad.code(), bad.toString());
        assertTrue(bad.err().contains("unknown curvature 'bogus'"), bad.toString());
    }

    @Test
    void qualityAndVarianceDiagnosticsFollowTheTheoryOfASingleLinearLayer(@TempDir Path dir) throws Exception {
        // One linear layer with a Gaussian output: F = Λ ⊗ I exactly, so the block, tri-diagonal, EK-FAC and
        // unit-wise representations of F + ρI equal the exact one (angle 0); K-FAC does not, because its
        // π-factored damping (Λ + π√ρ I) ⊗ (I + √ρ/π I) is not F + ρI, nor does the diagonal. The output is
        // linear in the parameters, so Î2's variance has no target-noise part (S5): with inputs sampled too
        // both estimators share the Cov_x term (S9) and Î1 adds its target noise, so Î1 is strictly noisier.
        Path out = dir.resolve("diag");
        CliRun r = CliRun.of("--threads", "1", "train", "--layers", "4,3", "--activation", "identity",
                "--teacher-examples", "200", "--test-examples", "50", "--batch", "20", "--examples", "400",
                "--quality-every", "5", "--variance-every", "10", "--seed", "4", "--out", out.toString());
        assertEquals(0, r.code(), r.toString());
        List<String> q = Files.readAllLines(out.resolve("quality.csv"));
        assertEquals("step,curvature,angle_degrees,relative_error,scaled_relative_error,norm_ratio", q.get(0));
        assertEquals(1 + 4 * 6, q.size(), "steps 0, 5, 10, 15 x six approximations");
        for (String line : q.subList(1, q.size())) {
            String[] f = line.split(",");
            double angle = Double.parseDouble(f[2]);
            if (f[1].equals("diag") || f[1].equals("kfac")) {
                assertTrue(angle > 1e-3, line);
            } else {
                assertEquals(0, angle, 1e-4, line);
                assertEquals(0, Double.parseDouble(f[3]), 1e-8, line);
            }
        }
        List<String> v = Files.readAllLines(out.resolve("variance.csv"));
        assertEquals("step,samples,fisher_fro_1,relerr_i1_1,relerr_i2_1", v.get(0));
        assertEquals(1 + 2, v.size(), "steps 0 and 10");
        for (String line : v.subList(1, v.size())) {
            String[] f = line.split(",");
            assertEquals("20", f[1]);
            assertTrue(Double.parseDouble(f[2]) > 0, line);
            assertTrue(Double.parseDouble(f[3]) > Double.parseDouble(f[4]) && Double.parseDouble(f[4]) > 0, line);
        }
        // Beyond the dense limit (100 x 50 + 50 = 5050 parameters) the exact direction comes from CG on
        // matrix-free products (relative residual 1e-10): the same theory holds, so the representations that
        // are exact for one linear layer agree with it to the CG error, at most κ·1e-10 radians with
        // κ = (λ_max + ρ)/ρ ≲ 1e4 here, i.e. far below 1e-3 degrees.
        Path bigOut = dir.resolve("big");
        CliRun big = CliRun.of("--threads", "1", "train", "--layers", "100,50", "--activation", "identity",
                "--teacher-examples", "100", "--test-examples", "20", "--batch", "20", "--examples", "40",
                "--quality-every", "1", "--seed", "4", "--out", bigOut.toString());
        assertEquals(0, big.code(), big.toString());
        List<String> bq = Files.readAllLines(bigOut.resolve("quality.csv"));
        assertEquals(1 + 2 * 6, bq.size(), "steps 0 and 1 x six approximations: " + bq);
        for (String line : bq.subList(1, bq.size())) {
            String[] f = line.split(",");
            double angle = Double.parseDouble(f[2]);
            if (f[1].equals("diag") || f[1].equals("kfac")) {
                assertTrue(angle > 1e-3, line);
            } else if (!Double.isNaN(angle)) {
                assertEquals(0, angle, 1e-3, line);
            }
        }
        assertTrue(bq.stream().anyMatch(l -> l.contains(",blockdiag,") && !l.contains("NaN")), String.join("\n", bq));
    }

    @Test
    void nonFiniteExamplesAreRefusedWithTheirLocationOrDroppedOnRequest(@TempDir Path dir) throws Exception {
        Dataset d = separable(50, new Rng(13));
        d.inputs().set(2, 7, Double.NaN);   // example 7 (row 7 of x in the file), column 2
        d.targets().set(0, 20, Double.POSITIVE_INFINITY);
        Path file = dir.resolve("bad.npz");
        // written as raw arrays: DatasetFiles.write refuses non-finite values
        Npz.write(file, new java.util.LinkedHashMap<>(Map.of("x", NpyArray.of(d.inputs().transpose()),
                "y", NpyArray.of(d.targets().transpose()))));
        CliRun refused = CliRun.of("--threads", "1", "train", "--layers", "4,3", "--likelihood", "categorical",
                "--data", file.toString(), "--examples", "100", "--out", dir.resolve("r1").toString());
        assertEquals(1, refused.code(), refused.toString());
        assertTrue(refused.err().contains("bad.npz") && refused.err().contains("NaN"), refused.toString());
        assertFalse(Files.exists(dir.resolve("r1").resolve("model.npz")), "nothing trained");

        Path out = dir.resolve("r2");
        CliRun kept = CliRun.of("--threads", "1", "train", "--layers", "4,3", "--activation", "identity",
                "--likelihood", "categorical", "--data", file.toString(), "--drop-nonfinite", "--test-fraction", "0.2",
                "--batch", "8", "--examples", "400", "--out", out.toString());
        assertEquals(0, kept.code(), kept.toString());
        JsonNode res = Json.readTree(out.resolve("results.json"));
        assertEquals(48, res.get("trainExamples").intValue() + res.get("testExamples").intValue(), "two rows dropped");
        assertTrue(Files.readString(out.resolve("report.md")).contains("2 examples with NaN/Inf dropped"));
    }
}
