package org.natgrad.experiment.bernacchia2018;

/**
 * One evaluation of a training run: one row of log.csv.
 *
 * @param examples  training examples seen so far (steps x minibatch size)
 * @param seconds   wall-clock seconds spent training so far (minibatch drawing and optimizer
 *                  steps; test evaluations excluded)
 * @param testError test error (1 / 2N_test) Σ ||ŷ − y||² at this point
 * @param trainError the same error on a fixed probe of (at most {@link TrainingRun#TRAIN_PROBE}) training
 *                  examples, NaN when not measured
 * @param damping   the optimizer's damping after the last step (NaN for SGD or before any step)
 * @param accepted  whether the last step was accepted (true before any step)
 * @param rejected  number of steps rejected so far
 */
public record CurvePoint(long examples, double seconds, double testError, double trainError, double damping, boolean accepted, int rejected) {
}
