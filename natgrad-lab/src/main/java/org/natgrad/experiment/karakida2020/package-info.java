/**
 * Reproduction of Karakida and Osawa (2020), math.md §4: a wide ReLU MLP in the NTK
 * parameterization on a two-class MNIST subset, trained by gradient descent and by exact,
 * block-diagonal, block tri-diagonal, K-FAC and unit-wise natural gradient, each at its own
 * learning rate 1/α (steps formed for the NTK parameters, as the official code, or for the stored
 * weights); the isotropy of the preconditioned kernel Θ_G against width.
 */
package org.natgrad.experiment.karakida2020;
