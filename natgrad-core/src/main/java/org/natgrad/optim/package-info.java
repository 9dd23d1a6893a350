/**
 * Optimizers: the {@link org.natgrad.optim.Optimizer} interface, first-order baselines
 * ({@link org.natgrad.optim.Sgd} with optional momentum, {@link org.natgrad.optim.Adam}) and the
 * natural-gradient optimizer.
 */
package org.natgrad.optim;
