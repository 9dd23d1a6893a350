package org.natgrad.experiment.training;

/**
 * One evaluation of a training run, the one curve point of natgrad-lab's experiments (a
 * {@link Trainer} records one per evaluation into its {@link Curve}).
 *
 * @param examples   training examples seen so far (the sum of the minibatch sizes; for a run
 *                   whose steps take no examples, the step count)
 * @param seconds    seconds spent training so far: drawing minibatches and optimizer steps;
 *                   evaluations and callbacks excluded
 * @param testError  the evaluator's held-out figure at this point: a test error or test loss
 *                   (bernacchia2018: (1 / 2N_test) Σ ||ŷ − y||²), a KL divergence, ...
 * @param trainError the evaluator's training-set figure (bernacchia2018: the same error on a
 *                   fixed probe of training examples), NaN when not measured
 * @param damping    the optimizer's damping after the last step (NaN for first-order methods or
 *                   before any step)
 * @param accepted   whether the last step was accepted (true before any step)
 * @param rejected   number of steps rejected so far
 */
public record CurvePoint(long examples, double seconds, double testError, double trainError, double damping,
                         boolean accepted, int rejected) {
}
