/**
 * Data-parallel natural gradient on Apache Spark (Spark 4.x, Scala 2.13 artifacts, Java 17).
 *
 * <p>Every quantity a natural-gradient, K-FAC or SGD step needs is a sum over examples, so data
 * parallelism is exact up to the order of the additions. Per step the driver broadcasts the weights
 * and the step's minibatch (data-set indices drawn as {@link org.natgrad.spark.MinibatchIndices},
 * the single-machine order); each partition ({@link org.natgrad.spark.SparkData}: one packed shard
 * per partition, cached) evaluates its share with natgrad-core and returns one {@code double[]}:
 * the loss sum, the gradient sum and, on refresh steps only, Σ x̄x̄^T and Σ δ̃δ̃^T per layer as
 * packed upper triangles; {@code treeAggregate} adds them; the driver turns them into the mean loss,
 * gradient and {@code CurvatureStatistics} in factor form and runs core's own
 * {@code NaturalGradient.step(Network, BatchEvaluation)} (refresh, damping, rejection, rollback),
 * or {@code Sgd.step(Network, Gradients)}. The Levenberg–Marquardt loss after the step is a second,
 * loss-only pass ({@link org.natgrad.spark.PassCounters} counts passes and bytes).
 *
 * <p>What is exact: with the same seeds, the weights after T steps on local[1], local[2], local[4]
 * and on one machine agree to round-off (the tests ask 1e-10 relative in double precision) for the
 * Eq. 20 rule and K-FAC with K = 0 (exact expectation; the single machine's own
 * {@code NaturalGradient.step}), with K ≥ 1 model samples drawn example-keyed (the single-machine
 * twin is {@code BatchEvaluation.keyedPasses}; the default single stream cannot be split across
 * partitions), and for SGD. Not exact: factor work in single precision (use
 * {@code FactorPrecision.DOUBLE}), and curvatures that need per-sample statistics (block-diagonal,
 * EKFAC, ...), which are refused. Spark merges the final partial sums in task completion order, so
 * two runs with more than two partitions may differ at round-off;
 * {@link org.natgrad.spark.SparkData#orderedReduction()} adds them in partition order on the driver
 * (bit-for-bit repeatable, the driver receiving every partial).
 *
 * <p>Entry points: {@link org.natgrad.spark.SparkOptimizer} (one step on a minibatch of indices;
 * {@code naturalGradient}, {@code sgd}, or {@code of} any core {@code NaturalGradient} or
 * {@code FirstOrderOptimizer}), {@link org.natgrad.spark.SparkTraining} (the lab's {@code Trainer}
 * over {@link org.natgrad.spark.MinibatchIndices}), {@link org.natgrad.spark.SparkMain}
 * ({@code natgrad train --spark MASTER}: the lab's command and run folder with
 * {@link org.natgrad.spark.SparkSteps} as its step source) and {@link org.natgrad.spark.SparkBench}
 * (statistics-phase time, driver share and bytes per step). Data: an {@code RDD<Example>} or a
 * {@code Dataset} ({@link org.natgrad.spark.SparkData#of}), or NPZ shards read on the executors
 * ({@link org.natgrad.spark.NpzShards}, the driver reading only their headers).
 *
 * <p>Cluster: the module's {@code package} phase writes {@code target/natgrad-spark-submit.jar}
 * (natgrad and its libraries, no Spark) for
 * {@code spark-submit --class org.natgrad.spark.SparkMain natgrad-spark-submit.jar train ...};
 * without {@code --spark}, {@code SparkMain} takes the master {@code spark-submit} sets.
 *
 * <p>Tests need the JVM flags Spark documents for Java 17 ({@code --add-opens ...}; this module's
 * surefire configuration sets them).
 */
package org.natgrad.spark;
