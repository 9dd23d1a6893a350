package org.natgrad.optim;

/**
 * The floating-point precision in which {@link NaturalGradient} forms its Kronecker factors
 * Λ_i, Λ̃_i, their Cholesky factors and the products of D_i = (Λ̃_i + √λ I)^{-1} G_i (Λ_i + √λ I)^{-1}.
 * Everything else (forward and backward passes, the gradient, losses, the update and the weights)
 * is always double precision.
 *
 * <p>Why single precision is a sound default for large factors: Λ̃_i is a Monte Carlo estimate
 * (K model samples per example), whose relative error between two independent draws is of order
 * 1/√(KM), about 3% at M = 1000, and the damping √λ bounds the condition number of the factors
 * the step inverts. Float32 round-off (~6·10⁻⁸ relative) times that condition number stays far
 * below the sampling noise; {@code FactorPrecisionTest} measures both on the autoencoder. Single
 * precision runs the factor work about twice as fast (ssyrk, spotrf, strsm and sgemm against their
 * double twins; docs/benchmarks.md).
 */
public enum FactorPrecision {
    /**
     * {@link #SINGLE} for damped CHOLESKY factors of size n ≥ {@link FactorInverse#AUTO_SINGLE_MIN_SIZE}
     * when native BLAS is loaded, {@link #DOUBLE} otherwise (small factors, where the gain is
     * negligible, keep their double-precision results bit for bit).
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
