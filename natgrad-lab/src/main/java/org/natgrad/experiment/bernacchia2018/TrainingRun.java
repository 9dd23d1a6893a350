package org.natgrad.experiment.bernacchia2018;

import org.natgrad.nn.Batch;
import org.natgrad.data.Dataset;
import org.natgrad.likelihood.Gaussian;
import org.natgrad.nn.Network;
import org.natgrad.optim.Optimizer;
import org.natgrad.optim.StepReport;
import org.natgrad.random.Rng;

/**
 * Trains one network with one optimizer on random minibatches and records the test error every
 * {@code evalEvery} examples into a {@link Curve}. Wall-clock counts only training (drawing the
 * minibatch and the optimizer step), never the test evaluations. A run can be extended:
 * {@link #trainUntil(long)} may be called again with a larger budget (the SGD grid search trains
 * every candidate for a prefix and then continues the best one).
 *
 * <p>The run stops early, and marks its curve diverged, when the test error or the minibatch loss
 * becomes non-finite or the test error exceeds {@link #BLOW_UP} times its initial value.
 */
public final class TrainingRun {
    /** Test error above this multiple of the initial error counts as divergence. */
    public static final double BLOW_UP = 1e6;

    /** Training examples (the first ones) on which the training error is measured at each evaluation. */
    public static final int TRAIN_PROBE = 1000;

    private static final Gaussian SQUARED = Gaussian.unit();

    private final Network net;
    private final Optimizer optimizer;
    private final Dataset test;
    private final Dataset trainProbe;
    private final int batchSize;
    private final long evalEvery;
    private final MinibatchSampler sampler;
    private final Curve curve;
    private final double initialError;
    private long examples;
    private long nanos;
    private long nextEval;
    private StepReport lastStep;
    private int rejected;

    /**
     * Starts a run and evaluates the initial test error (the first point, at 0 examples).
     *
     * @param label     the curve's label ("sgd", "ngd", "sgd α=0.04", ...)
     * @param net       the network to train (updated in place; pass a copy to keep the original)
     * @param optimizer the optimizer
     * @param train     the training set minibatches are drawn from
     * @param test      the test set
     * @param batchSize minibatch size M
     * @param evalEvery examples between evaluations
     * @param rng       the minibatch stream (kept and advanced)
     */
    public TrainingRun(String label, Network net, Optimizer optimizer, Dataset train, Dataset test, int batchSize,
                       long evalEvery, Rng rng) {
        if (batchSize <= 0 || batchSize > train.size()) {
            throw new IllegalArgumentException("TrainingRun " + label + ": minibatch size " + batchSize
                    + " must be in 1.." + train.size());
        }
        if (evalEvery <= 0) {
            throw new IllegalArgumentException("TrainingRun " + label + ": evaluation interval must be positive, got " + evalEvery);
        }
        this.net = net;
        this.optimizer = optimizer;
        this.test = test;
        this.trainProbe = train.slice(0, Math.min(TRAIN_PROBE, train.size()));
        this.batchSize = batchSize;
        this.evalEvery = evalEvery;
        this.sampler = new MinibatchSampler(train, rng);
        this.curve = new Curve(label);
        this.initialError = testError(net, test);
        this.nextEval = evalEvery;
        curve.add(new CurvePoint(0, 0, initialError, testError(net, trainProbe), Double.NaN, true, 0));
        if (!Double.isFinite(initialError)) {
            curve.markDiverged("initial test error is " + initialError);
        }
    }

    /** The test error (1 / 2N) Σ_n ||net(x_n) − y_n||² of {@code net} on {@code data}. */
    public static double testError(Network net, Dataset data) {
        return SQUARED.loss(net.predict(data.inputs()), data.targets());
    }

    /**
     * Trains until at least {@code budget} examples have been seen (whole minibatches), or the
     * run diverges. Ends with an evaluation at the final example count.
     */
    public Curve trainUntil(long budget) {
        while (examples < budget && !curve.diverged()) {
            long t0 = System.nanoTime();
            Batch batch = sampler.draw(batchSize);
            StepReport report = optimizer.step(net, batch);
            nanos += System.nanoTime() - t0;
            examples += batchSize;
            lastStep = report;
            if (!report.accepted()) {
                rejected++;
            }
            if (Double.isInfinite(report.lossBefore())) {
                evaluate();
                curve.markDiverged("minibatch loss became " + report.lossBefore() + " at " + examples + " examples");
                return curve;
            }
            if (examples >= nextEval) {
                evaluate();
                nextEval = (examples / evalEvery + 1) * evalEvery;
            }
        }
        if (curve.last().examples() != examples) {
            evaluate();
        }
        return curve;
    }

    private void evaluate() {
        double err = testError(net, test);
        double damping = lastStep == null ? Double.NaN : lastStep.damping();
        boolean accepted = lastStep == null || lastStep.accepted();
        curve.add(new CurvePoint(examples, nanos * 1e-9, err, testError(net, trainProbe), damping, accepted, rejected));
        if (!Double.isFinite(err)) {
            curve.markDiverged("test error became " + err + " at " + examples + " examples");
        } else if (err > BLOW_UP * initialError) {
            curve.markDiverged("test error " + err + " exceeded " + BLOW_UP + " x the initial " + initialError
                    + " at " + examples + " examples");
        }
    }

    /** The curve so far. */
    public Curve curve() {
        return curve;
    }

    /** The network being trained. */
    public Network network() {
        return net;
    }

    /** Examples seen so far. */
    public long examples() {
        return examples;
    }

    /** Training wall-clock so far, seconds. */
    public double seconds() {
        return nanos * 1e-9;
    }
}
