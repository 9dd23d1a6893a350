package org.natgrad.spark;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.natgrad.data.Dataset;

/**
 * A training set spread over Spark partitions: the examples of an {@code RDD<Example>} packed into
 * one {@link Shard} per partition (inputs and targets as column-major arrays, sorted by index),
 * cached in memory. The indices must be 0..N−1, each once: minibatches are drawn as sets of
 * indices on the driver, and each partition evaluates the ones it holds.
 */
public final class SparkData {
    private final JavaSparkContext context;
    private final JavaRDD<Shard> shards;
    private final int size;
    private final int inputSize;
    private final int targetSize;
    private final boolean ordered;

    private SparkData(JavaSparkContext context, JavaRDD<Shard> shards, int size, int inputSize, int targetSize,
                      boolean ordered) {
        this.context = context;
        this.shards = shards;
        this.size = size;
        this.inputSize = inputSize;
        this.targetSize = targetSize;
        this.ordered = ordered;
    }

    /**
     * The same partitions, with each pass's partial sums collected to the driver and added there in
     * partition order instead of by {@code treeAggregate}: bit-for-bit the same result on every run
     * with the same partitioning (treeAggregate adds in the order tasks finish, so with three or more
     * partitions two runs may differ at round-off), at the cost of the driver receiving every
     * partition's partial. For tests and small clusters.
     */
    public SparkData orderedReduction() {
        return new SparkData(context, shards, size, inputSize, targetSize, true);
    }

    /** True for {@link #orderedReduction()}. */
    public boolean ordered() {
        return ordered;
    }

    /**
     * The examples of {@code examples}, packed per partition and cached (when {@code cache}; without
     * it every pass recomputes the partitions from their lineage, as after a lost executor).
     *
     * @throws IllegalArgumentException when the indices are not 0..N−1 each once, or the sizes of
     *                                  the inputs or targets differ
     */
    public static SparkData of(JavaRDD<Example> examples, boolean cache) {
        return packed(examples.mapPartitions(it -> Collections.singletonList(Shard.of(it)).iterator(), true), cache);
    }

    /**
     * The NPZ shards {@code shards} lists, one partition per shard, each read on its executor (the
     * driver holds only the paths and the row counts of the headers), refusing non-finite values;
     * cached. Example offset_k + i is row i of shard k, so the minibatches are those of the
     * shards' concatenation in {@link NpzShards} order read as one file.
     *
     * @throws org.natgrad.io.FileFormatException when an executor finds a shard malformed or its
     *                                            arrays unlike its header: the reader's one-line
     *                                            message, which names the shard
     */
    public static SparkData of(JavaSparkContext context, NpzShards shards) throws java.io.IOException {
        JavaRDD<NpzShards.File> files = context.parallelize(shards.files(), shards.count());
        try {
            return packed(files.map(Shard::read), true);
        } catch (Exception e) { // also SparkException, checked in Java's eyes, thrown by Scala undeclared
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof org.natgrad.io.FileFormatException f) {
                    throw f; // the task's own exception, sent back whole; its message names the shard
                }
            }
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("natgrad-spark: reading the shards failed: " + e.getMessage(), e);
        }
    }

    /** The packed partitions, cached when {@code cache}, after checking their indices and sizes. */
    private static SparkData packed(JavaRDD<Shard> shards, boolean cache) {
        if (cache) {
            shards = shards.persist(StorageLevel.MEMORY_ONLY());
        }
        List<long[]> summary = shards.map(s -> {
            int[] r = s.indexRange();
            return new long[] {s.size(), r == null ? Long.MAX_VALUE : r[0], r == null ? -1 : r[1], s.inputSize(),
                    s.targetSize(), sum(s, 1), sum(s, 2)};
        }).collect();
        long n = 0;
        long min = Long.MAX_VALUE;
        long max = -1;
        long indexSum = 0;
        long squareSum = 0; // mod 2^64, like the expected value below
        long n0 = -1;
        long nl = -1;
        for (long[] s : summary) {
            if (s[0] == 0) {
                continue;
            }
            if (n0 >= 0 && (s[3] != n0 || s[4] != nl)) {
                throw new IllegalArgumentException("natgrad-spark: partitions hold examples of " + n0 + " -> " + nl + " and "
                        + s[3] + " -> " + s[4] + " values");
            }
            n0 = s[3];
            nl = s[4];
            n += s[0];
            min = Math.min(min, s[1]);
            max = Math.max(max, s[2]);
            indexSum += s[5];
            squareSum += s[6];
        }
        if (n == 0) {
            throw new IllegalArgumentException("natgrad-spark: the RDD holds no examples");
        }
        // with count, min, max, Σ i and Σ i² of 0..N−1, a duplicated index (and so a missing one) shows
        java.math.BigInteger bn = java.math.BigInteger.valueOf(n);
        long squares = bn.subtract(java.math.BigInteger.ONE).multiply(bn).multiply(bn.shiftLeft(1).subtract(
                java.math.BigInteger.ONE)).divide(java.math.BigInteger.valueOf(6)).longValue();
        if (min != 0 || max != n - 1 || indexSum != n * (n - 1) / 2 || squareSum != squares) {
            throw new IllegalArgumentException("natgrad-spark: example indices must be 0.." + (n - 1) + ", each once; got "
                    + n + " examples with indices " + min + ".." + max);
        }
        return new SparkData(JavaSparkContext.fromSparkContext(shards.context()), shards, Math.toIntExact(n),
                (int) n0, (int) nl, false);
    }

    /** Σ i^power (power 1 or 2) over the shard's indices, wrapping mod 2^64. */
    private static long sum(Shard s, int power) {
        long t = 0;
        for (int i = 0; i < s.size(); i++) {
            long k = s.index(i);
            t += power == 1 ? k : k * k;
        }
        return t;
    }

    /**
     * A natgrad {@link Dataset} (column j is example j) spread over {@code partitions} partitions of
     * {@code context}, cached.
     */
    public static SparkData of(JavaSparkContext context, Dataset data, int partitions) {
        return of(examples(context, data, partitions), true);
    }

    /** The columns of {@code data} as an RDD of {@link Example}s over {@code partitions} partitions. */
    public static JavaRDD<Example> examples(JavaSparkContext context, Dataset data, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("natgrad-spark: need at least one partition, got " + partitions);
        }
        List<Example> list = new ArrayList<>(data.size());
        int n0 = data.inputSize();
        int nl = data.targetSize();
        for (int j = 0; j < data.size(); j++) {
            double[] x = new double[n0];
            double[] y = new double[nl];
            System.arraycopy(data.inputs().data(), j * n0, x, 0, n0);
            System.arraycopy(data.targets().data(), j * nl, y, 0, nl);
            list.add(new Example(j, x, y));
        }
        return context.parallelize(list, partitions);
    }

    /** N, the number of examples. */
    public int size() {
        return size;
    }

    /** n_0. */
    public int inputSize() {
        return inputSize;
    }

    /** n_L. */
    public int targetSize() {
        return targetSize;
    }

    /** The number of partitions. */
    public int partitions() {
        return shards.getNumPartitions();
    }

    JavaRDD<Shard> shards() {
        return shards;
    }

    JavaSparkContext context() {
        return context;
    }

    /** Drops the cached partitions. */
    public void unpersist() {
        shards.unpersist(false);
    }
}
