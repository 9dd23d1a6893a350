package org.natgrad.spark;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.natgrad.experiment.training.Budget;
import org.natgrad.nn.Network;
import org.natgrad.random.Rng;

/**
 * The multi-JVM path: Spark's {@code local-cluster[2,1,512]} master starts a standalone master and
 * two workers in this JVM, and each worker launches its executor as a separate JVM (a fresh
 * {@code java} process), so the closures, the broadcast weights and the packed partial sums cross
 * process boundaries by serialization, which local[N] never does. Three of the exactness cases of
 * {@link SparkExactnessTest} (Eq. 20 keyed, K-FAC keyed, SGD with momentum) train on 4 partitions
 * over the two executors and must match the single-machine reference to 1e-10 relative.
 *
 * <p>The workers need a Spark home: a temporary folder with an empty {@code jars/} and the
 * {@code launcher/target/scala-2.13} folder Spark's launcher looks for; the executors' class path
 * is this JVM's {@code java.class.path} via {@code spark.executor.extraClassPath}. When no executor
 * registers within 120 s the test is skipped with that message (it runs where executors can start).
 */
class SparkClusterTest {
    static final int EXECUTORS = 2;

    @Test
    void twoExecutorJvmsMatchTheSingleMachine(@TempDir Path home) throws IOException {
        Files.createDirectories(home.resolve("jars"));
        Files.createDirectories(home.resolve("launcher/target/scala-2.13"));
        String cp = System.getProperty("java.class.path");
        String before = System.getProperty("spark.test.home");
        String testing = System.getProperty("spark.testing");
        System.setProperty("spark.test.home", home.toString()); // the workers read it when spark.testing is set
        System.setProperty("spark.testing", "true");
        long t0 = System.nanoTime();
        SparkConf conf = new SparkConf().setMaster("local-cluster[" + EXECUTORS + ",1,512]")
                .setAppName("natgrad-spark-cluster-test").set("spark.ui.enabled", "false")
                .set("spark.ui.showConsoleProgress", "false").set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1").set("spark.executor.memory", "512m")
                .set("spark.executor.extraClassPath", cp)
                .set("spark.executor.extraJavaOptions", "-XX:+UseSerialGC -XX:TieredStopAtLevel=1");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            restore("spark.testing", testing);
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (sc.sc().getExecutorMemoryStatus().size() < EXECUTORS + 1 && System.nanoTime() < deadline) {
                sleep();
            }
            int up = sc.sc().getExecutorMemoryStatus().size() - 1;
            Assumptions.assumeTrue(up == EXECUTORS, "natgrad-spark: only " + up + " of " + EXECUTORS
                    + " executor JVMs of local-cluster registered within 120 s; skipping the multi-JVM check");
            System.out.printf("natgrad-spark local-cluster: %d executors up after %.1f s%n", up,
                    (System.nanoTime() - t0) * 1e-9);
            Map<String, double[]> reference = new LinkedHashMap<>();
            reference.put("eq20-keyed", SparkExactnessTest.keyedReference(SparkExactnessTest.eq20Keyed()));
            reference.put("kfac-keyed", SparkExactnessTest.keyedReference(SparkExactnessTest.kfacKeyed()));
            reference.put("sgd-momentum", SparkExactnessTest.sgdReference());
            SparkData data = SparkData.of(sc, SparkExactnessTest.DATA, 4);
            long executorsSeen = data.shards().map(s -> ProcessHandle.current().pid()).distinct().count();
            assertTrue(executorsSeen >= 2, "the partitions should live in two executor processes, saw " + executorsSeen);
            assertTrue(data.shards().map(s -> ProcessHandle.current().pid()).collect().stream()
                    .noneMatch(p -> p == ProcessHandle.current().pid()), "no partition may run in the driver's JVM");
            reference.forEach((name, w) -> {
                SparkOptimizer opt = SparkExactnessTest.cases().get(name).apply(data);
                Network net = SparkFixtures.network(SparkExactnessTest.NET_SEED);
                SparkTraining.Result r = SparkTraining.train(opt, net, SparkExactnessTest.M,
                        new Rng(SparkExactnessTest.BATCH_SEED), true, Budget.steps(SparkExactnessTest.STEPS));
                double dev = SparkFixtures.relative(r.network().parameters().toFlat(), w);
                System.out.printf("natgrad-spark %s on local-cluster[2,1,512] (4 partitions, 2 executor JVMs): "
                        + "relative deviation %.2e, %d passes, %d bytes reduced%n", name, dev, r.counters().passes(),
                        r.counters().reducedBytes());
                assertTrue(dev <= 1e-10, name + " across executor JVMs: relative deviation " + dev);
            });
        } finally {
            restore("spark.testing", testing);
            restore("spark.test.home", before);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
