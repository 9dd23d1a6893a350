/**
 * Estimates built from per-example network derivatives: Fisher estimators with their variances,
 * and neural tangent kernels.
 *
 * <h2>Fisher estimators and their variances (math.md §3, Soen &amp; Sun 2021)</h2>
 * The output layer is an exponential family in natural parameters h = the network output
 * ({@link org.natgrad.estimate.ExponentialFamily}: Gaussian, Bernoulli, Categorical, Poisson, with
 * the output Fisher 𝓘(h) and the cumulants κ3, κ4 the formulas need; natgrad's likelihoods map onto
 * it with {@code ExponentialFamily.of}).
 * <ul>
 *   <li>{@link org.natgrad.estimate.OutputDerivatives}: the Jacobian J = ∂h/∂θ and the exact
 *       output Hessians ∇²h_γ (R-operator, forward-over-reverse) at one input, for small networks;</li>
 *   <li>{@link org.natgrad.estimate.FisherEstimators}: Î1 (mean score outer product) and Î2 (mean
 *       negative Hessian) from targets drawn from the model, at a fixed input or with inputs
 *       sampled too;</li>
 *   <li>{@link org.natgrad.estimate.ClosedFormVariance}: element-wise Var(Î1)_ab, Var(Î2)_ab,
 *       Cov(Î1_ab, Î2_ab) and the §3.5 bounds (P x P, small networks);</li>
 *   <li>{@link org.natgrad.estimate.LayerVariance}: the same summed over each layer's diagonal
 *       block (trace forms), matrix-free, for networks of any size, with the Fisher block's size,
 *       the input-sampling term and the samples needed for a target relative error;</li>
 *   <li>{@link org.natgrad.estimate.VarianceLog}: those figures as named columns for a training log.</li>
 * </ul>
 *
 * <h2>Neural tangent kernels (math.md §4, Karakida &amp; Osawa 2020)</h2>
 * The empirical NTK Θ = J J^T / N and its per-layer parts ({@code Ntk}), the preconditioned kernel
 * Θ_G = J (G + ρI)^{-1} J^T / N of a curvature representation G ({@code PreconditionedKernel}),
 * figures of how close Θ_G is to α I ({@code Isotropy}), and the analytic infinite-width kernels of
 * ReLU networks ({@code ReluKernels}).
 *
 * <p>Parameters are in {@link org.natgrad.nn.ParamVector}'s flat order (per layer vec(W_i)
 * column-major, then b_i); examples are columns.
 */
package org.natgrad.estimate;
