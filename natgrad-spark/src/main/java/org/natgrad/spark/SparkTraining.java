package org.natgrad.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.natgrad.experiment.training.Budget;
import org.natgrad.experiment.training.Curve;
import org.natgrad.experiment.training.Trainer;
import org.natgrad.nn.Network;
import org.natgrad.random.Rng;

/**
 * Training on Spark through the lab's one training loop ({@link Trainer}): the minibatches are
 * index arrays ({@link MinibatchIndices}) and each step is a {@link SparkOptimizer} step, so the
 * budget, evaluation schedule, divergence and rejection accounting and checkpoint hooks are the
 * same as {@code natgrad train}'s.
 *
 * <pre>{@code
 * JavaSparkContext sc = new JavaSparkContext(new SparkConf().setMaster("local[4]").setAppName("ngd"));
 * SparkData data = SparkData.of(sc, dataset, 4);            // or SparkData.of(rddOfExamples, true)
 * SparkOptimizer ngd = SparkOptimizer.naturalGradient(data, likelihood, options);
 * Network net = Network.dense(List.of(784, 100, 10), Activation.TANH, Activation.IDENTITY, true,
 *         new Init.Gaussian(1), 1);
 * SparkTraining.Result r = SparkTraining.train(ngd, net, 100, new Rng(7), true, Budget.steps(500));
 * }</pre>
 */
public final class SparkTraining {
    private SparkTraining() {
    }

    /** What a run gave: the trained network (the one passed in, trained in place), its curve, and the passes' cost. */
    public record Result(Network network, Curve curve, PassCounters counters) {
    }

    /**
     * The {@link Trainer} of {@code optimizer} training {@code net} on minibatches of {@code batchSize}
     * drawn from {@code batchRng} (kept and advanced), for callers that set an evaluator, a schedule
     * or checkpoints.
     */
    public static Trainer<int[]> trainer(SparkOptimizer optimizer, Network net, int batchSize, Rng batchRng,
                                         boolean dropLast) {
        MinibatchIndices batches = new MinibatchIndices(optimizer.dataSize(), batchSize, batchRng, dropLast);
        return new Trainer<>(optimizer.name(), batches, b -> b.length, b -> optimizer.step(net, b));
    }

    /** Trains {@code net} in place until {@code budget} (no evaluations beyond the loop's first and last). */
    public static Result train(SparkOptimizer optimizer, Network net, int batchSize, Rng batchRng, boolean dropLast,
                               Budget budget) {
        try {
            Curve curve = trainer(optimizer, net, batchSize, batchRng, dropLast).trainUntil(budget);
            return new Result(net, curve, optimizer.counters());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
