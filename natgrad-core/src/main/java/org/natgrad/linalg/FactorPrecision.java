package org.natgrad.linalg;

/**
 * The floating-point precision of a {@link PsdSolver}, and the one in which
 * {@code org.natgrad.optim.NaturalGradient} forms its Kronecker factors
 * Λ_i, Λ̃_i, their Cholesky factors and the products of D_i = (Λ̃_i + √λ I)^{-1} G_i (Λ_i + √λ I)^{-1}.
 * When some factor of the network is handled in single precision and K ≥ 1, the model-sampled
 * backward pass that feeds Λ̃ runs in single precision too, for every layer
 * ({@code org.natgrad.curvature.SingleKroneckerFactors}); factors below the AUTO threshold are then
 * formed in double from those samples. The forward pass, the backward pass of the true targets and
 * the gradient follow the step's {@link Precision} (double by default); losses, the update and the
 * weights are always double precision.
 *
 * <p>Why single precision is a sound default for large factors: Λ̃_i is a Monte Carlo estimate
 * from K model samples per example, whose error in norm is of order √(n/(KM)) for an n x n factor
 * (tens of percent at the autoencoder's sizes), and the damping √λ bounds the condition number of
 * the factors the step inverts. Float32 round-off (~6·10⁻⁸ relative) times that condition number stays far
 * below the sampling noise; {@code org.natgrad.linalg.FactorPrecisionTest} measures both on a 150-130-150 tanh network
 * (a step changes by 9·10⁻⁷ relative in float32; two model-sample seeds give steps 70% apart). Single
 * precision runs the factor work about twice as fast (ssyrk, spotrf, strsm and sgemm against their
 * double twins; docs/benchmarks.md).
 */
public enum FactorPrecision {
    /**
     * {@link #SINGLE} for damped CHOLESKY factors of size n ≥ {@link PsdSolver#AUTO_SINGLE_MIN_SIZE}
     * when native BLAS is loaded, {@link #DOUBLE} otherwise. A network whose factors are all below
     * the threshold (where the gain is negligible) keeps its double-precision results bit for bit.
     */
    AUTO,
    /** Double precision throughout (the exact reference). */
    DOUBLE,
    /**
     * Single precision for damped factors with the CHOLESKY strategy (AUTO's choice); other
     * strategies, pseudo-inverses (no damping) and the Java backend stay in double precision. A
     * shifted factor that is not positive definite in float32 falls back to double precision for
     * that factor and damping.
     */
    SINGLE
}
