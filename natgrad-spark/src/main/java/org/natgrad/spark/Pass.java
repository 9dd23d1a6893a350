package org.natgrad.spark;

import java.io.Serializable;
import org.natgrad.likelihood.Likelihood;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Backprop;
import org.natgrad.nn.Network;
import org.natgrad.nn.Trace;
import org.natgrad.statistics.CurvatureKind;
import org.natgrad.statistics.CurvatureStatistics;
import org.natgrad.statistics.LayerStatistics;

/**
 * What one distributed pass computes, broadcast to the partitions: the weights (flat), the step's
 * minibatch (data-set indices in minibatch order) and which sums to form ({@link PackedSums}).
 * Each partition evaluates its share of the minibatch with natgrad-core, exactly as a single
 * machine evaluates the whole minibatch: the forward pass, the loss, the backward pass of the true
 * targets (gradient) and, for the factors, {@link CurvatureStatistics#of} with the exact
 * expectation (K = 0) or {@link CurvatureStatistics#ofKeyedSamples} with each example's position
 * in the minibatch as its key (K ≥ 1), so the draws do not depend on the partitioning.
 */
record Pass(NetworkShape shape, double[] weights, LikelihoodSpec likelihood, int[] minibatch, PackedSums layout,
            int modelSamples, long seed, long step) implements Serializable {

    /** This shard's partial sums (all zero when it holds none of the minibatch). */
    double[] compute(Shard shard) {
        double[] out = new double[layout.length()];
        Shard.Part part = shard.select(minibatch);
        if (part == null) {
            return out;
        }
        Network net = shape.build(weights);
        Likelihood lik = likelihood.build();
        Matrix targets = part.batch().targets();
        Trace trace = net.forward(part.batch().inputs());
        Matrix output = trace.output();
        lik.validateTargets(output, targets);
        int m = part.batch().size();
        out[PackedSums.LOSS] = m * lik.loss(output, targets);
        out[PackedSums.COUNT] = m;
        if (layout.gradient()) {
            Backprop bp = net.backward(trace, lik.outputError(output, targets), true);
            System.arraycopy(bp.gradients().toFlat(), 0, out, PackedSums.GRADIENT, shape.parameters());
        }
        if (layout.factors()) {
            CurvatureStatistics s = modelSamples == 0
                    ? CurvatureStatistics.of(net, lik, trace, null, CurvatureKind.exact())
                    : CurvatureStatistics.ofKeyedSamples(net, lik, trace, modelSamples, seed, step, part.positions());
            for (int l = 0; l < shape.depth(); l++) {
                LayerStatistics.Samples x = s.samples(l);
                int o = layout.factorOffset(l);
                // Σ x̄ x̄^T, and m · Σ_k e_k e_k^T = Σ over this shard's samples of the unnormalized δδ^T / K
                PackedSums.addPacked(1, MatOps.syrk(1, x.inputs(), false, 0, null), out, o);
                PackedSums.addPacked(m, MatOps.syrk(1, x.doubleErrors(), false, 0, null), out,
                        o + PackedSums.triangle(shape.augmentedInputs(l)));
            }
        }
        return out;
    }
}
