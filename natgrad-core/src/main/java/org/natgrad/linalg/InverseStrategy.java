package org.natgrad.linalg;

/**
 * How a {@link PsdSolver} inverts a symmetric PSD matrix A (n x n, given as A or as samples S with
 * A = S S^T, S n x N; e.g. a Kronecker factor) as (A + s I)^{-1} for a shift s &gt; 0 (the natural
 * gradient's s = √λ), or pseudo-inverts it (s = 0). These names are the CLI's {@code --inverse}
 * values. See {@link PsdSolver} for the costs.
 */
public enum InverseStrategy {
    /**
     * {@link #EIGEN} for n ≤ {@link PsdSolver#AUTO_EIGEN_MAX_SIZE} (now 0), {@link #CHOLESKY} above, i.e.
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
     * Randomized low-rank eigendecomposition (rank {@link PsdSolver#RANDOMIZED_RANK}, oversampling
     * {@link PsdSolver#RANDOMIZED_OVERSAMPLING}, {@link PsdSolver#RANDOMIZED_POWER_ITERATIONS}
     * power iterations) plus damping on the complement: exact when rank A ≤ the rank, approximate otherwise.
     */
    RANDOMIZED_SVD
}
