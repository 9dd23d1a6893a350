package org.natgrad.experiment.training;

import org.natgrad.optim.StepReport;

/**
 * Where a {@link Trainer} stands: a snapshot handed to schedules, budgets, evaluators and
 * callbacks, and (for a resumed run) the state a checkpoint restores.
 *
 * @param step           steps taken
 * @param examples       examples processed (the sum of the minibatch sizes)
 * @param trainNanos     nanoseconds spent drawing minibatches and in steps (evaluations and
 *                       callbacks excluded)
 * @param rejected       steps whose {@link StepReport#accepted()} was false
 * @param batchLossSum   sum of the finite minibatch losses ({@link StepReport#lossBefore()}) since
 *                       the last evaluation
 * @param batchLossCount how many losses that sum holds
 * @param lastReport     the last step's report, or null before any step (of this process)
 * @param lastRejection  why the last rejected step was rejected (its note without the
 *                       "rejected: " prefix), or empty
 */
public record Progress(long step, long examples, long trainNanos, long rejected, double batchLossSum,
                       int batchLossCount, StepReport lastReport, String lastRejection) {

    /** The state of a run that has not started. */
    public static final Progress START = new Progress(0, 0, 0, 0, 0, 0, null, "");

    /** {@link #trainNanos()} in seconds. */
    public double trainSeconds() {
        return trainNanos * 1e-9;
    }

    /** Mean minibatch loss since the last evaluation; NaN when there was none. */
    public double meanBatchLoss() {
        return batchLossCount == 0 ? Double.NaN : batchLossSum / batchLossCount;
    }
}
