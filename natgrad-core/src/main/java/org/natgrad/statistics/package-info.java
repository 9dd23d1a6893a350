/**
 * What one batch's pass yields that adds up over examples: the gradient of the mean loss
 * ({@link org.natgrad.statistics.Gradients}, with the forward {@link org.natgrad.nn.Trace} and the
 * loss that produced it). It sits above {@code nn} and {@code likelihood} and below every
 * consumer ({@code curvature}, {@code optim}, {@code diagnostics}), so that no package reaches
 * up into the optimizer for a gradient.
 *
 * <p>{@link org.natgrad.statistics.CurvatureStatistics} per layer type: a {@code Dense} layer
 * (Kronecker, L = 1) gives one sample per (block, example); a {@code Conv2d} (Kronecker, L output
 * locations) gives the KFC <b>expand</b> form (Grosse &amp; Martens 2016): the L·M (example,
 * location) pairs are the samples, inputs the patches X̄ (d x L·M), errors the trace's n·L x BM
 * errors read as n x B·L·M. One example's gradient is Σ_l δ_l x̄_l^T; dropping the cross-location
 * terms (spatially uncorrelated derivatives), with x̄ independent of δ and both spatially
 * homogeneous, E[vec(·) vec(·)^T] = Σ_l E[x̄ x̄^T] ⊗ E[δ δ^T] = (1/L) E[Σ_l x̄ x̄^T] ⊗ E[Σ_l δ δ^T].
 * So Λ = (1/(L·M)) Σ_{m,l} x̄ x̄^T (the layer's examples() is L·M) and Λ̃ = (1/M) Σ_{m,l} E[δ δ^T]
 * (errors scaled 1/√(BM) as for a dense layer): Λ ⊗ Λ̃ is then exact for a single linear
 * convolution under the unit Gaussian (KfcTest) and equal to dense K-FAC for L = 1. A pooling layer
 * (None) gets empty 0-row samples, a block of size 0. A Diagonal layer (Affine, LayerNorm) gets its
 * per-example gradients g_k (P x K, from the same error samples) against a unit 1 x M input, so
 * s_k = g_k and its block is exact; K-FAC and the Eq. 20 rule keep only its diagonal (the mixed
 * representation's fallback). {@link org.natgrad.statistics.CurvatureStatistics#reduced()}
 * turns the expand statistics into the <b>reduce</b> form (Eschenhagen et al. 2023: mean patch and
 * summed error per example, one outer product per example); the optimizer selects it with
 * {@code NaturalGradientOptions.kfcReduce}. With a convolution the layers no
 * longer share one sample index, so the sample-level operations (Gram matrices, S v, the dense S)
 * refuse such statistics; the factors are what K-FAC and the Eq. 20 rule use.
 */
package org.natgrad.statistics;
