/**
 * The one training loop of natgrad-lab. A {@link org.natgrad.experiment.training.Trainer} takes a
 * minibatch source, a step (an {@link org.natgrad.optim.Optimizer} on a network, or any update
 * that reports a {@link org.natgrad.optim.StepReport}), a
 * {@link org.natgrad.experiment.training.Budget} and an evaluation
 * {@link org.natgrad.experiment.training.Schedule}; it owns step timing, evaluations, divergence
 * (a non-finite minibatch loss, or the evaluator's verdict), rejection accounting and checkpoint
 * hooks, and records every evaluation as a {@link org.natgrad.experiment.training.CurvePoint} of
 * one {@link org.natgrad.experiment.training.Curve}. What an experiment does beyond that (logging
 * its own columns through {@link org.natgrad.experiment.RunLog}, diagnostics before a step, a
 * learning-rate search that extends the best run) are callbacks and repeated
 * {@link org.natgrad.experiment.training.Trainer#trainUntil} calls, never a second loop.
 * {@link org.natgrad.experiment.training.EpochBatches} is the epoch-order minibatch source whose
 * position a checkpoint can store.
 */
package org.natgrad.experiment.training;
