package org.natgrad.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.natgrad.data.Dataset;
import org.natgrad.linalg.FactorPrecision;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Activation;
import org.natgrad.nn.Init;
import org.natgrad.nn.Network;
import org.natgrad.optim.NaturalGradientOptions;
import org.natgrad.random.Rng;
import org.natgrad.likelihood.Gaussian;

/**
 * Times natural-gradient steps on Spark: for the paper's MNIST-shaped autoencoder
 * (784-400-200-100-50-100-200-400-784, tanh, biases; inputs uniform in [0, 1), targets = inputs)
 * and full-data steps of M examples, on local[1] and local[2] (as many partitions as cores), it
 * reports per step the statistics phase (the distributed pass of loss, gradient and factors), the
 * loss re-evaluation pass, the driver's own work (factorizations, update: the step's wall time less
 * its passes) and the bytes reduced and broadcast. Eq. 20 rule, K = 1 keyed draws, double-precision
 * factor work, adaptive damping.
 *
 * <p>Usage: {@code SparkBench [M ...] [--steps T] [--masters local[1],local[2]] [--layers 784,400,...]}
 * (default M = 1000 10000, T = 3 after one untimed step).
 */
public final class SparkBench {
    private SparkBench() {
    }

    public static void main(String[] args) {
        List<Integer> sizes = new ArrayList<>();
        int steps = 3;
        String[] masters = {"local[1]", "local[2]"};
        List<Integer> widths = List.of(784, 400, 200, 100, 50, 100, 200, 400, 784);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                case "--masters" -> masters = args[++i].split(",");
                case "--layers" -> {
                    List<Integer> w = new ArrayList<>();
                    for (String s : args[++i].split(",")) {
                        w.add(Integer.parseInt(s.trim()));
                    }
                    widths = w;
                }
                default -> sizes.add(Integer.parseInt(args[i]));
            }
        }
        if (sizes.isEmpty()) {
            sizes = List.of(1000, 10000);
        }
        System.out.println("| M | master | partitions | statistics s/step | loss pass s/step | driver s/step | step s "
                + "| driver share | MB reduced/step | MB broadcast/step |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (int m : sizes) {
            for (String master : masters) {
                row(widths, m, master, steps);
            }
        }
    }

    private static void row(List<Integer> widths, int m, String master, int steps) {
        int n0 = widths.get(0);
        Matrix x = new Matrix(n0, m);
        Rng rng = new Rng(12);
        for (int i = 0; i < x.data().length; i++) {
            x.data()[i] = rng.nextDouble();
        }
        Dataset data = new Dataset(x, x);
        SparkConf conf = new SparkConf().setMaster(master).setAppName("natgrad SparkBench")
                .set("spark.ui.enabled", "false").set("spark.ui.showConsoleProgress", "false");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            int partitions = sc.defaultParallelism();
            SparkData d = SparkData.of(sc, data, partitions);
            NaturalGradientOptions o = NaturalGradientOptions.paperDefaults().withFactorPrecision(FactorPrecision.DOUBLE)
                    .withAlpha(0.1).withInitialDamping(1);
            SparkOptimizer ngd = SparkOptimizer.naturalGradient(d, Gaussian.unit(), o);
            Network net = Network.dense(widths, Activation.TANH, Activation.IDENTITY, true, new Init.Gaussian(1), 3);
            int[] all = new int[m];
            for (int j = 0; j < m; j++) {
                all[j] = j;
            }
            ngd.step(net, all); // warm-up: class loading, JIT, the shards' first use
            PassCounters before = ngd.counters();
            long t0 = System.nanoTime();
            for (int t = 0; t < steps; t++) {
                ngd.step(net, all);
            }
            double wall = (System.nanoTime() - t0) * 1e-9 / steps;
            PassCounters after = ngd.counters();
            double stats = (after.statisticsNanos() - before.statisticsNanos()) * 1e-9 / steps;
            double loss = (after.lossNanos() - before.lossNanos()) * 1e-9 / steps;
            double driver = wall - stats - loss;
            System.out.println(String.format(Locale.ROOT, "| %d | %s | %d | %.3f | %.3f | %.3f | %.3f | %.0f%% | %.2f | %.2f |",
                    m, master, partitions, stats, loss, driver, wall, 100 * driver / wall,
                    (after.reducedBytes() - before.reducedBytes()) / 1e6 / steps,
                    (after.broadcastBytes() - before.broadcastBytes()) / 1e6 / steps));
            d.unpersist();
        }
    }
}
