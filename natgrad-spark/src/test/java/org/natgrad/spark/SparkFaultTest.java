package org.natgrad.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.natgrad.data.Dataset;
import org.natgrad.experiment.training.Budget;
import org.natgrad.likelihood.Gaussian;
import org.natgrad.linalg.FactorPrecision;
import org.natgrad.nn.Network;
import org.natgrad.optim.NaturalGradientOptions;
import org.natgrad.random.Rng;

/**
 * Spark's retry of a failed task leaves the run unchanged: on local[2,2] (two attempts per task)
 * the examples of partition 1 fail on each task's first attempt, in every pass (the partitions are
 * not cached, so every pass recomputes them from their lineage), and the weights after the run
 * equal those of the same run on healthy, cached data bit for bit (two partitions: a + b = b + a).
 */
class SparkFaultTest {
    static final AtomicInteger INJECTED = new AtomicInteger();

    @Test
    void aTaskThatFailsOnceIsRetriedAndTheResultIsUnchanged() {
        Dataset ds = SparkFixtures.regression(80, 6);
        NaturalGradientOptions o = NaturalGradientOptions.paperDefaults().withModelSamples(1)
                .withFactorPrecision(FactorPrecision.DOUBLE).withInitialDamping(0.1);
        long t0 = System.nanoTime();
        try (JavaSparkContext sc = SparkFixtures.context("local[2,2]")) {
            System.out.printf("context %.1f s%n", (System.nanoTime() - t0) * 1e-9);
            SparkData healthy = SparkData.of(sc, ds, 2);
            Network a = SparkFixtures.network(3);
            SparkTraining.train(SparkOptimizer.naturalGradient(healthy, Gaussian.unit(), o), a, 20, new Rng(2), true,
                    Budget.steps(3));

            System.out.printf("healthy run %.1f s%n", (System.nanoTime() - t0) * 1e-9);
            JavaRDD<Example> flaky = SparkData.examples(sc, ds, 2).map(e -> {
                TaskContext t = TaskContext.get();
                if (t.attemptNumber() == 0 && t.partitionId() == 1) {
                    INJECTED.incrementAndGet();
                    throw new IllegalStateException("injected failure of partition 1, attempt 0");
                }
                return e;
            });
            SparkData faulty = SparkData.of(flaky, false);
            int before = INJECTED.get();
            Network b = SparkFixtures.network(3);
            SparkOptimizer opt = SparkOptimizer.naturalGradient(faulty, Gaussian.unit(), o);
            SparkTraining.train(opt, b, 20, new Rng(2), true, Budget.steps(3));
            System.out.printf("faulty run %.1f s, %d passes%n", (System.nanoTime() - t0) * 1e-9, opt.counters().passes());
            assertTrue(INJECTED.get() - before >= opt.counters().passes(), "every pass had a failed first attempt: "
                    + (INJECTED.get() - before) + " failures, " + opt.counters().passes() + " passes");
            assertArrayEquals(a.parameters().toFlat(), b.parameters().toFlat(), 0);
        }
    }
}
