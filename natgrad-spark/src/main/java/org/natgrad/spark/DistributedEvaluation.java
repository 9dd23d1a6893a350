package org.natgrad.spark;

import org.natgrad.curvature.CurvatureChoice;
import org.natgrad.curvature.FactorSolverOptions;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Network;
import org.natgrad.nn.ParamVector;
import org.natgrad.optim.BatchEvaluation;
import org.natgrad.random.Rng;
import org.natgrad.statistics.CurvatureStatistics;

/**
 * A {@link BatchEvaluation} whose sums come from the partitions: the first pass (at the weights of
 * {@code net} when made) gives the loss, the gradient and, on refresh steps, the factor sums; the
 * loss after the step is a second, loss-only pass. The statistics are in factor form,
 * Λ_l = (1/M) Σ x̄x̄^T and Λ̃_l = (1/(KM)) Σ δ̃δ̃^T, which the Kronecker representations (the
 * Eq. 20 rule and K-FAC) take.
 */
final class DistributedEvaluation implements BatchEvaluation {
    private final PassRunner runner;
    private final Network net;
    private final Pass first;
    private final int examples;
    private double[] sums;
    private ParamVector gradient;

    /**
     * @param factors      whether the first pass also forms the factor sums (a refresh step)
     * @param modelSamples K (0: the exact expectation)
     * @param seed         the keyed draws' seed
     * @param step         the step index (the keyed draws' second key)
     */
    DistributedEvaluation(PassRunner runner, Network net, LikelihoodSpec likelihood, int[] minibatch, boolean factors,
                          int modelSamples, long seed, long step) {
        this.runner = runner;
        this.net = net;
        NetworkShape shape = NetworkShape.of(net);
        this.first = new Pass(shape, net.parameters().toFlat(), likelihood, minibatch, new PackedSums(shape, true, factors),
                modelSamples, seed, step);
        this.examples = minibatch.length;
    }

    private double[] sums() {
        if (sums == null) {
            sums = runner.run(first, false);
            requireAll(sums);
        }
        return sums;
    }

    private void requireAll(double[] s) {
        if (s[PackedSums.COUNT] != examples) {
            throw new IllegalArgumentException("natgrad-spark: the minibatch has " + examples + " examples but the "
                    + "partitions hold " + (long) s[PackedSums.COUNT] + " of them (indices beyond the data set?)");
        }
    }

    @Override
    public double loss() {
        return sums()[PackedSums.LOSS] / examples;
    }

    @Override
    public ParamVector gradient() {
        if (gradient == null) {
            double[] flat = new double[first.shape().parameters()];
            double[] s = sums();
            for (int i = 0; i < flat.length; i++) {
                flat[i] = s[PackedSums.GRADIENT + i] / examples;
            }
            gradient = ParamVector.zerosLike(net.parameters()).setFromFlat(flat);
        }
        return gradient;
    }

    @Override
    public CurvatureStatistics statistics(int modelSamples, Rng rng, CurvatureChoice choice, FactorSolverOptions solver) {
        if (choice != CurvatureChoice.EQ20 && choice != CurvatureChoice.KFAC) {
            throw new IllegalArgumentException("natgrad-spark: curvature " + choice + " needs per-sample statistics; "
                    + "the partitions reduce Kronecker factors, so use EQ20 or KFAC");
        }
        double[] s = sums();
        PackedSums layout = first.layout();
        if (!layout.factors() || modelSamples != first.modelSamples()) { // not predicted: one more pass
            Pass p = new Pass(first.shape(), first.weights(), first.likelihood(), first.minibatch(),
                    new PackedSums(first.shape(), false, true), modelSamples, first.seed(), first.step());
            s = runner.run(p, false);
            requireAll(s);
            layout = p.layout();
        }
        NetworkShape shape = first.shape();
        Matrix[] lambda = new Matrix[shape.depth()];
        Matrix[] lambdaTilde = new Matrix[shape.depth()];
        for (int l = 0; l < lambda.length; l++) {
            int o = layout.factorOffset(l);
            int d = shape.augmentedInputs(l);
            lambda[l] = PackedSums.unpack(1.0 / examples, s, o, d);
            lambdaTilde[l] = PackedSums.unpack(1.0 / examples, s, o + PackedSums.triangle(d), shape.outputs(l));
        }
        return CurvatureStatistics.ofFactors(lambda, lambdaTilde, examples);
    }

    @Override
    public double lossAfter(ParamVector before, ParamVector after) {
        Pass p = new Pass(first.shape(), after.toFlat(), first.likelihood(), first.minibatch(),
                new PackedSums(first.shape(), false, false), 0, first.seed(), first.step());
        double[] s = runner.run(p, true);
        requireAll(s);
        return s[PackedSums.LOSS] / examples;
    }
}
