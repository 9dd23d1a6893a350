package org.natgrad.experiment.bernacchia2018;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.natgrad.data.Dataset;
import org.natgrad.nn.Batch;
import org.natgrad.likelihood.Gaussian;
import org.natgrad.nn.Network;
import org.natgrad.optim.Optimizer;
import org.natgrad.random.Rng;
import org.natgrad.experiment.training.Curve;
import org.natgrad.experiment.training.Budget;
import org.natgrad.experiment.training.Schedule;
import org.natgrad.experiment.training.Trainer;

/**
 * One network trained by one optimizer on random minibatches ({@link MinibatchSampler}), the
 * bernacchia2018 set-up of the one {@link Trainer} loop: the test error is evaluated every
 * {@code evalEvery} examples ({@link Schedule#everyExamples}) into a {@link Curve}. Wall-clock
 * counts only training (drawing the minibatch and the optimizer step), never the test
 * evaluations. A run can be extended: {@link #trainUntil(long)} may be called again with a larger
 * budget (the SGD grid search trains every candidate for a prefix and then continues the best one).
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
    private final Trainer<Batch> trainer;
    private double initialError = Double.NaN;

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
        Dataset trainProbe = train.slice(0, Math.min(TRAIN_PROBE, train.size()));
        MinibatchSampler sampler = new MinibatchSampler(train, rng);
        this.trainer = Trainer.of(label, net, optimizer, () -> sampler.draw(batchSize))
                .schedule(Schedule.everyExamples(evalEvery))
                .evaluator(p -> {
                    double err = testError(net, test);
                    double trainErr = testError(net, trainProbe);
                    if (p.step() == 0) {
                        initialError = err;
                        return new Trainer.Evaluation(err, trainErr, Double.isFinite(err) ? null
                                : "initial test error is " + err);
                    }
                    String divergence = null;
                    if (!Double.isFinite(err)) {
                        divergence = "test error became " + err + " at " + p.examples() + " examples";
                    } else if (err > BLOW_UP * initialError) {
                        divergence = "test error " + err + " exceeded " + BLOW_UP + " x the initial " + initialError
                                + " at " + p.examples() + " examples";
                    }
                    return new Trainer.Evaluation(err, trainErr, divergence);
                });
        try {
            trainer.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // the evaluator writes nothing
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
        try {
            return trainer.trainUntil(Budget.examples(budget));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The curve so far. */
    public Curve curve() {
        return trainer.curve();
    }

    /** The network being trained. */
    public Network network() {
        return net;
    }

    /** Examples seen so far. */
    public long examples() {
        return trainer.progress().examples();
    }

    /** Training wall-clock so far, seconds. */
    public double seconds() {
        return trainer.progress().trainSeconds();
    }
}
