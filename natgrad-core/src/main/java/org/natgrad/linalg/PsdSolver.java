package org.natgrad.linalg;

import java.util.function.UnaryOperator;

/**
 * Solves with a symmetric positive semi-definite matrix A (n x n), given as A itself or as samples
 * S (n x K) with A = S S^T: {@link #solve}(s, B) = (A + s I)^{-1} B for B n x k, {@link #solveRight}(s, B)
 * = B (A + s I)^{-1} for B k x n, {@link #multiply}(B) = A B, and {@link #inverse}(s), the n x n
 * matrix itself. A shift s &gt; 0 is a damping; s = 0 means the Moore–Penrose pseudo-inverse A^+
 * (eigenvalues at or below {@link #REL_TOL} times the largest count as 0). Every implementation is
 * a factorization of A prepared once; a new shift reuses it where the method allows. One family,
 * used by every curvature representation and by the natural gradient's Kronecker factors:
 * <table>
 * <caption>implementations, their costs per refresh and per new shift</caption>
 * <tr><th>factory</th><th>method</th><th>refresh</th><th>new shift</th><th>exact?</th></tr>
 * <tr><td>{@link #of} EIGEN, {@link #eigen}</td><td>dsyevd of A (from samples: syrk n²K first)</td>
 *   <td>~9n³</td><td>Q f(Λ) Q^T: n³ (or nothing: {@link #eigen} applies U f(Λ) U^T B per solve)</td><td>yes</td></tr>
 * <tr><td>{@link #eigenOfSamples}</td><td>as {@link #eigen}; when K &lt; n from the K x K Gram matrix S^T S
 *   (U = S V Λ^{-1/2}, the rest of R^n is the null space)</td><td>K²n + 9K³</td><td>nothing</td><td>yes</td></tr>
 * <tr><td>{@link #of} CHOLESKY</td><td>dpotrf of A + s I, triangular solves (dpotrs) or the dpotri inverse</td>
 *   <td>syrk n²K</td><td>n³/3 (+ 2n³/3 for the inverse)</td><td>yes; s = 0 goes through the eigendecomposition</td></tr>
 * <tr><td>{@link #of} CHOLESKY, {@link FactorPrecision#SINGLE}</td><td>the same in float32 (spotrf, spotrs,
 *   strsm, sgemm), falling back to double precision</td><td>ssyrk</td><td>n³/3 in float32</td><td>to ~10⁻⁷ times the
 *   condition number</td></tr>
 * <tr><td>{@link #of} SHERMAN_MORRISON</td><td>K rank-one updates of (s I)^{-1}</td><td>nothing</td>
 *   <td>2 K n²</td><td>yes in exact arithmetic; needs s &gt; 0</td></tr>
 * <tr><td>{@link #of} RANDOMIZED_SVD</td><td>range finder on S, rank {@link #RANDOMIZED_RANK}</td>
 *   <td>(2q+2) n K k + k² K, k = rank + oversampling</td><td>n² k</td>
 *   <td>when rank A ≤ {@link #RANDOMIZED_RANK}; otherwise the trailing eigenvalues count as 0</td></tr>
 * <tr><td>{@link #dataSpace}</td><td>Sherman–Morrison–Woodbury in data space: dsyevd of the K x K Gram
 *   matrix, S and S^T as operators (nothing n x K stored)</td><td>9K³</td><td>nothing</td><td>yes</td></tr>
 * </table>
 * Inputs are not modified; results are new matrices except {@link #inverse}, which is kept for the
 * last shift (do not modify; {@link #eigen} and {@link #eigenOfSamples} form it anew each time). Shifts must be finite and &ge; 0 ({@link IllegalArgumentException}
 * otherwise); a decomposition that fails or a result with NaN/Inf is an {@link ArithmeticException}.
 */
public sealed interface PsdSolver permits AbstractPsdSolver {

    /**
     * AUTO uses EIGEN up to this factor size n and CHOLESKY above (pseudo-inverses always EIGEN).
     * 0, i.e. CHOLESKY for every damped factor: {@code FactorInverseBenchmark} measured CHOLESKY
     * 1.8–3.3x cheaper per step than EIGEN at n = 20…785 when refreshing every step and within ±25%
     * when refreshing every 10 steps, and {@code StepBench} 1.5–1.7x faster end to end (docs/benchmarks.md).
     */
    int AUTO_EIGEN_MAX_SIZE = 0;
    /**
     * {@link FactorPrecision#AUTO} uses single precision for CHOLESKY factors of at least this size
     * n (with native BLAS). At n = 201…785 and N = 1000 samples, ssyrk, spotrf and sgemm took
     * 0.44–0.69x the time of their double twins on this project's machine (docs/benchmarks.md);
     * below 128 a factor costs too little for the difference to matter, and small networks keep
     * their double-precision results.
     */
    int AUTO_SINGLE_MIN_SIZE = 128;
    /** Rank kept by RANDOMIZED_SVD. */
    int RANDOMIZED_RANK = 32;
    /** Extra sketch columns of RANDOMIZED_SVD (Halko, Martinsson and Tropp's p). */
    int RANDOMIZED_OVERSAMPLING = 10;
    /** Power (subspace) iterations of RANDOMIZED_SVD. */
    int RANDOMIZED_POWER_ITERATIONS = 2;
    /** Relative eigenvalue cut-off of the pseudo-inverses (and of the data-space eigenvectors). */
    double REL_TOL = Inverses.DEFAULT_REL_TOL;

    /** The size n of A. */
    int size();

    /** Bytes held by the factorization (and any cached inverse). */
    long bytes();

    /**
     * The strategy in use. The eigendecomposition-based {@link #eigen}, {@link #eigenOfSamples} and
     * {@link #dataSpace} solvers report {@link InverseStrategy#EIGEN}.
     */
    InverseStrategy strategy();

    /** The precision of the factor work ({@link FactorPrecision#DOUBLE} or {@link FactorPrecision#SINGLE}). */
    default FactorPrecision precision() {
        return FactorPrecision.DOUBLE;
    }

    /**
     * (A + shift I)^{-1} B for shift &gt; 0, A^+ B for shift = 0 (B is n x k; a new n x k matrix).
     *
     * @throws IllegalArgumentException if B has other than n rows or the shift is negative or not finite
     * @throws ArithmeticException if a decomposition fails or the inverse has NaN/Inf entries
     */
    Matrix solve(double shift, Matrix b);

    /** {@link #solve} of one vector of length n (a new array). */
    default double[] solve(double shift, double[] v) {
        return solve(shift, new Matrix(v.length, 1, v)).data();
    }

    /**
     * B (A + shift I)^{-1} for shift &gt; 0, B A^+ for shift = 0 (B is k x n; a new k x n matrix):
     * {@link #solve} from the right.
     *
     * @throws IllegalArgumentException if B has other than n columns or the shift is invalid
     * @throws ArithmeticException as {@link #solve}
     */
    Matrix solveRight(double shift, Matrix b);

    /**
     * A B (B is n x k; a new n x k matrix): the power +1 beside {@link #solve}'s −1. RANDOMIZED_SVD
     * multiplies by its rank-{@link #RANDOMIZED_RANK} approximation of A.
     */
    Matrix multiply(Matrix b);

    /**
     * (A + shift I)^{-1} for shift &gt; 0, A^+ for shift = 0 (n x n). Kept for the last shift
     * (asking again with the same shift costs nothing; do not modify), except by the solvers of
     * {@link #eigen} and {@link #eigenOfSamples}, which form it anew.
     *
     * @throws IllegalArgumentException if the shift is negative or not finite
     * @throws ArithmeticException if a decomposition fails or the inverse has NaN/Inf entries
     */
    Matrix inverse(double shift);

    /**
     * Prepares A = S S^T (S n x N samples, kept and not modified) by {@code strategy} in double
     * precision (AUTO resolved by the size n and {@code pseudo}); {@code sketchSeed} seeds
     * RANDOMIZED_SVD's test matrix. An EIGEN solver forms and caches the inverse of each shift
     * (suited to many right-hand sides at one shift, the Kronecker factors' case).
     *
     * @throws ArithmeticException if S has NaN/Inf, if A = S S^T does not fit in double precision
     *         (a diagonal entry, the squared norm of a row of S, overflows to +Inf) or a decomposition fails
     */
    static PsdSolver of(Matrix samples, InverseStrategy strategy, boolean pseudo, long sketchSeed) {
        return of(samples, strategy, pseudo, sketchSeed, FactorPrecision.DOUBLE);
    }

    /**
     * As {@link #of(Matrix, InverseStrategy, boolean, long)} in the given precision
     * ({@link #single} says when single precision is used).
     *
     * @throws ArithmeticException as {@link #of(Matrix, InverseStrategy, boolean, long)}
     */
    static PsdSolver of(Matrix samples, InverseStrategy strategy, boolean pseudo, long sketchSeed,
                        FactorPrecision precision) {
        Inverses.requireFinite("PsdSolver", samples);
        AbstractPsdSolver.requireRepresentable(samples);
        InverseStrategy s = resolve(strategy, samples.rows(), pseudo);
        FloatMatrix single = single(precision, s, samples.rows(), pseudo) ? FloatMatrix.ofFinite(samples, 1) : null;
        if (single != null) { // null also when the samples do not fit in float32: double precision then
            return new SingleCholeskySolver(FloatOps.gram(single, 1f), () -> MatOps.syrk(1, samples, false, 0, null));
        }
        return switch (s) {
            case EIGEN -> EigenSolver.cachingInverses(MatOps.syrk(1, samples, false, 0, null));
            case CHOLESKY -> new CholeskySolver(MatOps.syrk(1, samples, false, 0, null));
            case SHERMAN_MORRISON -> new ShermanMorrisonSolver(samples);
            case RANDOMIZED_SVD -> EigenSolver.randomized(samples, sketchSeed);
            case AUTO -> throw new AssertionError();
        };
    }

    /**
     * As {@link #of(Matrix, InverseStrategy, boolean, long, FactorPrecision)} from single-precision
     * samples: the Gram matrix is formed by ssyrk straight from them when the factor is handled in
     * single precision, and from their (exact) double conversion otherwise.
     *
     * @throws ArithmeticException as {@link #of(Matrix, InverseStrategy, boolean, long)}
     */
    static PsdSolver of(FloatMatrix samples, InverseStrategy strategy, boolean pseudo, long sketchSeed,
                        FactorPrecision precision) {
        if (!samples.isFinite()) {
            throw new ArithmeticException("PsdSolver: samples have non-finite values");
        }
        InverseStrategy s = resolve(strategy, samples.rows(), pseudo);
        if (single(precision, s, samples.rows(), pseudo)) {
            return new SingleCholeskySolver(FloatOps.gram(samples, 1f),
                    () -> MatOps.syrk(1, samples.toMatrix(), false, 0, null));
        }
        return of(samples.toMatrix(), strategy, pseudo, sketchSeed, precision);
    }

    /**
     * As {@link #of} from A itself (n x n, symmetric PSD, kept and not modified) rather than
     * samples: EIGEN and CHOLESKY use A directly; SHERMAN_MORRISON and RANDOMIZED_SVD, which work
     * from samples, use the n x n square root {@link #squareRoot}(A).
     *
     * @throws ArithmeticException if A has NaN/Inf or a decomposition fails
     */
    static PsdSolver ofGram(Matrix gram, InverseStrategy strategy, boolean pseudo, long sketchSeed) {
        return ofGram(gram, strategy, pseudo, sketchSeed, FactorPrecision.DOUBLE);
    }

    /**
     * As {@link #ofGram(Matrix, InverseStrategy, boolean, long)} in the given precision.
     *
     * @throws ArithmeticException if A has NaN/Inf or a decomposition fails
     */
    static PsdSolver ofGram(Matrix gram, InverseStrategy strategy, boolean pseudo, long sketchSeed,
                            FactorPrecision precision) {
        if (!gram.isSquare()) {
            throw new IllegalArgumentException("PsdSolver.ofGram: factor must be square, got " + gram.shape());
        }
        Inverses.requireFinite("PsdSolver", gram);
        InverseStrategy s = resolve(strategy, gram.rows(), pseudo);
        FloatMatrix single = single(precision, s, gram.rows(), pseudo) ? FloatMatrix.ofFinite(gram, 1) : null;
        if (single != null) { // null also when the factor does not fit in float32: double precision then
            return new SingleCholeskySolver(single, () -> gram);
        }
        return switch (s) {
            case EIGEN -> EigenSolver.cachingInverses(gram);
            case CHOLESKY -> new CholeskySolver(gram);
            case SHERMAN_MORRISON, RANDOMIZED_SVD -> of(squareRoot(gram), strategy, pseudo, sketchSeed);
            case AUTO -> throw new AssertionError();
        };
    }

    /**
     * The eigendecomposition A = U diag(λ) U^T of A itself (n x n, symmetric PSD, not kept;
     * round-off negative eigenvalues count as 0). Each solve applies U f(λ) U^T B directly (no
     * inverse formed or kept), which suits a shift that changes from call to call and few
     * right-hand sides. {@code what} names A in error messages.
     *
     * @throws ArithmeticException if the eigendecomposition fails
     */
    static EigenSolver eigen(Matrix a, String what) {
        return EigenSolver.applying(a, what);
    }

    /**
     * As {@link #eigen} for A = Y Y^T from samples Y (n x K): from A when n ≤ K; otherwise from the
     * K x K Gram matrix Y^T Y (U = Y V diag(λ)^{-1/2} for the λ above the cut-off, n x r), the rest
     * of R^n being the null space, so that (A + sI)^{-1} B = U diag(1/(λ+s)) U^T B + (B − U U^T B)/s.
     *
     * @throws ArithmeticException if Y has NaN/Inf or the eigendecomposition fails
     */
    static EigenSolver eigenOfSamples(Matrix y, String what) {
        return EigenSolver.ofSamples(y, what);
    }

    /**
     * The data-space solver of A = S S^T (n x n) known only through its samples S (n x K) as
     * operators {@code s} (a K-vector to S w, length n) and {@code st} (an n-vector to S^T g,
     * length K), and their K x K Gram matrix S^T S: see {@link GramSolver}.
     *
     * @throws ArithmeticException if the eigendecomposition of the Gram matrix fails
     */
    static GramSolver dataSpace(int n, Matrix gram, UnaryOperator<double[]> s, UnaryOperator<double[]> st,
                                String what) {
        return new GramSolver(n, gram, s, st, what);
    }

    /**
     * An n x n matrix S with S S^T = A up to round-off, for A symmetric PSD (n x n): the lower
     * Cholesky factor when A is numerically positive definite, otherwise Q diag(√max(e, 0)) from
     * the eigendecomposition A = Q diag(e) Q^T (round-off negative eigenvalues count as 0).
     *
     * @throws ArithmeticException if A has NaN/Inf or the eigendecomposition fails
     */
    static Matrix squareRoot(Matrix a) {
        Inverses.requireFinite("PsdSolver.squareRoot", a);
        java.util.Optional<Cholesky> c = Cholesky.decompose(a);
        if (c.isPresent()) {
            return c.get().lower();
        }
        SymmetricEigen eig = AbstractPsdSolver.eigen(a);
        Matrix s = eig.vectors().copy();
        double[] v = eig.values();
        double[] f = new double[v.length];
        for (int j = 0; j < v.length; j++) {
            f[j] = Math.sqrt(Math.max(v[j], 0));
        }
        return MatOps.scaleColumnsInPlace(s, f);
    }

    /** The concrete strategy AUTO stands for at size n. */
    static InverseStrategy resolve(InverseStrategy strategy, int n, boolean pseudo) {
        if (strategy != InverseStrategy.AUTO) {
            return strategy;
        }
        return pseudo || n <= AUTO_EIGEN_MAX_SIZE ? InverseStrategy.EIGEN : InverseStrategy.CHOLESKY;
    }

    /**
     * True when a factor of size n with the resolved strategy {@code s} is handled in single
     * precision: SINGLE, or AUTO at n ≥ {@link #AUTO_SINGLE_MIN_SIZE}, for damped CHOLESKY factors
     * with native BLAS loaded.
     */
    static boolean single(FactorPrecision precision, InverseStrategy s, int n, boolean pseudo) {
        if (precision == null) {
            throw new IllegalArgumentException("PsdSolver: precision must be given");
        }
        if (precision == FactorPrecision.DOUBLE || pseudo || s != InverseStrategy.CHOLESKY || !FloatOps.available()) {
            return false;
        }
        return precision == FactorPrecision.SINGLE || n >= AUTO_SINGLE_MIN_SIZE;
    }

    /** The pseudo-inverse cut-off {@link #REL_TOL} · max |v_i| of eigenvalues (or other scales) v. */
    static double cutoff(double[] v) {
        double max = 0;
        for (double x : v) {
            max = Math.max(max, Math.abs(x));
        }
        return REL_TOL * max;
    }
}
