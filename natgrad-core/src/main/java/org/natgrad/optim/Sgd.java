package org.natgrad.optim;

import org.natgrad.data.Batch;
import org.natgrad.likelihood.Likelihood;
import org.natgrad.nn.Network;
import org.natgrad.nn.ParamVector;

/**
 * Stochastic gradient descent on the mean minibatch loss, with optional heavy-ball momentum:
 * v ← μ v + g, θ ← θ − η v (μ = 0 is plain SGD).
 */
public final class Sgd implements Optimizer {
    private final Likelihood likelihood;
    private final double learningRate;
    private final double momentum;
    private ParamVector velocity;

    public Sgd(Likelihood likelihood, double learningRate, double momentum) {
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("SGD learning rate must be finite and > 0, got " + learningRate);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("SGD momentum must be in [0, 1), got " + momentum);
        }
        this.likelihood = likelihood;
        this.learningRate = learningRate;
        this.momentum = momentum;
    }

    /** Plain SGD. */
    public Sgd(Likelihood likelihood, double learningRate) {
        this(likelihood, learningRate, 0);
    }

    public double learningRate() {
        return learningRate;
    }

    @Override
    public StepReport step(Network net, Batch batch) {
        Gradients g = Gradients.of(net, likelihood, batch);
        ParamVector params = net.parameters();
        if (momentum == 0) {
            params.axpy(-learningRate, g.gradient());
        } else {
            if (velocity == null) {
                velocity = ParamVector.zerosLike(params);
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
}
