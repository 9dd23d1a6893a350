/**
 * Training runs: {@link org.natgrad.experiment.train.TrainOptions} (an immutable validated
 * record the {@code natgrad train} command maps its flags onto), the choices it is made of
 * ({@link org.natgrad.experiment.train.OptimizerChoice}, {@link org.natgrad.experiment.train.LikelihoodChoice},
 * {@link org.natgrad.experiment.train.InitChoice}, {@link org.natgrad.experiment.train.DataSource})
 * and {@link org.natgrad.experiment.train.TrainExperiment}, which trains a network and writes
 * a run folder.
 */
package org.natgrad.experiment.train;
