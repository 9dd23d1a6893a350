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
 *
 * <p>Layer types: every representation takes dense layers. {@link org.natgrad.curvature.KroneckerFactored}
 * (K-FAC and the Eq. 20 rule) also takes {@code Conv2d} layers (KFC expand factors, see the
 * {@code statistics} package) and parameter-free pooling layers (a block of size 0, skipped);
 * {@link org.natgrad.optim.NaturalGradient#requireCurvatureLayers(org.natgrad.nn.Network, CurvatureChoice)}
 * refuses such networks for the other representations, and refuses {@code Affine}/{@code LayerNorm}
 * (Diagonal form) for all of them until the per-layer diagonal fallback exists.
 */
package org.natgrad.curvature;
