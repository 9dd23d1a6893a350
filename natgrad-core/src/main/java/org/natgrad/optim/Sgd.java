package org.natgrad.optim;

import org.natgrad.statistics.Gradients;
import java.util.Map;

import org.natgrad.nn.Batch;
import org.natgrad.likelihood.Likelihood;
import org.natgrad.linalg.Precision;
import org.natgrad.nn.Network;
import org.natgrad.nn.ParamVector;

/**
 * Stochastic gradient descent on the mean minibatch loss, with optional heavy-ball momentum:
 * v ← μ v + g, θ ← θ − η v (μ = 0 is plain SGD).
 */
public final class Sgd extends FirstOrderBase {
    private final double learningRate;
    private final double momentum;
    private ParamVector velocity;
    /** A restored velocity, set into {@link #velocity} on the first step (when the shapes are known). */
    private double[] pendingVelocity;

    /**
     * SGD with heavy-ball momentum μ ∈ [0, 1), its passes and gradient in {@code precision}
     * ({@link Gradients#of(Network, Likelihood, Batch, Precision)}). The weights, the velocity and the
     * update stay double precision: in SINGLE the float32 gradient is applied in double (measured
     * against float32 weight copies in docs/architecture.md). In SINGLE a non-finite loss or gradient
     * (a float32 overflow) rejects the step, weights untouched, with the reason; DOUBLE takes every
     * step as it always did.
     */
    public Sgd(Likelihood likelihood, double learningRate, double momentum, Precision precision) {
        super("SGD", likelihood, precision);
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("SGD learning rate must be finite and > 0, got " + learningRate);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("SGD momentum must be in [0, 1), got " + momentum);
        }
        this.learningRate = learningRate;
        this.momentum = momentum;
    }

    /** SGD with momentum in double precision. */
    public Sgd(Likelihood likelihood, double learningRate, double momentum) {
        this(likelihood, learningRate, momentum, Precision.DOUBLE);
    }

    /** Plain SGD. */
    public Sgd(Likelihood likelihood, double learningRate) {
        this(likelihood, learningRate, 0);
    }

    public double learningRate() {
        return learningRate;
    }

    @Override
    public StepReport step(Network net, Gradients g) {
        ParamVector params = net.parameters();
        if (momentum == 0) {
            params.axpy(-learningRate, g.gradient());
        } else {
            if (velocity == null) {
                velocity = ParamVector.zerosLike(params);
                if (pendingVelocity != null) {
                    if (pendingVelocity.length != velocity.size()) {
                        throw new IllegalArgumentException("SGD state: 'opt_velocity' has " + pendingVelocity.length
                                + " values but the network has " + velocity.size() + " parameters");
                    }
                    velocity.setFromFlat(pendingVelocity);
                    pendingVelocity = null;
                }
            }
            velocity.scale(momentum).axpy(1, g.gradient());
            params.axpy(-learningRate, velocity);
        }
        return StepReport.firstOrder(g.loss());
    }

    @Override
    public String name() {
        return momentum == 0 ? "sgd" : "sgd-momentum";
    }

    /** Empty for plain SGD; with momentum, once a step was taken, {@code opt_velocity} (P values, flat). */
    @Override
    public Map<String, double[]> saveState() {
        if (velocity != null) {
            return Map.of("opt_velocity", velocity.toFlat());
        }
        return pendingVelocity == null ? Map.of() : Map.of("opt_velocity", pendingVelocity.clone());
    }

    /**
     * Restores {@code opt_velocity}; its length is checked against the network on the next step.
     */
    @Override
    public void restoreState(Map<String, double[]> state) {
        double[] v = state.get("opt_velocity");
        if (v != null && momentum == 0) {
            throw new IllegalArgumentException("SGD state: 'opt_velocity' given but this optimizer has no momentum");
        }
        pendingVelocity = v == null ? null : v.clone();
        velocity = null;
    }
}
