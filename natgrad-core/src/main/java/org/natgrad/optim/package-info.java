/**
 * Optimizers: the {@link org.natgrad.optim.Optimizer} interface, first-order baselines
 * ({@link org.natgrad.optim.Sgd} with optional momentum, {@link org.natgrad.optim.Adam}) and the
 * natural-gradient optimizer {@link org.natgrad.optim.NaturalGradient} with its options, damping
 * rules, factor inverses ({@link org.natgrad.optim.FactorInverse}, {@link org.natgrad.optim.InverseStrategy})
 * and the precision of its factor work ({@link org.natgrad.optim.FactorPrecision}).
 */
package org.natgrad.optim;
