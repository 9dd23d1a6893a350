/**
 * Curvature of the loss. The exact dense Fisher information matrix of small networks
 * ({@link org.natgrad.curvature.DenseFisher}, with its Monte Carlo and empirical estimators), the
 * per-layer Kronecker factors Λ_i and Λ̃_i of math.md Eq. 10
 * ({@link org.natgrad.curvature.KroneckerFactors}; in single precision,
 * {@link org.natgrad.curvature.SingleKroneckerFactors}), a report of the Fisher, the gradient, the
 * Eq. 10 step and the Eq. 23 generalized inverse on one batch
 * ({@link org.natgrad.curvature.FisherReport}; Eq. 23 itself, from any cross moments, is
 * {@link org.natgrad.curvature.KroneckerGeneralizedInverse}); and one sealed interface for every
 * representation of the Fisher, {@link org.natgrad.curvature.Curvature} (exact, block-diagonal,
 * block tri-diagonal, K-FAC, EK-FAC, unit-wise, diagonal; chosen by
 * {@link org.natgrad.curvature.CurvatureChoice}), all built from the factored per-sample
 * gradients of {@link org.natgrad.statistics.CurvatureStatistics}, whose estimate
 * ({@link org.natgrad.statistics.CurvatureKind}: exact, Monte Carlo, empirical) is an independent
 * choice. Parameters are always in {@link org.natgrad.nn.ParamVector}'s flat order: per layer
 * vec(W_i) column-major, then b_i.
 */
package org.natgrad.curvature;
