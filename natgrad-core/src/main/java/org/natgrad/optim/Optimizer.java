package org.natgrad.optim;

import org.natgrad.data.Batch;
import org.natgrad.nn.Network;

/**
 * One training step on a minibatch. Implementations hold their likelihood, hyper-parameters and
 * state (momenta, damping, step count); the network's weights are updated in place.
 */
public interface Optimizer {

    /** Takes one step on {@code batch}, updating {@code net} in place, and reports what happened. */
    StepReport step(Network net, Batch batch);

    /** A short name for logs, e.g. "sgd" or "ngd". */
    String name();
}
