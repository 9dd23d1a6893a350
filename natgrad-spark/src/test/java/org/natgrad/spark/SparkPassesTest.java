package org.natgrad.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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
    }
}
