package org.natgrad.optim;

import java.util.Map;

import org.natgrad.nn.Batch;
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

    /**
     * The optimizer's state as named 1-D arrays, keys prefixed {@code opt_} (momenta, step
     * counts, damping, random streams), such that a new optimizer with the same options, given
     * this map by {@link #restoreState} and the same weights, takes exactly the same next steps.
     * Empty for a stateless optimizer. Meaningful only when {@link #atResumableBoundary()}.
     */
    Map<String, double[]> saveState();

    /**
     * Restores a state from {@link #saveState()} into this (fresh) optimizer.
     *
     * @throws IllegalArgumentException naming the missing or malformed key
     */
    void restoreState(Map<String, double[]> state);

    /**
     * True when {@link #saveState()} now captures everything the next step depends on (e.g. false
     * while a natural-gradient step's deferred safety check is pending, or between curvature
     * refreshes); checkpoints are taken only then. Default: always.
     */
    default boolean atResumableBoundary() {
        return true;
    }
}
