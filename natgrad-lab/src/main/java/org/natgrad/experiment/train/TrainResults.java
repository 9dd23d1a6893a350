package org.natgrad.experiment.train;

/**
 * The headline figures of a training run ({@code results.json}).
 *
 * @param status          "completed", "diverged" (a non-finite loss stopped the run) or "stalled"
 *                        (more than half the steps were rejected)
 * @param steps           optimizer steps taken
 * @param examplesSeen    training examples processed (steps x batch size)
 * @param trainSeconds    seconds spent in optimizer steps (evaluations and logging excluded)
 * @param wallSeconds     seconds from the start of training to the end, everything included
 * @param parameters      number of trainable parameters P
 * @param trainExamples   size of the training set N
 * @param testExamples    size of the test set
 * @param initialTestLoss test loss before training (mean over the test set)
 * @param finalTrainLoss  train loss at the end (mean over the whole training set)
 * @param finalTestLoss   test loss at the end
 * @param bestTestLoss    lowest test loss among the evaluations
 * @param finalTrainError misclassification rate on the training set at the end (NaN → null for regression)
 * @param finalTestError  misclassification rate on the test set at the end (null for regression)
 * @param evaluations     rows in log.csv
 * @param rejectedSteps   optimizer steps rejected (weights kept; natural gradient only)
 * @param finalDamping    the damping λ the next natural-gradient step would use (null for first-order)
 * @param lastRejection   why the last rejected step was rejected, or empty
 */
public record TrainResults(String status, long steps, long examplesSeen, double trainSeconds, double wallSeconds,
                           int parameters, int trainExamples, int testExamples, double initialTestLoss,
                           double finalTrainLoss, double finalTestLoss, double bestTestLoss, double finalTrainError,
                           double finalTestError, int evaluations, long rejectedSteps,
                           double finalDamping, String lastRejection) {
}
