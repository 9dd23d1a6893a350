package org.natgrad.spark;

import java.util.function.Supplier;
import org.apache.spark.api.java.JavaSparkContext;
import org.natgrad.data.Dataset;
import org.natgrad.experiment.train.StepSource;
import org.natgrad.experiment.training.EpochBatches;
import org.natgrad.experiment.training.Trainer;
import org.natgrad.likelihood.Likelihood;
import org.natgrad.nn.Batch;
import org.natgrad.nn.Network;
import org.natgrad.optim.Optimizer;

/**
 * The lab's {@code natgrad train} run with its steps on Spark: the training set is spread over
 * {@code partitions} partitions of the context once, and each step is a {@link SparkOptimizer} step
 * on the minibatch {@link EpochBatches#lastIndices()} names, with the run's own optimizer (so the
 * minibatches, the log, the checkpoints and {@code --resume} are those of a local run).
 */
public final class SparkSteps implements StepSource {
    private final Supplier<JavaSparkContext> context;
    private final int partitions;
    private SparkOptimizer last;

    /**
     * @param context    made on first use (a run that fails before its first step starts no Spark)
     * @param partitions the number of partitions of the training set (≥ 1; 0: the context's default parallelism)
     */
    public SparkSteps(Supplier<JavaSparkContext> context, int partitions) {
        if (partitions < 0) {
            throw new IllegalArgumentException("natgrad-spark: --partitions must be >= 1, got " + partitions);
        }
        this.context = context;
        this.partitions = partitions;
    }

    @Override
    public Trainer.Step<Batch> steps(Optimizer optimizer, Likelihood likelihood, Network net, Dataset train,
                                     EpochBatches batches) {
        JavaSparkContext sc = context.get();
        SparkData data = SparkData.of(sc, train, partitions == 0 ? sc.defaultParallelism() : partitions);
        SparkOptimizer o = SparkOptimizer.of(data, likelihood, optimizer);
        last = o;
        return b -> o.step(net, batches.lastIndices());
    }

    /** The passes' cost of the last run, or null before one. */
    public PassCounters counters() {
        return last == null ? null : last.counters();
    }
}
