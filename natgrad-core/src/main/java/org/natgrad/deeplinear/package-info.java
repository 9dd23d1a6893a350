/**
 * Closed forms for deep linear networks (identity activations, no biases) with population
 * statistics, following Bernacchia, Lengyel &amp; Hennequin (2018) as specified in math.md §2:
 * {@link org.natgrad.deeplinear.DeepLinearModel} (weights, Σ, Σ̃, W*; A_i, B_i, Λ_i, Λ̃_i, gradients),
 * {@link org.natgrad.deeplinear.PopulationFisher} (Φ, K, F = Φ^T K Φ, Eq. 22 blocks),
 * {@link org.natgrad.deeplinear.GeneralizedInverse} (Eq. 23 from the population moments, through
 * {@link org.natgrad.curvature.KroneckerGeneralizedInverse}; Rao-Mitra),
 * {@link org.natgrad.deeplinear.NaturalGradientUpdate} (Eqs. 10, 16, 20),
 * {@link org.natgrad.deeplinear.Projections} (P^a_i, P^b_i, Eq. 19, the tangent projector) and
 * {@link org.natgrad.deeplinear.PredictedCurve} (continuous and discrete loss curves; the discrete
 * one is driven by an {@link org.natgrad.optim.Damping}, fixed, scheduled or Levenberg-Marquardt,
 * and records each step's {@link org.natgrad.deeplinear.StepOutcome}).
 *
 * <p>Layer indices are 1-based like the paper's W_1..W_L; per-layer lists are 0-based Java lists
 * (element i-1 is layer i); flat vectors follow natgrad's {@link org.natgrad.nn.ParamVector} order
 * (vec(W_1), vec(W_2), ... column-major). Everything is dense and meant for small networks:
 * references for tests and for the curves drawn beside simulations.
 */
package org.natgrad.deeplinear;
