package org.natgrad.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.natgrad.curvature.CurvatureChoice;
import org.natgrad.data.Dataset;
import org.natgrad.experiment.training.Budget;
import org.natgrad.experiment.training.EpochBatches;
import org.natgrad.experiment.training.Trainer;
import org.natgrad.likelihood.Gaussian;
import org.natgrad.likelihood.Likelihood;
import org.natgrad.linalg.FactorPrecision;
import org.natgrad.nn.Batch;
import org.natgrad.nn.Network;
import org.natgrad.optim.BatchEvaluation;
import org.natgrad.optim.NaturalGradient;
import org.natgrad.optim.NaturalGradientOptions;
import org.natgrad.optim.Sgd;
import org.natgrad.random.Rng;

/**
 * The Spark path against the single-machine path: the same seeds and minibatches give the same
 * weights on local[1], local[2] and local[4] (with 1, 3 and 7 partitions, so the shares are uneven)
 * to 1e-10 relative, for the Eq. 20 rule (K = 1 keyed draws; K = 0 with a refresh every 3 steps),
 * K-FAC (K = 1 keyed) and SGD with momentum. The single-machine reference is core's own
 * NaturalGradient.step / Sgd.step through the lab's Trainer and EpochBatches (keyed draws through
 * BatchEvaluation.keyedPasses); nothing on the reference side comes from natgrad-spark.
 */
class SparkExactnessTest {
    static final int N = 240;
    static final int M = 60;
    static final int STEPS = 8;
    static final long DATA_SEED = 11;
    static final long NET_SEED = 5;
    static final long BATCH_SEED = 23;
    static final Likelihood LIK = Gaussian.unit();
    static final Dataset DATA = SparkFixtures.regression(N, DATA_SEED);

    static final Map<String, double[]> reference = new LinkedHashMap<>();
    static final Map<String, Double> worst = new LinkedHashMap<>();

    static NaturalGradientOptions eq20Keyed() {
        return NaturalGradientOptions.paperDefaults().withModelSamples(1).withSeed(3)
                .withFactorPrecision(FactorPrecision.DOUBLE).withInitialDamping(0.1);
    }

    static NaturalGradientOptions eq20ExactRefresh3() {
        return eq20Keyed().withModelSamples(0).withRefreshEvery(3);
    }

    static NaturalGradientOptions kfacKeyed() {
        return eq20Keyed().toBuilder().factorPrecision(FactorPrecision.AUTO).curvature(CurvatureChoice.KFAC).alpha(0.5).build();
    }

    @BeforeAll
    static void singleMachine() throws IOException {
        reference.put("eq20-keyed", keyedReference(eq20Keyed()));
        reference.put("kfac-keyed", keyedReference(kfacKeyed()));
        Network net = SparkFixtures.network(NET_SEED);
        NaturalGradient ng = new NaturalGradient(LIK, eq20ExactRefresh3());
        Trainer.of("ngd", net, ng, new EpochBatches(DATA, M, new Rng(BATCH_SEED), true)).trainUntil(Budget.steps(STEPS));
        reference.put("eq20-exact-refresh3", net.parameters().toFlat());
        reference.put("sgd-momentum", sgdReference());
        double[] init = SparkFixtures.network(NET_SEED).parameters().toFlat();
        reference.forEach((name, w) -> assertTrue(SparkFixtures.relative(w, init) > 1e-2, name + " barely moved"));
    }

    /** The single machine's SGD with momentum 0.9 at rate 0.05. */
    static double[] sgdReference() throws IOException {
        Network s = SparkFixtures.network(NET_SEED);
        Trainer.of("sgd", s, new Sgd(LIK, 0.05, 0.9), new EpochBatches(DATA, M, new Rng(BATCH_SEED), true))
                .trainUntil(Budget.steps(STEPS));
        return s.parameters().toFlat();
    }

    /** The single machine with example-keyed model draws (the option both paths share). */
    static double[] keyedReference(NaturalGradientOptions o) throws IOException {
        Network net = SparkFixtures.network(NET_SEED);
        NaturalGradient ng = new NaturalGradient(LIK, o);
        new Trainer<Batch>("ngd", new EpochBatches(DATA, M, new Rng(BATCH_SEED), true), Batch::size,
                b -> ng.step(net, BatchEvaluation.keyedPasses(net, LIK, b, o.seed(), ng.steps())))
                .trainUntil(Budget.steps(STEPS));
        assertTrue(ng.rejectedSteps() < STEPS, "the reference run should make progress");
        return net.parameters().toFlat();
    }

    static Map<String, Function<SparkData, SparkOptimizer>> cases() {
        Map<String, Function<SparkData, SparkOptimizer>> c = new LinkedHashMap<>();
        c.put("eq20-keyed", d -> SparkOptimizer.naturalGradient(d, LIK, eq20Keyed()));
        c.put("kfac-keyed", d -> SparkOptimizer.naturalGradient(d, LIK, kfacKeyed()));
        c.put("eq20-exact-refresh3", d -> SparkOptimizer.naturalGradient(d, LIK, eq20ExactRefresh3()));
        c.put("sgd-momentum", d -> SparkOptimizer.sgd(d, LIK, 0.05, 0.9));
        return c;
    }

    static void runOn(String master, int partitions) {
        try (JavaSparkContext sc = SparkFixtures.context(master)) {
            if (partitions == 7) {
                orderedRunsRepeat(sc);
            }
            SparkData data = SparkData.of(sc, DATA, partitions);
            assertEquals(N, data.size());
            assertEquals(partitions, data.partitions());
            cases().forEach((name, make) -> {
                SparkOptimizer opt = make.apply(data);
                Network net = SparkFixtures.network(NET_SEED);
                SparkTraining.Result r = SparkTraining.train(opt, net, M, new Rng(BATCH_SEED), true, Budget.steps(STEPS));
                double dev = SparkFixtures.relative(r.network().parameters().toFlat(), reference.get(name));
                worst.merge(name, dev, Math::max);
                System.out.printf("natgrad-spark %s on %s (%d partitions): relative deviation %.2e, %d passes%n",
                        name, master, partitions, dev, r.counters().passes());
                assertTrue(dev <= 1e-10, name + " on " + master + ": relative deviation " + dev);
            });
        }
    }

    @Test
    void localOneTwoFourMatchTheSingleMachine() {
        runOn("local[1]", 1);
        runOn("local[2]", 3);
        runOn("local[4]", 7);
        assertEquals(4, worst.size());
    }

    /** With the ordered reduction, two runs on 7 partitions of local[4] give the same weights bit for bit. */
    static void orderedRunsRepeat(JavaSparkContext sc) {
        SparkData data = SparkData.of(sc, DATA, 7).orderedReduction();
        double[][] w = new double[2][];
        for (int run = 0; run < 2; run++) {
            Network net = SparkFixtures.network(NET_SEED);
            SparkTraining.train(SparkOptimizer.naturalGradient(data, LIK, kfacKeyed()), net, M, new Rng(BATCH_SEED), true,
                    Budget.steps(STEPS));
            w[run] = net.parameters().toFlat();
        }
        assertArrayEquals(w[0], w[1], 0);
        assertTrue(SparkFixtures.relative(w[0], reference.get("kfac-keyed")) <= 1e-10);
    }

    /** The draws matter: the default single stream gives other weights than the keyed draws (so the 1e-10 above is not vacuous). */
    @Test
    void keyedDrawsAreNotTheDefaultStream() throws IOException {
        Network net = SparkFixtures.network(NET_SEED);
        Trainer.of("ngd", net, new NaturalGradient(LIK, eq20Keyed()), new EpochBatches(DATA, M, new Rng(BATCH_SEED), true))
                .trainUntil(Budget.steps(STEPS));
        double dev = SparkFixtures.relative(net.parameters().toFlat(), keyedReference(eq20Keyed()));
        assertTrue(dev > 1e-4, "default stream vs keyed draws: " + dev);
    }

    @Test
    void minibatchIndicesAreTheEpochBatchesColumns() {
        EpochBatches batches = new EpochBatches(DATA, 70, new Rng(9), false);
        MinibatchIndices idx = new MinibatchIndices(N, 70, new Rng(9), false);
        for (int t = 0; t < 9; t++) { // two epochs and more: 4 minibatches per epoch, the last of 30
            Batch b = batches.get();
            int[] cols = idx.get();
            assertArrayEquals(DATA.select(cols).inputs().data(), b.inputs().data(), 0);
            assertEquals(t % 4 == 3 ? 30 : 70, cols.length);
        }
    }
}
