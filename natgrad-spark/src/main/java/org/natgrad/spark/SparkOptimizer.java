package org.natgrad.spark;

import org.natgrad.linalg.Precision;
import org.natgrad.likelihood.Likelihood;
import org.natgrad.nn.Network;
import org.natgrad.nn.ParamVector;
import org.natgrad.optim.FirstOrderOptimizer;
import org.natgrad.optim.NaturalGradient;
import org.natgrad.optim.NaturalGradientOptions;
import org.natgrad.optim.Optimizer;
import org.natgrad.optim.Sgd;
import org.natgrad.optim.StepReport;
import org.natgrad.statistics.Gradients;

/**
 * An optimizer of natgrad-core driven by statistics summed over Spark partitions. Per step the
 * driver broadcasts the weights and the step's minibatch (data-set indices), each partition
 * evaluates its share with natgrad-core ({@link Pass}), {@code treeAggregate} adds the partial
 * sums, and the driver takes the step with the unchanged optimizer:
 * <ul>
 *   <li>{@link #naturalGradient}: {@link NaturalGradient#step(Network, org.natgrad.optim.BatchEvaluation)},
 *       so the refresh schedule, the damping, step rejection and rollback are core's own; the factor
 *       sums are reduced only on refresh steps, and the Levenberg–Marquardt loss re-evaluation is a
 *       second, loss-only pass. Model-sampled targets (K ≥ 1) are drawn per example from
 *       {@code Rng.keyed(seed, step, position in the minibatch)}, so they do not depend on the
 *       partitioning; the single-machine twin is {@code BatchEvaluation.keyedPasses}. With K = 0
 *       (exact expectation) nothing is drawn and the twin is plain {@code NaturalGradient.step};</li>
 *   <li>{@link #sgd}, or any {@link FirstOrderOptimizer} ({@link #of}: SGD, Adam):
 *       {@link FirstOrderOptimizer#step(Network, Gradients)} with the summed loss and gradient.</li>
 * </ul>
 */
public final class SparkOptimizer {
    private final PassRunner runner;
    private final LikelihoodSpec likelihood;
    private final NaturalGradient ngd;
    private final FirstOrderOptimizer firstOrder;

    private SparkOptimizer(SparkData data, Likelihood likelihood, NaturalGradient ngd, FirstOrderOptimizer firstOrder,
                           int depth) {
        this.runner = new PassRunner(data, depth);
        this.likelihood = LikelihoodSpec.of(likelihood);
        this.ngd = ngd;
        this.firstOrder = firstOrder;
    }

    /**
     * {@code optimizer} (a {@link NaturalGradient} or a {@link FirstOrderOptimizer} made for
     * {@code likelihood}; its state stays its own, so its checkpoints work unchanged) driven by
     * sums over {@code data}'s partitions.
     *
     * @throws IllegalArgumentException for another kind of optimizer
     */
    public static SparkOptimizer of(SparkData data, Likelihood likelihood, Optimizer optimizer) {
        boolean single = optimizer instanceof NaturalGradient n ? n.options().precision() == Precision.SINGLE
                : optimizer instanceof FirstOrderOptimizer f && f.precision() == Precision.SINGLE;
        if (single) {
            throw new IllegalArgumentException("natgrad-spark: the partitions' passes are double precision; "
                    + "precision SINGLE (--precision single) runs only locally");
        }
        if (optimizer instanceof NaturalGradient n) {
            return new SparkOptimizer(data, likelihood, n, null, 2);
        }
        if (optimizer instanceof FirstOrderOptimizer f) {
            return new SparkOptimizer(data, likelihood, null, f, 2);
        }
        throw new IllegalArgumentException("natgrad-spark: optimizer " + optimizer.name() + " cannot take its steps from "
                + "partition sums; use ngd, sgd or adam");
    }

    /** Natural gradient with {@code options} on {@code data} (treeAggregate depth 2). */
    public static SparkOptimizer naturalGradient(SparkData data, Likelihood likelihood, NaturalGradientOptions options) {
        return new SparkOptimizer(data, likelihood, new NaturalGradient(likelihood, options), null, 2);
    }

    /** SGD with heavy-ball momentum μ (0: plain) on {@code data}. */
    public static SparkOptimizer sgd(SparkData data, Likelihood likelihood, double learningRate, double momentum) {
        return new SparkOptimizer(data, likelihood, null, new Sgd(likelihood, learningRate, momentum), 2);
    }

    /**
     * One step on the minibatch of data-set indices {@code minibatch} (in minibatch order), updating
     * {@code net} in place.
     */
    public StepReport step(Network net, int[] minibatch) {
        if (minibatch == null || minibatch.length == 0) {
            throw new IllegalArgumentException("natgrad-spark: a step needs a non-empty minibatch");
        }
        if (net.inputSize() != runner.data().inputSize() || net.outputSize() != runner.data().targetSize()) {
            throw new IllegalArgumentException("natgrad-spark: the network maps " + net.inputSize() + " -> "
                    + net.outputSize() + " values but the examples have " + runner.data().inputSize() + " -> "
                    + runner.data().targetSize());
        }
        if (ngd != null) {
            NaturalGradientOptions o = ngd.options();
            return ngd.step(net, new DistributedEvaluation(runner, net, likelihood, minibatch, ngd.refreshesNextStep(),
                    o.modelSamples(), o.seed(), ngd.steps()));
        }
        DistributedEvaluation e = new DistributedEvaluation(runner, net, likelihood, minibatch, false, 0, 0, 0);
        ParamVector g = e.gradient();
        return firstOrder.step(net, new Gradients(null, e.loss(), g));
    }

    /** The core optimizer that takes the steps ({@link NaturalGradient} or {@link Sgd}). */
    public Optimizer optimizer() {
        return ngd != null ? ngd : firstOrder;
    }

    /** A short name for logs: "ngd", "sgd", ... */
    public String name() {
        return optimizer().name();
    }

    /** N, the number of examples of the data set this optimizer trains on. */
    public int dataSize() {
        return runner.data().size();
    }

    /** What the passes so far cost. */
    public PassCounters counters() {
        return runner.counters();
    }
}
