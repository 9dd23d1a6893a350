package org.natgrad.experiment.train;

import org.natgrad.data.Dataset;
import org.natgrad.experiment.training.EpochBatches;
import org.natgrad.experiment.training.Trainer;
import org.natgrad.likelihood.Likelihood;
import org.natgrad.nn.Batch;
import org.natgrad.nn.Network;
import org.natgrad.optim.Optimizer;

/**
 * How a {@link TrainExperiment} run takes its steps: {@link #LOCAL} (the optimizer on the
 * minibatch, in this JVM) or another engine, e.g. natgrad-spark's, whose partitions hold the
 * training set and evaluate the minibatch {@link EpochBatches#lastIndices()} names. Everything else
 * of the run (minibatch order, evaluations, log, checkpoints of the optimizer's state, report) stays
 * the experiment's, so a run through another engine writes the same run folder.
 */
@FunctionalInterface
public interface StepSource {

    /**
     * The step function of a run: {@code optimizer} (as the options made it for {@code likelihood};
     * its state is what checkpoints save) training {@code net} in place on the minibatches of
     * {@code batches}, drawn from {@code train}.
     */
    Trainer.Step<Batch> steps(Optimizer optimizer, Likelihood likelihood, Network net, Dataset train,
                              EpochBatches batches);

    /** In this JVM: {@code optimizer.step(net, batch)}. */
    StepSource LOCAL = (optimizer, likelihood, net, train, batches) -> b -> optimizer.step(net, b);
}
