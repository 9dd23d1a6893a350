package org.natgrad.experiment.train;

/** Hears about a training run's progress (e.g. to drive a progress bar). Default: ignore. */
public interface TrainListener {

    /** A listener that does nothing. */
    TrainListener NONE = new TrainListener() {
    };

    /** Called once before the first step with the number of examples the run will process. */
    default void started(long totalExamples) {
    }

    /** Called after each step with the examples processed so far and the step's minibatch loss. */
    default void stepped(long examplesSeen, double batchLoss) {
    }

    /** Called after each evaluation. */
    default void evaluated(long examplesSeen, double trainLoss, double testLoss) {
    }

    /** Called once when the run ends, normally or not. */
    default void finished() {
    }
}
