package org.natgrad.spark;

import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.natgrad.data.Dataset;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Activation;
import org.natgrad.nn.Init;
import org.natgrad.nn.Network;
import org.natgrad.random.Rng;

/** Small data, networks and local Spark contexts shared by the tests. */
final class SparkFixtures {
    private SparkFixtures() {
    }

    /** A local context with the UI off and few shuffle partitions (fast start). */
    static JavaSparkContext context(String master) {
        SparkConf conf = new SparkConf().setMaster(master).setAppName("natgrad-spark-test")
                .set("spark.ui.enabled", "false").set("spark.ui.showConsoleProgress", "false")
                .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.sql.shuffle.partitions", "2");
        return new JavaSparkContext(conf);
    }

    /** A 6 -> 5 -> 3 tanh network with biases. */
    static Network network(long seed) {
        return Network.dense(List.of(6, 5, 3), Activation.TANH, Activation.IDENTITY, true, new Init.Gaussian(1), seed);
    }

    /** N examples of a 6 -> 3 tanh teacher with Gaussian noise (regression targets). */
    static Dataset regression(int n, long seed) {
        Rng rng = new Rng(seed);
        Network teacher = Network.dense(List.of(6, 4, 3), Activation.TANH, Activation.IDENTITY, true,
                new Init.Gaussian(1.5), rng);
        Matrix x = new Matrix(6, n);
        rng.fillGaussian(x.data());
        Matrix y = teacher.predict(x);
        for (int i = 0; i < y.data().length; i++) {
            y.data()[i] += 0.1 * rng.nextGaussian();
        }
        return new Dataset(x, y);
    }

    /** ‖a − b‖ / ‖b‖ of two parameter vectors (2-norm). */
    static double relative(double[] a, double[] b) {
        return MatOps.relativeError(new Matrix(a.length, 1, a), new Matrix(b.length, 1, b));
    }
}
