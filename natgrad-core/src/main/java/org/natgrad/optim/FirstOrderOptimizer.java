package org.natgrad.optim;

import org.natgrad.likelihood.Likelihood;
import org.natgrad.linalg.Precision;
import org.natgrad.nn.Network;
import org.natgrad.statistics.Gradients;

/**
 * An optimizer whose step needs only the minibatch's mean loss and gradient ({@link Sgd},
 * {@link Adam}): {@link #step(Network, Gradients)} takes them already computed (e.g. summed over
 * the partitions of a distributed data set), and {@link #step(Network, org.natgrad.nn.Batch)}
 * computes them first.
 */
public interface FirstOrderOptimizer extends Optimizer {

    /**
     * One step from the mean loss and gradient {@code g} at {@code net}'s current weights
     * ({@code g.trace()} is not used), updating {@code net} in place.
     */
    StepReport step(Network net, Gradients g);

    /** The precision of the passes and gradient of {@link #step(Network, org.natgrad.nn.Batch)}. */
    Precision precision();

    /** The loss the steps minimize. */
    Likelihood likelihood();

    /**
     * The loss and gradient of {@code batch} in {@link #precision()}, then {@link #step(Network, Gradients)};
     * in single precision a non-finite loss or gradient is a rejected step (weights untouched) whose
     * reason names float32.
     */
    @Override
    default StepReport step(Network net, org.natgrad.nn.Batch batch) {
        Gradients g = Gradients.of(net, likelihood(), batch, precision());
        StepReport rejected = StepReport.float32Rejection(precision(), g);
        return rejected != null ? rejected : step(net, g);
    }
}
