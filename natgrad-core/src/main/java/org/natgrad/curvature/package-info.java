/**
 * Curvature of the loss: the exact dense Fisher information matrix of small networks
 * ({@link org.natgrad.curvature.DenseFisher}, with its Monte Carlo and empirical estimators),
 * the per-layer Kronecker factors Λ_i and Λ̃_i of math.md Eq. 10
 * ({@link org.natgrad.curvature.KroneckerFactors}), and a report of the Fisher, the gradient, the
 * Eq. 10 step and the Eq. 23 generalized inverse on one batch
 * ({@link org.natgrad.curvature.FisherReport}). Parameters are always in
 * {@link org.natgrad.nn.ParamVector}'s flat order: per layer vec(W_i) column-major, then b_i.
 */
package org.natgrad.curvature;
