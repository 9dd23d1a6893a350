package org.natgrad.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.natgrad.data.Dataset;
import org.natgrad.data.DatasetFiles;
import org.natgrad.experiment.Json;
import org.natgrad.experiment.RunFolder;
import org.natgrad.experiment.train.DataSource;
import org.natgrad.experiment.train.LikelihoodChoice;
import org.natgrad.experiment.train.OptimizerChoice;
import org.natgrad.experiment.train.TrainCheckpoint;
import org.natgrad.experiment.train.TrainExperiment;
import org.natgrad.experiment.train.TrainListener;
import org.natgrad.experiment.train.TrainOptions;
import org.natgrad.io.ModelFiles;
import org.natgrad.io.NpyArray;
import org.natgrad.io.Npz;
import org.natgrad.linalg.Matrix;
import org.natgrad.random.Rng;

/**
 * {@code natgrad train --model}: a small CNN on synthetic 8x8 images written as an NPZ, trained with
 * SGD and Adam; the model file in PyTorch's state_dict layout, resume bit for bit, and the refusals.
 */
class TrainModelCommandTest {

    /** conv 4 3x3 on 8x8 gives 4 x 6 x 6, maxpool 2 gives 4 x 3 x 3 = 36 features; flatten is module 3. */
    static final String MODEL = "input 1x8x8, conv 4 3x3, relu, maxpool 2, flatten, dense 3";

    /**
     * n one-channel 8x8 images (64 pixels a column) of 3 classes: class c has a bright 2-pixel-wide
     * vertical bar at columns 3c..3c+1 on Gaussian noise (sd 0.3); targets one-hot.
     */
    static Dataset bars(int n, Rng rng) {
        Matrix x = new Matrix(64, n);
        Matrix y = new Matrix(3, n);
        for (int m = 0; m < n; m++) {
            int c = m % 3;
            for (int r = 0; r < 8; r++) {
                for (int col = 0; col < 8; col++) {
                    double v = 0.3 * rng.nextGaussian() + (col / 3 == c ? 1 : 0);
                    x.set(r * 8 + col, m, v);
                }
            }
            y.set(c, m, 1);
        }
        return new Dataset(x, y);
    }

    private static Path[] data(Path dir) throws Exception {
        Path train = dir.resolve("train.npz");
        Path test = dir.resolve("test.npz");
        DatasetFiles.write(train, bars(120, new Rng(3)));
        DatasetFiles.write(test, bars(60, new Rng(4)));
        return new Path[] {train, test};
    }

    /** Mean categorical negative log-likelihood (log-sum-exp of the logits minus the target's logit). */
    private static double crossEntropy(Matrix logits, Matrix y) {
        double s = 0;
        for (int j = 0; j < logits.cols(); j++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < logits.rows(); i++) {
                max = Math.max(max, logits.get(i, j));
            }
            double z = 0;
            double target = 0;
            for (int i = 0; i < logits.rows(); i++) {
                z += Math.exp(logits.get(i, j) - max);
                target += y.get(i, j) * logits.get(i, j);
            }
            s += max + Math.log(z) - target;
        }
        return s / logits.cols();
    }

    @Test
    void sgdAndAdamTrainTheCnnAndWriteAPyTorchModelFile(@TempDir Path dir) throws Exception {
        Path[] files = data(dir);
        for (String opt : List.of("sgd", "adam")) {
            Path out = dir.resolve(opt);
            trainAndCheckTestLoss(files, out, "--optimizer", opt, "--lr", opt.equals("sgd") ? "0.1" : "0.01",
                    "--epochs", "15");

            // PyTorch layout: 0.weight (4,1,3,3), 0.bias (4), 4.weight (3,36), 4.bias (3), plus the model string
            Map<String, NpyArray> arrays = Npz.read(out.resolve("model.npz"), true);
            assertArrayEquals(new int[] {4, 1, 3, 3}, arrays.get("0.weight").shape());
            assertArrayEquals(new int[] {4}, arrays.get("0.bias").shape());
            assertArrayEquals(new int[] {3, 36}, arrays.get("4.weight").shape());
            assertArrayEquals(new int[] {3}, arrays.get("4.bias").shape());
            ModelFiles.Model model = ModelFiles.loadModel(out.resolve("model.npz"));
            assertEquals(MODEL, model.spec().toString());
            assertEquals(4 * 9 + 4 + 3 * 36 + 3, model.network().parameterCount());

            JsonNode res = Json.readTree(out.resolve("results.json"));
            assertTrue(res.get("finalTestError").doubleValue() <= 0.1, opt + ": " + res);
            TrainOptions o = Json.read(out.resolve("options.json"), TrainOptions.class);
            assertEquals(MODEL, o.model());
            assertEquals(List.of(64, 3), o.layers());
            assertTrue(Files.readString(out.resolve("report.md")).contains("- model: " + MODEL));
        }
    }

    /** KFC (issue 17): Eq. 20 and K-FAC take the conv + pool + dense model and learn the bars. */
    @Test
    void eq20AndKfacTrainTheCnn(@TempDir Path dir) throws Exception {
        Path[] files = data(dir);
        for (String curvature : List.of("eq20", "kfac")) {
            trainAndCheckTestLoss(files, dir.resolve(curvature), "--optimizer", "ngd", "--curvature", curvature,
                    "--damping", "0.1", "--epochs", "10");
        }
    }

    /**
     * Trains MODEL on the bars (batch 20, seed 2, one thread) with the given optimizer flags; checks
     * that the saved weights give results.json's final test loss (recomputed here from model.npz) and
     * that it learned (below half of ln 3 = 1.0986, a uniform guess; the bars are separable).
     */
    private static void trainAndCheckTestLoss(Path[] files, Path out, String... optimizerFlags) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("--threads", "1", "train", "--model", MODEL,
                "--likelihood", "categorical", "--batch", "20", "--data", files[0].toString(), "--test-data",
                files[1].toString(), "--seed", "2", "--out", out.toString()));
        args.addAll(List.of(optimizerFlags));
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.toString());
        JsonNode res = Json.readTree(out.resolve("results.json"));
        ModelFiles.Model model = ModelFiles.loadModel(out.resolve("model.npz"));
        Dataset test = DatasetFiles.read(files[1]);
        double loss = crossEntropy(model.network().predict(test.inputs()), test.targets());
        assertEquals(res.get("finalTestLoss").doubleValue(), loss, 1e-12 * Math.max(1, loss), String.join(" ", optimizerFlags));
        assertTrue(loss < 0.5 * Math.log(3), String.join(" ", optimizerFlags) + ": test loss " + loss);
    }

    @Test
    void aResumedCnnRunEqualsAnUninterruptedOneBitForBit(@TempDir Path dir) throws Exception {
        Path[] files = data(dir);
        for (OptimizerChoice opt : List.of(OptimizerChoice.SGD, OptimizerChoice.ADAM)) {
            TrainOptions o = TrainOptions.builder().model(MODEL).likelihood(LikelihoodChoice.CATEGORICAL)
                    .optimizer(opt).learningRate(0.01).momentum(opt == OptimizerChoice.SGD ? 0.5 : 0).batchSize(20)
                    .epochs(4).data(DataSource.NpzFiles.of(files[0], files[1])).seed(9).evalEvery(4).build();
            Path whole = dir.resolve(opt + "-whole");
            try (RunFolder f = RunFolder.create(whole, false)) {
                TrainExperiment.run(o, f, List.of(), TrainListener.NONE, 5);
            }
            Path killed = dir.resolve(opt + "-killed");
            TrainListener dies = new TrainListener() {
                @Override
                public void stepped(long examplesSeen, double batchLoss) {
                    if (examplesSeen == 13 * 20) {
                        throw new IllegalStateException("killed");
                    }
                }
            };
            try (RunFolder f = RunFolder.create(killed, false)) {
                assertThrows(IllegalStateException.class, () -> TrainExperiment.run(o, f, List.of(), dies, 5));
            }
            assertTrue(Files.exists(killed.resolve(TrainCheckpoint.FILE)));
            assertFalse(Files.exists(killed.resolve("model.npz")));
            // the checkpoint holds the PyTorch keys too
            assertTrue(Npz.read(killed.resolve(TrainCheckpoint.FILE), false).containsKey("0.weight"));
            try (RunFolder f = RunFolder.existing(killed)) {
                TrainExperiment.resume(f, List.of(), TrainListener.NONE, 5);
            }
            assertArrayEquals(Files.readAllBytes(whole.resolve("model.npz")), Files.readAllBytes(killed.resolve("model.npz")),
                    opt + ": resumed model.npz differs from the uninterrupted run's");
            assertEquals(TrainCommandTest.losses(whole.resolve("log.csv")), TrainCommandTest.losses(killed.resolve("log.csv")));
        }
    }

    @Test
    void refusesNgdDenseFlagsMissingDataAndAWrongInputSize(@TempDir Path dir) throws Exception {
        Path[] files = data(dir);
        Path out = dir.resolve("run");

        // ngd with a representation that has no convolution form: refused from the model alone, before
        // the (missing) data file is read
        CliRun ngd = CliRun.of("train", "--model", MODEL, "--optimizer", "ngd", "--curvature", "blockdiag",
                "--likelihood", "categorical", "--data", dir.resolve("missing.npz").toString(), "--out", out.toString());
        assertEquals(2, ngd.code(), ngd.toString());
        assertTrue(ngd.err().contains("NaturalGradient: layer 1") && ngd.err().contains("Conv2d"), ngd.toString());
        assertFalse(Files.exists(out), "nothing written");

        for (String[] flag : List.of(new String[] {"--layers", "64,3"}, new String[] {"--activation", "relu"},
                new String[] {"--output-activation", "tanh"}, new String[] {"--no-bias"})) {
            List<String> args = new java.util.ArrayList<>(List.of("train", "--model", MODEL, "--data",
                    files[0].toString(), "--out", out.toString()));
            args.addAll(List.of(flag));
            CliRun both = CliRun.of(args.toArray(String[]::new));
            assertEquals(2, both.code(), both.toString());
            assertTrue(both.err().contains("give --model or --"), both.toString());
        }

        CliRun noData = CliRun.of("train", "--model", MODEL, "--out", out.toString());
        assertEquals(2, noData.code(), noData.toString());
        assertTrue(noData.err().contains("--model needs --data"), noData.toString());

        CliRun bad = CliRun.of("train", "--model", "input 1x8x8, conv 4 3x3, pool", "--data", files[0].toString(),
                "--out", out.toString());
        assertEquals(2, bad.code(), bad.toString());
        assertTrue(bad.err().contains("pool"), bad.toString());

        // MNIST-sized model on 8x8 images: 784 inputs expected, the file has 64
        CliRun size = CliRun.of("train", "--model", "input 1x28x28, conv 4 5x5, relu, maxpool 2, dense 3",
                "--likelihood", "categorical", "--data", files[0].toString(), "--out", out.toString());
        assertEquals(1, size.code(), size.toString());
        assertTrue(size.err().contains("64 inputs") && size.err().contains("takes 784 (an input of shape 1x28x28)"),
                size.toString());
    }

    /** An IDX file: magic 0x0000 08 (ubyte) dims, big-endian dimensions, then the bytes. */
    private static void idx(Path file, int[] dims, byte[] data) throws Exception {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.putInt(0x0800 | dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        b.put(data);
        Files.write(file, b.array());
    }

    /**
     * The four MNIST-layout files with n and nTest 28x28 images of 3 classes: class c has a bright
     * vertical bar at columns 9c..9c+8 (255) on random pixels in [0, 64).
     */
    private static void idxFolder(Path dir, int n, int nTest) throws Exception {
        Files.createDirectories(dir);
        Rng rng = new Rng(8);
        for (String set : List.of("train", "t10k")) {
            int count = set.equals("train") ? n : nTest;
            byte[] px = new byte[count * 784];
            byte[] lab = new byte[count];
            for (int m = 0; m < count; m++) {
                for (int p = 0; p < 784; p++) {
                    px[m * 784 + p] = (byte) ((p % 28) / 9 == m % 3 ? 255 : rng.nextInt(64));
                }
                lab[m] = (byte) (m % 3);
            }
            idx(dir.resolve(set + "-images-idx3-ubyte"), new int[] {count, 28, 28}, px);
            idx(dir.resolve(set + "-labels-idx1-ubyte"), new int[] {count}, lab);
        }
    }

    @Test
    void anIdxFolderTrainsAModelOfItsImageShapeAndRefusesAnother(@TempDir Path dir) throws Exception {
        Path images = dir.resolve("idx");
        idxFolder(images, 90, 30);
        Path out = dir.resolve("run");
        // 10 classes on the IDX side: the dense output has 10 units
        String model = "input 1x28x28, conv 2 5x5, relu, maxpool 4, flatten, dense 10";
        CliRun r = CliRun.of("--threads", "1", "train", "--model", model, "--likelihood", "categorical", "--optimizer",
                "adam", "--lr", "0.01", "--batch", "15", "--epochs", "2", "--data", images.toString(), "--out",
                out.toString());
        assertEquals(0, r.code(), r.toString());
        JsonNode res = Json.readTree(out.resolve("results.json"));
        assertEquals(90, res.get("trainExamples").intValue());
        assertEquals(30, res.get("testExamples").intValue());
        assertEquals(2 * 90 / 15, res.get("steps").longValue());

        CliRun mnist = CliRun.of("train", "--model", "input 1x8x8, conv 4 3x3, relu, maxpool 2, dense 10",
                "--likelihood", "categorical", "--data", images.toString(), "--out", dir.resolve("r2").toString());
        assertEquals(1, mnist.code(), mnist.toString());
        assertTrue(mnist.err().contains("have the shape 1x28x28 but the model")
                && mnist.err().contains("takes an input of shape 1x8x8"), mnist.toString());

        CliRun frac = CliRun.of("train", "--model", model, "--data", images.toString(), "--test-fraction", "0.2",
                "--out", dir.resolve("r3").toString());
        assertEquals(2, frac.code(), frac.toString());
        assertTrue(frac.err().contains("IDX folder with its own test set"), frac.toString());
    }
}
