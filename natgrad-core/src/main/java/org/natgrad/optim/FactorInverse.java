package org.natgrad.optim;

import java.util.function.Supplier;
import org.natgrad.linalg.Cholesky;
import org.natgrad.linalg.FloatCholesky;
import org.natgrad.linalg.FloatMatrix;
import org.natgrad.linalg.FloatOps;
import org.natgrad.linalg.Inverses;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.linalg.Qr;
import org.natgrad.linalg.Svd;
import org.natgrad.linalg.SymmetricEigen;
import org.natgrad.random.Rng;

/**
 * The inverse of one Kronecker factor A = S S^T (n x n, symmetric PSD; S is n x N, e.g.
 * U_i = X̄_{i-1}/√M or the scaled model-sampled errors), as an explicit n x n matrix:
 * {@code inverse(s)} = (A + s I)^{-1} for s > 0, and the Moore–Penrose A^+ (eigenvalues at or
 * below {@link #REL_TOL} times the largest dropped) for s = 0. The last inverse is cached, so
 * asking again with the same shift costs nothing. Costs per strategy, per refresh and per change
 * of damping:
 * <table>
 * <caption>costs</caption>
 * <tr><th>strategy</th><th>refresh</th><th>new damping</th><th>exact?</th></tr>
 * <tr><td>EIGEN</td><td>syrk n²N + dsyevd ~9n³</td><td>Q f(Λ) Q^T: n³</td><td>yes</td></tr>
 * <tr><td>CHOLESKY</td><td>syrk n²N</td><td>dpotrf + dpotri ~n³ ({@link #solve} with fewer than n columns: dpotrf n³/3 only)</td><td>yes</td></tr>
 * <tr><td>SHERMAN_MORRISON</td><td>nothing</td><td>N rank-one updates: 2 N n²</td><td>yes (in exact arithmetic;
 *   round-off grows with N and with the condition number)</td></tr>
 * <tr><td>RANDOMIZED_SVD</td><td>(2q+2) n N k + k² N, k = rank + oversampling</td><td>n² k</td>
 *   <td>when rank A ≤ {@link #RANDOMIZED_RANK}; otherwise the trailing eigenvalues are treated as 0</td></tr>
 * </table>
 */
public abstract sealed class FactorInverse
        permits FactorInverse.Eigen, FactorInverse.CholeskyInverse, FactorInverse.SingleCholeskyInverse,
        FactorInverse.ShermanMorrison, FactorInverse.RandomizedSvd {

    /**
     * AUTO uses EIGEN up to this factor size n and CHOLESKY above (pseudo-inverses always EIGEN).
     * 0, i.e. CHOLESKY for every damped factor: {@code FactorInverseBenchmark} measured CHOLESKY
     * 1.8–3.3x cheaper per step than EIGEN at n = 20…785 when refreshing every step and within ±25%
     * when refreshing every 10 steps, and {@code StepBench} 1.5–1.7x faster end to end (docs/benchmarks.md).
     */
    public static final int AUTO_EIGEN_MAX_SIZE = 0;
    /**
     * {@link FactorPrecision#AUTO} uses single precision for CHOLESKY factors of at least this size
     * n (with native BLAS). At n = 201…785 and N = 1000 samples, ssyrk, spotrf and sgemm took
     * 0.44–0.69x the time of their double twins on this project's machine (docs/benchmarks.md);
     * below 128 a factor costs too little for the difference to matter, and small networks keep
     * their double-precision results.
     */
    public static final int AUTO_SINGLE_MIN_SIZE = 128;
    /** Rank kept by RANDOMIZED_SVD. */
    public static final int RANDOMIZED_RANK = 32;
    /** Extra sketch columns of RANDOMIZED_SVD (Halko, Martinsson and Tropp's p). */
    public static final int RANDOMIZED_OVERSAMPLING = 10;
    /** Power (subspace) iterations of RANDOMIZED_SVD. */
    public static final int RANDOMIZED_POWER_ITERATIONS = 2;
    /** Relative eigenvalue cut-off of the pseudo-inverses. */
    public static final double REL_TOL = Inverses.DEFAULT_REL_TOL;

    final int n;
    private double cachedShift = Double.NaN;
    private Matrix cached;

    FactorInverse(int n) {
        this.n = n;
    }

    /**
     * Prepares the inverse of A = S S^T by {@code strategy} (AUTO resolved by the size n and
     * {@code pseudo}); {@code sketchSeed} seeds RANDOMIZED_SVD's test matrix.
     *
     * @throws ArithmeticException if S has NaN/Inf, if A = S S^T does not fit in double precision
     *         (a diagonal entry, the squared norm of a row of S, overflows to +Inf) or a decomposition fails
     */
    public static FactorInverse of(Matrix samples, InverseStrategy strategy, boolean pseudo, long sketchSeed) {
        return of(samples, strategy, pseudo, sketchSeed, FactorPrecision.DOUBLE);
    }

    /**
     * As {@link #of(Matrix, InverseStrategy, boolean, long)} in the given precision
     * ({@link #single} says when single precision is used).
     *
     * @throws ArithmeticException as {@link #of(Matrix, InverseStrategy, boolean, long)}
     */
    public static FactorInverse of(Matrix samples, InverseStrategy strategy, boolean pseudo, long sketchSeed,
                                   FactorPrecision precision) {
        Inverses.requireFinite("FactorInverse", samples);
        requireRepresentable(samples);
        InverseStrategy s = resolve(strategy, samples.rows(), pseudo);
        FloatMatrix single = single(precision, s, samples.rows(), pseudo) ? FloatMatrix.ofFinite(samples, 1) : null;
        if (single != null) { // null also when the samples do not fit in float32: double precision then
            return new SingleCholeskyInverse(FloatOps.gram(single, 1f), () -> MatOps.syrk(1, samples, false, 0, null));
        }
        return switch (s) {
            case EIGEN -> new Eigen(MatOps.syrk(1, samples, false, 0, null));
            case CHOLESKY -> new CholeskyInverse(MatOps.syrk(1, samples, false, 0, null));
            case SHERMAN_MORRISON -> new ShermanMorrison(samples);
            case RANDOMIZED_SVD -> new RandomizedSvd(samples, sketchSeed);
            case AUTO -> throw new AssertionError();
        };
    }

    /**
     * As {@link #of} from the factor A itself (n x n, symmetric PSD, kept and not modified) rather
     * than samples: EIGEN and CHOLESKY use A directly; SHERMAN_MORRISON and RANDOMIZED_SVD, which
     * work from samples, use the n x n square root {@link #squareRoot}(A).
     *
     * @throws ArithmeticException if A has NaN/Inf or a decomposition fails
     */
    public static FactorInverse ofGram(Matrix gram, InverseStrategy strategy, boolean pseudo, long sketchSeed) {
        return ofGram(gram, strategy, pseudo, sketchSeed, FactorPrecision.DOUBLE);
    }

    /**
     * As {@link #of(Matrix, InverseStrategy, boolean, long, FactorPrecision)} from single-precision
     * samples: the Gram matrix is formed by ssyrk straight from them when the factor is handled in
     * single precision, and from their (exact) double conversion otherwise.
     *
     * @throws ArithmeticException as {@link #of(Matrix, InverseStrategy, boolean, long)}
     */
    public static FactorInverse of(FloatMatrix samples, InverseStrategy strategy, boolean pseudo, long sketchSeed,
                                   FactorPrecision precision) {
        if (!samples.isFinite()) {
            throw new ArithmeticException("FactorInverse: samples have non-finite values");
        }
        InverseStrategy s = resolve(strategy, samples.rows(), pseudo);
        if (single(precision, s, samples.rows(), pseudo)) {
            return new SingleCholeskyInverse(FloatOps.gram(samples, 1f),
                    () -> MatOps.syrk(1, samples.toMatrix(), false, 0, null));
        }
        return of(samples.toMatrix(), strategy, pseudo, sketchSeed, precision);
    }

    /**
     * As {@link #ofGram(Matrix, InverseStrategy, boolean, long)} in the given precision.
     *
     * @throws ArithmeticException if A has NaN/Inf or a decomposition fails
     */
    public static FactorInverse ofGram(Matrix gram, InverseStrategy strategy, boolean pseudo, long sketchSeed,
                                       FactorPrecision precision) {
        if (!gram.isSquare()) {
            throw new IllegalArgumentException("FactorInverse.ofGram: factor must be square, got " + gram.shape());
        }
        Inverses.requireFinite("FactorInverse", gram);
        InverseStrategy s = resolve(strategy, gram.rows(), pseudo);
        FloatMatrix single = single(precision, s, gram.rows(), pseudo) ? FloatMatrix.ofFinite(gram, 1) : null;
        if (single != null) { // null also when the factor does not fit in float32: double precision then
            return new SingleCholeskyInverse(single, () -> gram);
        }
        return switch (s) {
            case EIGEN -> new Eigen(gram);
            case CHOLESKY -> new CholeskyInverse(gram);
            case SHERMAN_MORRISON, RANDOMIZED_SVD -> of(squareRoot(gram), strategy, pseudo, sketchSeed);
            case AUTO -> throw new AssertionError();
        };
    }

    /**
     * An n x n matrix S with S S^T = A up to round-off, for A symmetric PSD (n x n): the lower
     * Cholesky factor when A is numerically positive definite, otherwise Q diag(√max(e, 0)) from
     * the eigendecomposition A = Q diag(e) Q^T (round-off negative eigenvalues count as 0).
     *
     * @throws ArithmeticException if A has NaN/Inf or the eigendecomposition fails
     */
    public static Matrix squareRoot(Matrix a) {
        Inverses.requireFinite("FactorInverse.squareRoot", a);
        java.util.Optional<Cholesky> c = Cholesky.decompose(a);
        if (c.isPresent()) {
            return c.get().lower();
        }
        SymmetricEigen eig = SymmetricEigen.decompose(a).orElseThrow(() ->
                new ArithmeticException("FactorInverse: eigendecomposition of a " + a.shape() + " factor failed"));
        Matrix s = eig.vectors().copy();
        double[] v = eig.values();
        double[] d = s.data();
        int n = s.rows();
        for (int j = 0; j < v.length; j++) {
            double f = Math.sqrt(Math.max(v[j], 0));
            for (int i = 0; i < n; i++) {
                d[i + j * n] *= f;
            }
        }
        return s;
    }

    /**
     * Throws an {@link ArithmeticException} when A = S S^T does not fit in double precision: when
     * the squared norm of some row of S (a diagonal entry A_ii) overflows to +Inf. By Cauchy–Schwarz
     * |A_ij| ≤ √(A_ii A_jj), so finite diagonal entries bound every entry. Checked for every
     * strategy, also those (SHERMAN_MORRISON, RANDOMIZED_SVD) that never form A, so that a factor
     * whose entries overflow is a failure whichever way it would be inverted. O(n N).
     */
    static void requireRepresentable(Matrix samples) {
        int rows = samples.rows();
        double[] d = samples.data();
        double[] diag = new double[rows];
        for (int c = 0, off = 0; c < samples.cols(); c++, off += rows) {
            for (int i = 0; i < rows; i++) {
                diag[i] += d[off + i] * d[off + i];
            }
        }
        for (int i = 0; i < rows; i++) {
            if (!Double.isFinite(diag[i])) {
                throw new ArithmeticException("FactorInverse: the " + rows + "x" + rows + " factor S S^T overflows "
                        + "(diagonal entry " + i + " is " + diag[i] + ")");
            }
        }
    }

    /** Throws an {@link ArithmeticException} when the factor A (n x n) has a NaN/Inf. */
    static void requireFiniteFactor(Matrix a) {
        int k = a.firstNonFinite();
        if (k >= 0) {
            throw new ArithmeticException("FactorInverse: the " + a.shape() + " factor has non-finite entry "
                    + a.data()[k] + " at (" + (k % a.rows()) + ", " + (k / a.rows()) + ")");
        }
    }

    /** The concrete strategy AUTO stands for at size n. */
    public static InverseStrategy resolve(InverseStrategy strategy, int n, boolean pseudo) {
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
    public static boolean single(FactorPrecision precision, InverseStrategy s, int n, boolean pseudo) {
        if (precision == null) {
            throw new IllegalArgumentException("FactorInverse: precision must be given");
        }
        if (precision == FactorPrecision.DOUBLE || pseudo || s != InverseStrategy.CHOLESKY || !FloatOps.available()) {
            return false;
        }
        return precision == FactorPrecision.SINGLE || n >= AUTO_SINGLE_MIN_SIZE;
    }

    /** The strategy in use. */
    public abstract InverseStrategy strategy();

    /** The precision of the factor work ({@link FactorPrecision#DOUBLE} or {@link FactorPrecision#SINGLE}). */
    public FactorPrecision precision() {
        return FactorPrecision.DOUBLE;
    }

    /** Factor size n. */
    public int size() {
        return n;
    }

    /**
     * (A + shift I)^{-1} for shift > 0, A^+ for shift = 0 (n x n; the cached matrix, do not modify).
     *
     * @throws ArithmeticException if a decomposition fails or the inverse has NaN/Inf entries
     */
    public Matrix inverse(double shift) {
        if (!(shift >= 0) || Double.isInfinite(shift)) {
            throw new IllegalArgumentException("FactorInverse: shift must be finite and >= 0, got " + shift);
        }
        if (cached == null || Double.doubleToLongBits(shift) != Double.doubleToLongBits(cachedShift)) {
            Matrix inv = compute(shift);
            int k = inv.firstNonFinite();
            if (k >= 0) {
                throw new ArithmeticException("FactorInverse: " + strategy() + " inverse of the " + n + "x" + n
                        + " factor with shift " + shift + " has non-finite entry " + inv.data()[k]);
            }
            cached = inv;
            cachedShift = shift;
        }
        return cached;
    }

    abstract Matrix compute(double shift);

    /**
     * (A + shift I)^{-1} B for shift &gt; 0, A^+ B for shift = 0 (B is n x k, not modified; a new
     * n x k matrix). Equal to {@code inverse(shift)} times B up to round-off; CHOLESKY may solve
     * with the factor of A + shift I (dpotrs) instead of forming the inverse.
     *
     * @throws ArithmeticException if a decomposition fails or the inverse has NaN/Inf entries
     */
    public Matrix solve(double shift, Matrix b) {
        if (b.rows() != n) {
            throw new IllegalArgumentException("FactorInverse.solve: factor is " + n + "x" + n + ", right-hand side "
                    + b.shape());
        }
        return MatOps.multiply(inverse(shift), b);
    }

    /**
     * B (A + shift I)^{-1} for shift &gt; 0, B A^+ for shift = 0 (B is k x n, not modified; a new
     * k x n matrix); {@link #solve} from the right.
     *
     * @throws ArithmeticException as {@link #solve}
     */
    public Matrix solveRight(double shift, Matrix b) {
        if (b.cols() != n) {
            throw new IllegalArgumentException("FactorInverse.solveRight: factor is " + n + "x" + n + ", left-hand side "
                    + b.shape());
        }
        return MatOps.multiply(b, inverse(shift));
    }

    /** True when {@code inverse(shift)} is cached. */
    boolean hasInverse(double shift) {
        return cached != null && sameShift(shift, cachedShift);
    }

    static boolean sameShift(double x, double y) {
        return Double.doubleToLongBits(x) == Double.doubleToLongBits(y);
    }

    /** Q diag(f(values)) Q^T for orthonormal columns Q (n x k). */
    static Matrix spectral(Matrix q, double[] values, java.util.function.DoubleUnaryOperator f) {
        Matrix scaled = q.copy();
        int rows = q.rows();
        double[] d = scaled.data();
        for (int j = 0; j < values.length; j++) {
            double fj = f.applyAsDouble(values[j]);
            for (int i = 0; i < rows; i++) {
                d[i + j * rows] *= fj;
            }
        }
        return MatOps.symmetrizeInPlace(MatOps.gemm(1, scaled, false, q, true, 0, null));
    }

    static double pseudoCut(double[] values) {
        double max = 0;
        for (double v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return REL_TOL * max;
    }

    /** Eigendecomposition once; any shift afterwards. Round-off negative eigenvalues count as 0. */
    static final class Eigen extends FactorInverse {
        private final SymmetricEigen eig;

        /** @param a the factor A (n x n) */
        Eigen(Matrix a) {
            super(a.rows());
            requireFiniteFactor(a);
            this.eig = SymmetricEigen.decompose(a).orElseThrow(() ->
                    new ArithmeticException("FactorInverse: eigendecomposition of a " + a.shape() + " factor failed"));
        }

        @Override
        public InverseStrategy strategy() {
            return InverseStrategy.EIGEN;
        }

        @Override
        Matrix compute(double shift) {
            double[] v = eig.values();
            if (shift == 0) {
                double cut = pseudoCut(v);
                return spectral(eig.vectors(), v, x -> x > cut ? 1 / x : 0);
            }
            return spectral(eig.vectors(), v, x -> 1 / (Math.max(x, 0) + shift));
        }
    }

    /**
     * Cholesky of A + shift I for each new shift; when it fails, the eigendecomposition of A with
     * round-off negative eigenvalues counted as 0 (as EIGEN does).
     */
    static final class CholeskyInverse extends FactorInverse {
        private final Matrix a;

        /** @param a the factor A (n x n, kept) */
        CholeskyInverse(Matrix a) {
            super(a.rows());
            requireFiniteFactor(a);
            this.a = a;
        }

        @Override
        public InverseStrategy strategy() {
            return InverseStrategy.CHOLESKY;
        }

        private double factorShift = Double.NaN;
        private Cholesky factor;
        private int uses;

        @Override
        Matrix compute(double shift) {
            if (shift == 0) {
                return Inverses.pseudoInverse(a, REL_TOL);
            }
            if (!sameShift(shift, factorShift)) {
                factor = Cholesky.decompose(MatOps.addDiagonalInPlace(a.copy(), shift)).orElse(null);
                factorShift = shift;
                uses = 0;
            }
            if (factor != null) {
                return factor.inverse(); // dpotri from the factor
            }
            // A + shift I not numerically positive definite (a tiny shift on a rank-deficient A whose
            // round-off eigenvalues are slightly negative): as EIGEN, such eigenvalues count as 0.
            SymmetricEigen eig = SymmetricEigen.decompose(a).orElseThrow(() ->
                    new ArithmeticException("FactorInverse: eigendecomposition of a " + a.shape() + " factor failed"));
            return spectral(eig.vectors(), eig.values(), x -> 1 / (Math.max(x, 0) + shift));
        }

        /**
         * With dpotrs and the Cholesky factor of A + shift I when that is cheaper than forming the
         * inverse: the first time a shift is used and B has fewer than n columns (dpotri costs
         * ~2n³/3, and dpotrs runs below gemm speed, so the inverse pays off for k &ge; n right-hand
         * sides). When the same shift is used again (a damping kept over several steps), the inverse
         * is formed once from the factor and later solves are gemms. Falls back to the explicit
         * inverse (whose eigendecomposition fallback handles a numerically indefinite A + shift I)
         * when the factorization fails.
         */
        @Override
        public Matrix solve(double shift, Matrix b) {
            if (!(shift > 0) || Double.isInfinite(shift) || b.rows() != n || hasInverse(shift)) {
                return super.solve(shift, b);
            }
            Cholesky f = factorFor(shift);
            return f == null || uses > 1 || b.cols() >= n ? super.solve(shift, b) : f.solve(b);
        }

        @Override
        public Matrix solveRight(double shift, Matrix b) {
            if (!(shift > 0) || Double.isInfinite(shift) || b.cols() != n || hasInverse(shift)) {
                return super.solveRight(shift, b);
            }
            Cholesky f = factorFor(shift);
            return f == null || uses > 1 || b.rows() >= n ? super.solveRight(shift, b)
                    : f.solve(b.transpose()).transpose();
        }

        private Cholesky factorFor(double shift) {
            if (!sameShift(shift, factorShift)) {
                factor = Cholesky.decompose(MatOps.addDiagonalInPlace(a.copy(), shift)).orElse(null);
                factorShift = shift;
                uses = 0;
            }
            uses++;
            return factor;
        }
    }

    /**
     * CHOLESKY in single precision ({@link FactorPrecision#SINGLE}): A = S S^T by ssyrk (or A given),
     * then spotrf of A + shift I for each new shift, solves by spotrs / strsm, or (when the same
     * shift serves again, or B has at least n columns or rows) by sgemm with the spotri inverse. B
     * and the results cross over as double matrices. When A + shift I is not positive definite in
     * float32, or B or the result does not fit in float32 (NaN/Inf after rounding), the solve is done
     * by a double-precision {@link CholeskyInverse} of the factor computed in double (its
     * eigendecomposition fallback included). Pseudo-inverses (shift 0) are always computed in double.
     */
    static final class SingleCholeskyInverse extends FactorInverse {
        private final FloatMatrix a;
        private final Supplier<Matrix> doubleFactor;
        private CholeskyInverse fallback;
        private double factorShift = Double.NaN;
        private FloatCholesky factor;
        private int uses;
        private double inverseShift = Double.NaN;
        private FloatMatrix inverse;

        /** @param a the factor in float32 (n x n); @param doubleFactor the same factor in double, on demand */
        SingleCholeskyInverse(FloatMatrix a, Supplier<Matrix> doubleFactor) {
            super(a.rows());
            this.a = a;
            this.doubleFactor = doubleFactor;
        }

        @Override
        public InverseStrategy strategy() {
            return InverseStrategy.CHOLESKY;
        }

        @Override
        public FactorPrecision precision() {
            return FactorPrecision.SINGLE;
        }

        private CholeskyInverse fallback() {
            if (fallback == null) {
                fallback = new CholeskyInverse(doubleFactor.get());
            }
            return fallback;
        }

        /** The float32 Cholesky factor of A + shift I, or null when it is not positive definite in float32. */
        private FloatCholesky factorFor(double shift) {
            if (!sameShift(shift, factorShift)) {
                factor = FloatCholesky.decompose(a, (float) shift).orElse(null);
                factorShift = shift;
                uses = 0;
            }
            uses++;
            return factor;
        }

        private FloatMatrix floatInverse(double shift, FloatCholesky f) {
            if (inverse == null || !sameShift(shift, inverseShift)) {
                inverse = f.inverse();
                inverseShift = shift;
            }
            return inverse;
        }

        @Override
        Matrix compute(double shift) {
            if (shift == 0) {
                return fallback().compute(0);
            }
            FloatCholesky f = factorFor(shift);
            return f == null ? fallback().compute(shift) : floatInverse(shift, f).toMatrix();
        }

        @Override
        public Matrix solve(double shift, Matrix b) {
            if (!(shift > 0) || Double.isInfinite(shift) || b.rows() != n) {
                return super.solve(shift, b);
            }
            FloatCholesky f = factorFor(shift);
            FloatMatrix fb = f == null ? null : FloatMatrix.ofFinite(b, 1);
            if (fb == null) {
                return fallback().solve(shift, b);
            }
            boolean useInverse = uses > 1 || b.cols() >= n || sameShift(shift, inverseShift);
            Matrix x = (useInverse ? FloatOps.multiply(floatInverse(shift, f), false, fb, false) : f.solve(fb))
                    .toMatrixIfFinite();
            return x != null ? x : fallback().solve(shift, b);
        }

        @Override
        public Matrix solveRight(double shift, Matrix b) {
            if (!(shift > 0) || Double.isInfinite(shift) || b.cols() != n) {
                return super.solveRight(shift, b);
            }
            FloatCholesky f = factorFor(shift);
            FloatMatrix fb = f == null ? null : FloatMatrix.ofFinite(b, 1);
            if (fb == null) {
                return fallback().solveRight(shift, b);
            }
            boolean useInverse = uses > 1 || b.rows() >= n || sameShift(shift, inverseShift);
            Matrix x = (useInverse ? FloatOps.multiply(fb, false, floatInverse(shift, f), false) : f.solveRight(fb))
                    .toMatrixIfFinite();
            return x != null ? x : fallback().solveRight(shift, b);
        }
    }

    /**
     * (A + sI)^{-1} built from (sI)^{-1} = I/s by one Sherman–Morrison update per sample column u:
     * B ← B − (B u)(B u)^T / (1 + u^T B u). Exact in exact arithmetic; costs 2 N n² per shift.
     */
    static final class ShermanMorrison extends FactorInverse {
        private final Matrix samples;

        ShermanMorrison(Matrix samples) {
            super(samples.rows());
            this.samples = samples;
        }

        @Override
        public InverseStrategy strategy() {
            return InverseStrategy.SHERMAN_MORRISON;
        }

        @Override
        Matrix compute(double shift) {
            if (shift == 0) {
                throw new IllegalArgumentException("FactorInverse: Sherman–Morrison needs damping > 0 (it starts from "
                        + "(damping I)^-1); use EIGEN or CHOLESKY for pseudo-inverses");
            }
            Matrix b = MatOps.scaleInPlace(1 / shift, Matrix.identity(n));
            double[] bd = b.data();
            double[] u = new double[n];
            double[] bu = new double[n];
            double[] sd = samples.data();
            for (int c = 0; c < samples.cols(); c++) {
                System.arraycopy(sd, c * n, u, 0, n);
                MatOps.gemv(1, b, false, u, 0, bu);
                double denom = 1;
                for (int i = 0; i < n; i++) {
                    denom += u[i] * bu[i];
                }
                double inv = 1 / denom;
                for (int j = 0; j < n; j++) {
                    double bj = bu[j] * inv;
                    int off = j * n;
                    for (int i = 0; i < n; i++) {
                        bd[off + i] -= bu[i] * bj;
                    }
                }
            }
            return MatOps.symmetrizeInPlace(b);
        }
    }

    /**
     * A ≈ V diag(e) V^T with V n x k' orthonormal from a randomized range finder on S (Gaussian test
     * matrix, {@link #RANDOMIZED_POWER_ITERATIONS} power iterations with re-orthonormalization),
     * keeping the leading k' = {@link #RANDOMIZED_RANK} directions. Then (A + sI)^{-1} ≈ V diag(1/(e+s)) V^T + (I − V V^T)/s
     * and A^+ ≈ V diag(1/e) V^T. When N or n is at most rank + oversampling the thin SVD of S is
     * used instead, which is exact.
     */
    static final class RandomizedSvd extends FactorInverse {
        private final Matrix v;
        private final double[] e;

        RandomizedSvd(Matrix samples, long seed) {
            super(samples.rows());
            int bigN = samples.cols();
            int k = RANDOMIZED_RANK + RANDOMIZED_OVERSAMPLING;
            Matrix basis;
            double[] sv;
            int keep;
            if (k >= n || k >= bigN) {
                Svd svd = Svd.decompose(samples).orElseThrow(() ->
                        new ArithmeticException("FactorInverse: SVD of " + samples.shape() + " samples failed"));
                basis = svd.u();
                sv = svd.singularValues();
                keep = sv.length; // exact: keep everything
            } else {
                Rng rng = new Rng(seed);
                Matrix omega = new Matrix(n, k);
                rng.fillGaussian(omega.data());
                Matrix y = applyA(samples, omega);
                for (int q = 0; q < RANDOMIZED_POWER_ITERATIONS; q++) {
                    y = applyA(samples, Qr.orthonormalColumns(y));
                }
                Matrix q = Qr.orthonormalColumns(y);
                Matrix b = MatOps.multiplyTransA(q, samples); // k x N
                Svd svd = Svd.decompose(b).orElseThrow(() ->
                        new ArithmeticException("FactorInverse: SVD of the " + b.shape() + " sketch failed"));
                basis = MatOps.multiply(q, svd.u());
                sv = svd.singularValues();
                keep = Math.min(RANDOMIZED_RANK, sv.length);
            }
            this.v = basis.columns(0, keep);
            this.e = new double[keep];
            for (int j = 0; j < keep; j++) {
                e[j] = sv[j] * sv[j];
                if (!Double.isFinite(e[j])) {
                    throw new ArithmeticException("FactorInverse: eigenvalue " + j + " of the " + n + "x" + n
                            + " factor overflows (singular value " + sv[j] + " of the samples)");
                }
            }
        }

        private static Matrix applyA(Matrix s, Matrix x) {
            return MatOps.multiply(s, MatOps.multiplyTransA(s, x));
        }

        /** The retained eigenvalues, descending. */
        double[] values() {
            return e.clone();
        }

        @Override
        public InverseStrategy strategy() {
            return InverseStrategy.RANDOMIZED_SVD;
        }

        @Override
        Matrix compute(double shift) {
            if (shift == 0) {
                double cut = pseudoCut(e);
                return spectral(v, e, x -> x > cut ? 1 / x : 0);
            }
            Matrix low = spectral(v, e, x -> 1 / (x + shift) - 1 / shift);
            return MatOps.addDiagonalInPlace(low, 1 / shift);
        }
    }
}
