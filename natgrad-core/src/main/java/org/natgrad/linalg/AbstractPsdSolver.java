package org.natgrad.linalg;

import java.util.function.DoubleUnaryOperator;

/**
 * What the {@link PsdSolver}s share: the size n, the strategy, the shape and shift checks, and the
 * n x n inverse (A + shift I)^{-1} (A^+ for shift 0) of the last shift, kept: asking again with the
 * same shift costs nothing, and by default a solve is a gemm with it (implementations that solve
 * more cheaply, by triangular solves, in the eigenbasis or in data space, override {@link #solve}
 * and {@link #solveRight}).
 */
abstract sealed class AbstractPsdSolver implements PsdSolver
        permits EigenSolver, CholeskySolver, SingleCholeskySolver, ShermanMorrisonSolver, GramSolver {

    final int n;
    private final InverseStrategy strategy;
    private double cachedShift = Double.NaN;
    private Matrix cached;

    AbstractPsdSolver(int n, InverseStrategy strategy) {
        this.n = n;
        this.strategy = strategy;
    }

    @Override
    public int size() {
        return n;
    }

    @Override
    public InverseStrategy strategy() {
        return strategy;
    }

    /** Bytes of the cached inverse, if any. */
    long cachedBytes() {
        return cached == null ? 0 : 8L * cached.size();
    }

    @Override
    public Matrix inverse(double shift) {
        requireShift(shift);
        if (cached == null || !sameShift(shift, cachedShift)) {
            Matrix inv = compute(shift);
            int k = inv.firstNonFinite();
            if (k >= 0) {
                throw new ArithmeticException("PsdSolver: " + strategy() + " inverse of the " + n + "x" + n
                        + " factor with shift " + shift + " has non-finite entry " + inv.data()[k]);
            }
            cached = inv;
            cachedShift = shift;
        }
        return cached;
    }

    /** The inverse for a valid shift, not yet checked for NaN/Inf. */
    abstract Matrix compute(double shift);

    /** Equal to {@code inverse(shift)} times B up to round-off. */
    @Override
    public Matrix solve(double shift, Matrix b) {
        requireRows(b);
        return MatOps.multiply(inverse(shift), b);
    }

    @Override
    public Matrix solveRight(double shift, Matrix b) {
        requireCols(b);
        return MatOps.multiply(b, inverse(shift));
    }

    /** True when {@code inverse(shift)} is cached. */
    boolean hasInverse(double shift) {
        return cached != null && sameShift(shift, cachedShift);
    }

    void requireRows(Matrix b) {
        if (b.rows() != n) {
            throw new IllegalArgumentException("PsdSolver.solve: factor is " + n + "x" + n + ", right-hand side "
                    + b.shape());
        }
    }

    void requireCols(Matrix b) {
        if (b.cols() != n) {
            throw new IllegalArgumentException("PsdSolver.solveRight: factor is " + n + "x" + n + ", left-hand side "
                    + b.shape());
        }
    }

    static void requireShift(double shift) {
        if (!(shift >= 0) || Double.isInfinite(shift)) {
            throw new IllegalArgumentException("PsdSolver: shift must be finite and >= 0, got " + shift);
        }
    }

    /** True for a shift &gt; 0 and finite: the damped case. */
    static boolean damped(double shift) {
        return shift > 0 && !Double.isInfinite(shift);
    }

    static boolean sameShift(double x, double y) {
        return Double.doubleToLongBits(x) == Double.doubleToLongBits(y);
    }

    /** Q diag(f(values)) Q^T for orthonormal columns Q (n x k), symmetrized. */
    static Matrix spectral(Matrix q, double[] values, DoubleUnaryOperator f) {
        double[] fv = new double[values.length];
        for (int j = 0; j < values.length; j++) {
            fv[j] = f.applyAsDouble(values[j]);
        }
        Matrix scaled = MatOps.scaleColumnsInPlace(q.copy(), fv);
        return MatOps.symmetrizeInPlace(MatOps.gemm(1, scaled, false, q, true, 0, null));
    }

    /** The eigendecomposition of a factor A, or an {@link ArithmeticException} naming its shape. */
    static SymmetricEigen eigen(Matrix a) {
        return SymmetricEigen.decompose(a).orElseThrow(() ->
                new ArithmeticException("PsdSolver: eigendecomposition of a " + a.shape() + " factor failed"));
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
                throw new ArithmeticException("PsdSolver: the " + rows + "x" + rows + " factor S S^T overflows "
                        + "(diagonal entry " + i + " is " + diag[i] + ")");
            }
        }
    }

    /** Throws an {@link ArithmeticException} when the factor A (n x n) has a NaN/Inf. */
    static void requireFiniteFactor(Matrix a) {
        int k = a.firstNonFinite();
        if (k >= 0) {
            throw new ArithmeticException("PsdSolver: the " + a.shape() + " factor has non-finite entry "
                    + a.data()[k] + " at (" + (k % a.rows()) + ", " + (k / a.rows()) + ")");
        }
    }
}
