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
import org.natgrad.random.Rng;

/** {@code natgrad train} end to end on tiny problems, checking every file it writes. */
class TrainCommandTest {

    private static final List<String> FILES = List.of("log.csv", "loss.png", "loss.svg", "model.npz", "options.json",
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
        assertEquals("step,examples_seen,seconds,batch_loss,train_loss,test_loss", log.get(0));
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
            for (int c = 2; c < row.length; c++) {
                assertTrue(Double.isFinite(Double.parseDouble(row[c])), log.get(k));
            }
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
    private static List<String> losses(Path log) throws Exception {
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
        assertEquals("step,examples_seen,seconds,batch_loss,train_loss,test_loss,train_error,test_error", log.get(0));
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
        assertTrue(wrong.err().contains("data has 4 inputs and 3 targets") && wrong.err().contains("5-3"), wrong.toString());
        try (Stream<Path> s = Files.list(dir.resolve("y"))) {
            assertTrue(s.findAny().isEmpty(), "nothing written before the data was checked, so a rerun needs no --force");
        }
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
}
