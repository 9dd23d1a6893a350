package org.natgrad.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.natgrad.cli.NatgradCommand;
import org.natgrad.experiment.RunFolder;
import org.natgrad.experiment.train.DataSource;
import org.natgrad.experiment.train.OptimizerChoice;
import org.natgrad.experiment.train.TrainExperiment;
import org.natgrad.experiment.train.TrainListener;
import org.natgrad.experiment.train.TrainOptions;
import org.natgrad.io.ModelFiles;
import org.natgrad.nn.Activation;
import org.natgrad.curvature.CurvatureChoice;
import org.natgrad.data.Dataset;
import org.natgrad.likelihood.Gaussian;
import org.natgrad.linalg.FactorPrecision;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Network;
import org.natgrad.optim.NaturalGradientOptions;
import org.natgrad.random.Rng;

/**
 * What the passes move and how many there are, against closed forms: for the 6 -> 5 -> 3 network
 * with biases, P = 7·5 + 6·3 = 53, the packed factor triangles hold 7·8/2 + 5·6/2 + 6·7/2 + 3·4/2 =
 * 70 values, so a refresh step's partial is 2 + 53 + 70 = 125 doubles, a gradient-only one 55 and a
 * loss-only one 2; a Java-serialized double[n] is 27 + 8n bytes (stream header 4, array class
 * descriptor 18, length 4, TC_ARRAY 1). One SparkContext (local[2]) for the class.
 */
class SparkPassesTest {
    static JavaSparkContext sc;
    static final Dataset DATA = SparkFixtures.regression(90, 3);
    static SparkData data;

    @BeforeAll
    static void start() {
        sc = SparkFixtures.context("local[2]");
        data = SparkData.of(sc, DATA, 3);
    }

    @AfterAll
    static void stop() {
        sc.close();
    }

    static long serialized(int n) {
        return 27 + 8L * n;
    }

    @Test
    void packedTrianglesRoundTrip() {
        Matrix a = new Matrix(4, 4);
        Rng rng = new Rng(2);
        for (int j = 0; j < 4; j++) {
            for (int i = 0; i <= j; i++) {
                double v = rng.nextGaussian();
                a.set(i, j, v);
                a.set(j, i, v);
            }
        }
        double[] packed = new double[1 + 10];
        PackedSums.addPacked(2, a, packed, 1);
        assertEquals(2 * a.get(1, 3), packed[1 + 6 + 1], 0); // column 3 starts after 1 + 2 + 3 values
        assertArrayEquals(a.data(), PackedSums.unpack(0.5, packed, 1, 4).data(), 0);
        assertEquals(10, PackedSums.triangle(4));
        NetworkShape shape = NetworkShape.of(SparkFixtures.network(1));
        assertEquals(53, shape.parameters());
        assertEquals(125, new PackedSums(shape, true, true).length());
        assertEquals(55, new PackedSums(shape, true, false).length());
        assertEquals(2, new PackedSums(shape, false, false).length());
        assertEquals(serialized(125), PassRunner.bytes(new double[125]));
    }

    @Test
    void bytesAndPassesPerStep() {
        // adaptive damping re-evaluates the loss every step (a second pass); refresh every 3 steps
        NaturalGradientOptions o = NaturalGradientOptions.paperDefaults().withModelSamples(1).withRefreshEvery(3)
                .withFactorPrecision(FactorPrecision.DOUBLE).withInitialDamping(0.1);
        SparkOptimizer ngd = SparkOptimizer.naturalGradient(data, Gaussian.unit(), o);
        Network net = SparkFixtures.network(4);
        MinibatchIndices batches = new MinibatchIndices(DATA.size(), 30, new Rng(1), true);
        for (int t = 0; t < 4; t++) {
            ngd.step(net, batches.get());
        }
        PassCounters c = ngd.counters();
        int parts = data.partitions();
        assertEquals(8, c.passes());
        assertEquals(4, c.lossPasses());
        // steps 0 and 3 refresh (125 values), steps 1 and 2 do not (55); every step has a loss pass (2)
        assertEquals(parts * (2 * serialized(125) + 2 * serialized(55) + 4 * serialized(2)), c.reducedBytes());
        assertTrue(c.broadcastBytes() > 8 * 8 * 53, "each pass broadcasts the 53 weights: " + c.broadcastBytes());

        SparkOptimizer sgd = SparkOptimizer.sgd(data, Gaussian.unit(), 0.1, 0);
        sgd.step(net, batches.get());
        assertEquals(1, sgd.counters().passes());
        assertEquals(parts * serialized(55), sgd.counters().reducedBytes());
    }

    @Test
    void refusesWhatItCannotReduce() {
        NaturalGradientOptions o = NaturalGradientOptions.paperDefaults().withCurvature(CurvatureChoice.BLOCK_DIAGONAL);
        SparkOptimizer opt = SparkOptimizer.naturalGradient(data, Gaussian.unit(), o);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> opt.step(SparkFixtures.network(1), new int[] {0, 1, 2}));
        assertTrue(e.getMessage().contains("use EQ20 or KFAC"), e.getMessage());
        SparkOptimizer ok = SparkOptimizer.naturalGradient(data, Gaussian.unit(), NaturalGradientOptions.paperDefaults());
        assertThrows(IllegalArgumentException.class, () -> ok.step(SparkFixtures.network(1), new int[0]));
        assertThrows(IllegalArgumentException.class, () -> ok.step(SparkFixtures.network(1), new int[] {0, 90}));
        assertThrows(IllegalArgumentException.class, () -> SparkOptimizer.naturalGradient(data,
                Gaussian.withCovariance(Matrix.identity(3)), NaturalGradientOptions.paperDefaults()));
        // the partitions' passes are double: a single-precision optimizer is refused, naming it
        for (org.natgrad.optim.Optimizer single : List.of(
                new org.natgrad.optim.Sgd(Gaussian.unit(), 0.1, 0, org.natgrad.linalg.Precision.SINGLE),
                new org.natgrad.optim.NaturalGradient(Gaussian.unit(), NaturalGradientOptions.builder()
                        .precision(org.natgrad.linalg.Precision.SINGLE).build()))) {
            IllegalArgumentException p = assertThrows(IllegalArgumentException.class,
                    () -> SparkOptimizer.of(data, Gaussian.unit(), single));
            assertTrue(p.getMessage().contains("precision SINGLE"), p.getMessage());
        }
    }

    @Test
    void refusesIndicesThatAreNotZeroToNMinusOne() {
        List<Example> twice = new ArrayList<>();
        for (int j = 0; j < 4; j++) {
            twice.add(new Example(j == 3 ? 1 : j, new double[6], new double[3]));
        }
        JavaRDD<Example> rdd = sc.parallelize(twice, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SparkData.of(rdd, true));
        assertTrue(e.getMessage().contains("indices must be 0..3"), e.getMessage());
        // 0, 0, 3, 3 in two partitions: count, min, max and Σ i = 6 are those of 0..3; Σ i² = 18, not 14
        List<Example> same = new ArrayList<>();
        for (int j : new int[] {0, 3, 0, 3}) {
            same.add(new Example(j, new double[6], new double[3]));
        }
        assertThrows(IllegalArgumentException.class, () -> SparkData.of(sc.parallelize(same, 2), true));
    }

    /**
     * {@code natgrad train} through {@link SparkMain} writes the run folder a local run writes, with
     * the same weights to round-off: SGD with momentum, NGD with K = 0 (exact expectation, nothing
     * drawn) and Levenberg–Marquardt damping, and NGD with K = 2 keyed draws ({@code --keyed-samples}
     * locally; Spark always draws keyed).
     */
    @Test
    void trainCommandOnSparkMatchesTheLocalRun(@TempDir Path dir) throws IOException {
        String[][] runs = {
            {"--optimizer", "sgd", "--momentum", "0.9", "--lr", "0.02"},
            {"--optimizer", "ngd", "--model-samples", "0", "--factor-precision", "double", "--damping", "0.1"},
            {"--optimizer", "ngd", "--model-samples", "2", "--keyed-samples", "--factor-precision", "double"}};
        for (String[] opt : runs) {
            List<String> common = new ArrayList<>(List.of("train", "--layers", "4,5,3", "--teacher-examples", "120",
                    "--test-examples", "40", "--examples", "300", "--batch", "30", "--eval-every", "4"));
            common.addAll(List.of(opt));
            String name = String.join("", opt).replace("-", "");
            Path local = dir.resolve(name + "-local");
            Path spark = dir.resolve(name + "-spark");
            StringWriter out = new StringWriter();
            List<String> a = new ArrayList<>(common);
            a.addAll(List.of("--out", local.toString()));
            assertEquals(0, NatgradCommand.run(new PrintWriter(out), new PrintWriter(out), a.toArray(new String[0])),
                    out.toString());
            List<String> b = new ArrayList<>(common);
            b.addAll(List.of("--out", spark.toString()));
            StringWriter sout = new StringWriter();
            assertEquals(0, SparkMain.run(() -> sc, 3, new PrintWriter(sout), new PrintWriter(sout),
                    b.toArray(new String[0])), sout.toString());
            assertTrue(sout.toString().contains("spark: "), sout.toString());
            for (String f : List.of("options.json", "log.csv", "results.json", "report.md", "loss.png", "model.npz")) {
                assertTrue(Files.isRegularFile(spark.resolve(f)), f);
            }
            double[] w = ModelFiles.load(local.resolve("model.npz"), Activation.TANH, Activation.IDENTITY).parameters()
                    .toFlat();
            double[] v = ModelFiles.load(spark.resolve("model.npz"), Activation.TANH, Activation.IDENTITY).parameters()
                    .toFlat();
            double dev = SparkFixtures.relative(v, w);
            System.out.printf("natgrad train %s on Spark (3 partitions) vs local: relative deviation %.2e%n",
                    String.join(" ", opt), dev);
            assertTrue(dev <= 1e-10, String.join(" ", opt) + ": " + dev);
            assertEquals(Files.readAllLines(local.resolve("log.csv")).size(), Files.readAllLines(spark.resolve("log.csv")).size());
        }
        StringWriter err = new StringWriter();
        assertEquals(2, SparkMain.run(new PrintWriter(err), new PrintWriter(err), "train", "--partitions", "0"));
        assertTrue(err.toString().contains("--partitions must be"), err.toString());
    }

    /**
     * A driver killed mid-run (here: its listener throws after 6 of 10 steps, with a checkpoint every
     * 2 steps) resumes from the run folder's checkpoint on Spark, and ends with the weights of an
     * uninterrupted local run to round-off: SGD with momentum (the velocity is in the checkpoint).
     */
    @Test
    void killedSparkRunResumesFromItsCheckpoint(@TempDir Path dir) throws IOException {
        TrainOptions o = TrainOptions.builder().layers(List.of(4, 5, 3)).optimizer(OptimizerChoice.SGD).momentum(0.9)
                .learningRate(0.02).batchSize(30).examples(300).evalEvery(4)
                .data(new DataSource.Teacher(120, 40, 1e-6)).build();
        try (RunFolder local = RunFolder.create(dir.resolve("local"), false)) {
            TrainExperiment.run(o, local, List.of(), TrainListener.NONE, 2);
        }
        SparkSteps steps = new SparkSteps(() -> sc, 3);
        Path killed = dir.resolve("killed");
        TrainListener kill = new TrainListener() {
            @Override
            public void stepped(long examplesSeen, double batchLoss) {
                if (examplesSeen == 6 * 30) {
                    throw new IllegalStateException("driver killed");
                }
            }
        };
        try (RunFolder f = RunFolder.create(killed, false)) {
            assertThrows(IllegalStateException.class, () -> TrainExperiment.run(o, f, List.of(), kill, 2, steps));
        }
        assertTrue(Files.isRegularFile(killed.resolve("checkpoint.npz")));
        assertTrue(!Files.exists(killed.resolve("model.npz")));
        try (RunFolder f = RunFolder.existing(killed)) {
            TrainExperiment.resume(f, List.of(), TrainListener.NONE, 2, steps);
        }
        double[] w = ModelFiles.load(dir.resolve("local").resolve("model.npz"), Activation.TANH, Activation.IDENTITY)
                .parameters().toFlat();
        double[] v = ModelFiles.load(killed.resolve("model.npz"), Activation.TANH, Activation.IDENTITY).parameters().toFlat();
        double dev = SparkFixtures.relative(v, w);
        System.out.printf("killed and resumed Spark run vs uninterrupted local run: relative deviation %.2e%n", dev);
        assertTrue(dev <= 1e-10, "resumed: " + dev);
    }
}
