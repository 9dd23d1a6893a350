/**
 * Matrix-free curvature on a batch: products with the Fisher / generalized Gauss–Newton matrix
 * G = (1/M) Σ_m J_m^T F_out(f_m) J_m and with the Hessian of the batch loss, computed without
 * forming a P x P matrix (P = number of parameters, in {@link org.natgrad.nn.ParamVector}'s flat
 * order), and the Krylov and randomized methods that need only such products.
 * <ul>
 *   <li>{@link org.natgrad.matrixfree.BatchCurvature}: G v by a forward-mode Jacobian-vector
 *       product (the R-operator on every layer's pre-activation), the output-space Fisher, and a
 *       backward pass; H v by Pearlmutter's R-operator through the backward pass.</li>
 *   <li>{@link org.natgrad.matrixfree.LinearOperator}: a symmetric P x P operator given by its
 *       products (the GGN, the Hessian, the Fisher of {@code CurvatureStatistics}, a dense matrix).</li>
 *   <li>{@link org.natgrad.matrixfree.ConjugateGradient}: (A + λI) x = b to a stated relative
 *       residual.</li>
 *   <li>{@link org.natgrad.matrixfree.Lanczos}: the top eigenpairs; {@link org.natgrad.matrixfree.SpectralDensity}:
 *       stochastic Lanczos quadrature.</li>
 *   <li>{@link org.natgrad.matrixfree.TraceEstimator}: Hutchinson and Hutch++ estimates of the
 *       trace and the diagonal.</li>
 * </ul>
 * Memory is O(P) per vector (Lanczos keeps its k basis vectors, P x k). Every random method takes
 * a seed and is deterministic given it. The package sits above {@code nn}, {@code likelihood},
 * {@code statistics} and {@code linalg}; {@code diagnostics} uses it to compare approximations with
 * the exact natural gradient beyond the dense limit, and nothing below it imports it.
 */
package org.natgrad.matrixfree;
