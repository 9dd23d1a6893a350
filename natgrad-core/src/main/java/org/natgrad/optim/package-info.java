/**
 * Optimizers: the {@link org.natgrad.optim.Optimizer} interface, first-order baselines
 * ({@link org.natgrad.optim.Sgd} with optional momentum, {@link org.natgrad.optim.Adam}) and the
 * natural-gradient optimizer {@link org.natgrad.optim.NaturalGradient} with its options, damping
 * rules; its Kronecker factors are inverted by the PSD solvers of {@code linalg}
 * ({@link org.natgrad.linalg.PsdSolver}, {@link org.natgrad.linalg.InverseStrategy},
 * {@link org.natgrad.linalg.FactorPrecision}).
 */
package org.natgrad.optim;
