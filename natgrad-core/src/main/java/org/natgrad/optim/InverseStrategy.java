package org.natgrad.optim;

/**
 * How a Kronecker factor A (n x n, symmetric PSD, given as samples S with A = S S^T, S n x N) is
 * inverted as (A + s I)^{-1} for the shift s = √λ, or pseudo-inverted (s = 0). See
 * {@link FactorInverse} for the costs.
 */
public enum InverseStrategy {
    /**
     * {@link #EIGEN} for n ≤ {@link FactorInverse#AUTO_EIGEN_MAX_SIZE} (now 0), {@link #CHOLESKY} above, i.e.
     * CHOLESKY for every damped factor (the faster per step in {@code FactorInverseBenchmark} and
     * {@code StepBench}); EIGEN for pseudo-inverses.
     */
    AUTO,
    /** Symmetric eigendecomposition once per refresh; any damping is then a diagonal rescaling. O(n³) per refresh. */
    EIGEN,
    /** Cholesky of A + sI; refactored (O(n³/3)) whenever the damping changes. Pseudo-inverses go through EIGEN. */
    CHOLESKY,
    /** A running inverse built by N rank-one Sherman–Morrison updates from (sI)^{-1}: O(N n²); exact; needs s > 0. */
    SHERMAN_MORRISON,
    /**
     * Randomized low-rank eigendecomposition (rank {@link FactorInverse#RANDOMIZED_RANK}, oversampling
     * {@link FactorInverse#RANDOMIZED_OVERSAMPLING}, {@link FactorInverse#RANDOMIZED_POWER_ITERATIONS}
     * power iterations) plus damping on the complement: exact when rank A ≤ the rank, approximate otherwise.
     */
    RANDOMIZED_SVD
}
