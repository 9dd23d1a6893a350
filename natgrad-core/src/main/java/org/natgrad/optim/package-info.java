/**
 * Optimizers: the {@link org.natgrad.optim.Optimizer} interface, first-order baselines
 * ({@link org.natgrad.optim.Sgd} with optional momentum, {@link org.natgrad.optim.Adam}) and the
 * natural-gradient optimizer {@link org.natgrad.optim.NaturalGradient} with its options, damping
 * rules, factor inverses ({@link org.natgrad.linalg.PsdSolver}, {@link org.natgrad.linalg.InverseStrategy})
 * and the precision of its factor work ({@link org.natgrad.linalg.FactorPrecision}). All three
 * optimizers take the precision of their passes and gradient ({@link org.natgrad.linalg.Precision},
 * default DOUBLE; losses, ρ, updates and weights stay double).
 *
 * <h2>Step safety of {@link org.natgrad.optim.NaturalGradient}</h2>
 * (An addition to the paper, whose code keeps every step.) A step is <i>rejected</i> when a
 * Kronecker factor's statistics have a NaN/Inf (the note names the layer and factor, and the cached
 * curvature is not replaced), when the update has a NaN/Inf (the note names the layer), when the
 * new loss is NaN/Inf or exceeds {@code blowUpFactor} x the old loss, and when a <b>factorization
 * fails</b>: a factor (cached or new) with NaN/Inf entries or entries that overflow (e.g.
 * Λ_i = U_i U_i^T for inputs of order 1e300, whose samples are finite), a Cholesky factorization
 * that finds no positive-definite matrix and whose eigendecomposition fallback fails, an eigen- or
 * singular value decomposition that does not converge, an inverse with NaN/Inf entries, or a
 * curvature representation that cannot be built or solved with (any {@link ArithmeticException}
 * of the factor inverses or representations, for every inverse strategy and precision, with or
 * without pseudo-inverses). A failed factorization also drops the cached statistics and
 * representation, so the next step recomputes them (the note ends "(cached curvature dropped)").
 * A rejected step leaves or restores the weights bit-for-bit, multiplies λ by
 * {@link org.natgrad.optim.Damping#REJECTION_FACTOR} (capped at {@code maxDamping}; fixed and
 * adaptive damping alike), counts in {@code rejectedSteps()} and returns a
 * {@link org.natgrad.optim.StepReport} with {@code accepted = false} and the reason in its note.
 * With {@code dampingEvery} &gt; 1 the safety check of a step that does not re-evaluate the loss is
 * deferred to the next step ({@link org.natgrad.optim.NaturalGradientOptions#dampingEvery}).
 *
 * <h2>Float32 overflow</h2>
 * In {@link org.natgrad.linalg.Precision#SINGLE} a value beyond float32's range (about ±3.4·10³⁸,
 * from the inputs, the weights or a product) becomes ±Inf or NaN in the pass. The natural gradient
 * rejects such a step by the rules above and appends {@link org.natgrad.optim.StepReport#FLOAT32_HINT}
 * to the note; {@link org.natgrad.optim.Sgd} and {@link org.natgrad.optim.Adam}, which never reject in
 * double precision, reject a single-precision step whose loss or gradient is not finite (weights
 * and optimizer state untouched), with the same hint.
 */
package org.natgrad.optim;
