package org.natgrad.optim;

import org.natgrad.curvature.CurvatureChoice;
import org.natgrad.curvature.FactorSolverOptions;
import org.natgrad.likelihood.Likelihood;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.linalg.Precision;
import org.natgrad.nn.Batch;
import org.natgrad.nn.Network;
import org.natgrad.nn.ParamVector;
import org.natgrad.nn.StatisticsForm;
import org.natgrad.nn.Trace;
import org.natgrad.random.Rng;
import org.natgrad.statistics.CurvatureKind;
import org.natgrad.statistics.CurvatureStatistics;

/**
 * What the natural-gradient optimizer needs from one minibatch, whatever computes it: the mean
 * loss at the current weights, its gradient, the curvature statistics, and the loss after a change
 * of the weights. Two sources:
 * <ul>
 *   <li>{@link #passes}: one forward pass, one backward pass with the true targets (the gradient)
 *       and K backward passes of model-sampled targets (the statistics), in single precision for
 *       the paper's rule when its factors are handled in single precision;</li>
 *   <li>{@link LinearMoments}: for a linear network with a Gaussian likelihood, the same quantities
 *       as exact functions of the minibatch second moment (statistics in factor form);</li>
 *   <li>outside this package, e.g. a distributed engine that adds per-shard sums and hands them to
 *       {@link NaturalGradient#step(Network, BatchEvaluation)}.</li>
 * </ul>
 * {@link #keyedPasses} is {@link #passes} with example-keyed model draws
 * ({@link CurvatureStatistics#ofKeyedSamples}), the single-machine reference of such an engine.
 */
public interface BatchEvaluation {

    /** The minibatch mean loss at the current weights. */
    double loss();

    /** The gradient of the mean loss (computed on first call). */
    ParamVector gradient();

    /**
     * The curvature statistics with K = {@code modelSamples} model draws from {@code rng} per
     * example (K = 0: the exact expectation), for representation {@code choice} solved as
     * {@code solver} says.
     */
    CurvatureStatistics statistics(int modelSamples, Rng rng, CurvatureChoice choice, FactorSolverOptions solver);

    /** The mean loss on this minibatch at the weights {@code after}, given the weights {@code before} the step. */
    double lossAfter(ParamVector before, ParamVector after);

    /** Forward and backward passes over the batch in double precision. */
    static BatchEvaluation passes(Network net, Likelihood likelihood, Batch batch) {
        return passes(net, likelihood, batch, Precision.DOUBLE);
    }

    /**
     * Forward and backward passes over the batch in {@code precision} (the loss in double either
     * way; in single precision the model-sampled errors of the statistics are kept in float32 for
     * every representation).
     */
    static BatchEvaluation passes(Network net, Likelihood likelihood, Batch batch, Precision precision) {
        return passes(net, likelihood, batch, precision, 0, 0, null);
    }

    /**
     * As {@link #passes}, but with K ≥ 1 the model-sampled targets of column j are drawn from
     * {@code Rng.keyed(seed, step, j)} ({@link CurvatureStatistics#ofKeyedSamples}, in double
     * precision) instead of the optimizer's stream: the draws depend only on (seed, step, position
     * in the minibatch), as a partitioned computation can reproduce.
     */
    static BatchEvaluation keyedPasses(Network net, Likelihood likelihood, Batch batch, long seed, long step) {
        long[] keys = new long[batch.size()];
        for (int j = 0; j < keys.length; j++) {
            keys[j] = j;
        }
        return passes(net, likelihood, batch, Precision.DOUBLE, seed, step, keys);
    }

    private static BatchEvaluation passes(Network net, Likelihood likelihood, Batch batch, Precision precision,
                                          long seed, long step, long[] keys) {
        Trace trace = net.forward(batch.inputs(), precision);
        Matrix out = trace.output();
        likelihood.validateTargets(out, batch.targets());
        double loss = likelihood.loss(out, batch.targets());
        return new BatchEvaluation() {
            private ParamVector gradient;

            @Override
            public double loss() {
                return loss;
            }

            @Override
            public ParamVector gradient() {
                if (gradient == null) {
                    Matrix err = MatOps.scaleInPlace(1.0 / batch.size(), likelihood.outputError(out, batch.targets()));
                    gradient = net.gradient(trace, err);
                }
                return gradient;
            }

            @Override
            public CurvatureStatistics statistics(int modelSamples, Rng rng, CurvatureChoice choice,
                                                  FactorSolverOptions solver) {
                if (modelSamples == 0) {
                    return CurvatureStatistics.of(net, likelihood, trace, batch.targets(), CurvatureKind.exact());
                }
                if (keys != null) {
                    return CurvatureStatistics.ofKeyedSamples(net, likelihood, trace, modelSamples, seed, step, keys);
                }
                CurvatureKind.MonteCarlo kind = new CurvatureKind.MonteCarlo(modelSamples, rng);
                if (precision == Precision.SINGLE || choice == CurvatureChoice.EQ20 && anySingle(net, solver)) {
                    return CurvatureStatistics.ofSingle(net, likelihood, trace, kind);
                }
                return CurvatureStatistics.of(net, likelihood, trace, batch.targets(), kind);
            }

            @Override
            public double lossAfter(ParamVector before, ParamVector after) {
                return likelihood.loss(net.forward(batch.inputs(), precision).output(), batch.targets());
            }
        };
    }

    /** True when some Λ_i or Λ̃_i of {@code net} is handled in single precision under {@code solver}. */
    private static boolean anySingle(Network net, FactorSolverOptions solver) {
        for (int i = 0; i < net.depth(); i++) {
            if (net.layer(i).statistics() instanceof StatisticsForm.Kronecker k
                    && solver.anySingle(k.inputDimension(), k.outputDimension())) {
                return true;
            }
        }
        return false;
    }
}
