package org.natgrad.linalg;

/**
 * The {@link PsdSolver} of a symmetric PSD matrix A (n x n) by its eigendecomposition
 * A = U diag(λ) U^T, U n x r with orthonormal columns, λ ≥ 0 (round-off negative eigenvalues count as
 * 0). Complete (r = n) when decomposed from A; from samples Y (n x K) with K &lt; n the eigenvectors
 * come from the K x K Gram matrix Y^T Y (U = Y V diag(λ)^{-1/2}, only λ above the cut-off), and the
 * rest of R^n is the null space. Any shift reuses the decomposition:
 * (A + sI)^{-1} B = U diag(1/(λ+s)) U^T B + (B − U U^T B)/s and A^+ B = U diag(1/λ) U^T B (λ above
 * {@link PsdSolver#REL_TOL} times the largest).
 *
 * <p>Two ways to apply it, chosen by the factory: {@link PsdSolver#of} (EIGEN) forms the n x n
 * inverse U f(λ) U^T once per shift, keeps it, and solves by a gemm with it (suited to n or more
 * right-hand sides at a shift that is kept over several steps, the Kronecker factors' case);
 * {@link PsdSolver#eigen} and {@link PsdSolver#eigenOfSamples} apply U f(λ) U^T B directly in
 * 2nrk flops and keep nothing per shift (suited to a shift that changes from call to call).
 */
public final class EigenSolver extends CachedInverseSolver {
    private final Matrix u;
    private final double[] values;
    private final double cut;
    /** True when U spans R^n (no null-space term). */
    private final boolean complete;
    /** True when solves multiply by the cached inverse, false when they apply the eigenbasis. */
    private final boolean cachesInverses;

    private EigenSolver(Matrix u, double[] values, double cut, boolean complete, boolean cachesInverses) {
        super(u.rows());
        this.u = u;
        this.values = values;
        this.cut = cut;
        this.complete = complete;
        this.cachesInverses = cachesInverses;
    }

    /** From A (n x n, checked finite), solving through cached inverses. */
    static EigenSolver cachingInverses(Matrix a) {
        requireFiniteFactor(a);
        return complete(eigen(a), true);
    }

    /** From A (n x n), solving in the eigenbasis. */
    static EigenSolver applying(Matrix a, String what) {
        return complete(SymmetricEigen.decompose(a).orElseThrow(() ->
                new ArithmeticException("eigendecomposition of " + what + " (" + a.shape() + ") failed")), false);
    }

    private static EigenSolver complete(SymmetricEigen e, boolean cachesInverses) {
        double[] v = e.values().clone();
        double cut = PsdSolver.cutoff(v);
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.max(v[i], 0);
        }
        return new EigenSolver(e.vectors(), v, cut, true, cachesInverses);
    }

    /** From samples Y (n x K): from Y Y^T when n ≤ K, from the Gram matrix Y^T Y otherwise. */
    static EigenSolver ofSamples(Matrix y, String what) {
        Inverses.requireFinite(what, y);
        int d = y.rows();
        int k = y.cols();
        if (d <= k) {
            return applying(MatOps.syrk(1, y, false, 0, null), what);
        }
        Matrix gram = MatOps.syrk(1, y, true, 0, null);
        SymmetricEigen e = SymmetricEigen.decompose(gram).orElseThrow(() ->
                new ArithmeticException("eigendecomposition of the Gram matrix of " + what + " (" + gram.shape()
                        + ") failed"));
        double[] v = e.values();
        double cut = PsdSolver.cutoff(v);
        int r = 0;
        for (double x : v) {
            if (x > cut) {
                r++;
            }
        }
        Matrix vk = new Matrix(k, r);
        double[] vals = new double[r];
        int j = 0;
        for (int c = 0; c < v.length; c++) {
            if (v[c] > cut) {
                double s = 1 / Math.sqrt(v[c]);
                for (int i = 0; i < k; i++) {
                    vk.set(i, j, e.vectors().get(i, c) * s);
                }
                vals[j++] = v[c];
            }
        }
        return new EigenSolver(MatOps.multiply(y, vk), vals, cut, false, false);
    }

    /** The eigenvectors U as columns, n x r (not a copy). */
    public Matrix vectors() {
        return u;
    }

    /** The eigenvalues λ matching U's columns (ascending; a copy). */
    public double[] values() {
        return values.clone();
    }

    @Override
    public InverseStrategy strategy() {
        return InverseStrategy.EIGEN;
    }

    @Override
    public long bytes() {
        return 8L * (u.size() + values.length) + cachedBytes();
    }

    /** f(λ) of the solve with this shift, less the null-space term 1/s when U is incomplete. */
    private double[] inverseValues(double s) {
        double[] f = new double[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = s > 0 ? 1 / (values[i] + s) - (complete ? 0 : 1 / s) : (values[i] > cut ? 1 / values[i] : 0);
        }
        return f;
    }

    @Override
    Matrix compute(double shift) {
        if (!complete) {
            return solve(shift, Matrix.identity(n));
        }
        return spectral(u, values, shift == 0 ? x -> x > cut ? 1 / x : 0 : x -> 1 / (x + shift));
    }

    @Override
    public Matrix inverse(double shift) {
        if (cachesInverses) {
            return super.inverse(shift);
        }
        requireShift(shift);
        return solve(shift, Matrix.identity(n));
    }

    @Override
    public Matrix solve(double shift, Matrix b) {
        if (cachesInverses) {
            return super.solve(shift, b);
        }
        requireRows(b);
        requireShift(shift);
        Matrix ux = MatOps.gemm(1, u, true, b, false, 0, null);
        MatOps.scaleRowsInPlace(ux, inverseValues(shift));
        Matrix out = MatOps.gemm(1, u, false, ux, false, 0, null);
        if (shift > 0 && !complete) {
            MatOps.axpy(1 / shift, b, out);
        }
        return out;
    }

    @Override
    public Matrix solveRight(double shift, Matrix b) {
        if (cachesInverses) {
            return super.solveRight(shift, b);
        }
        requireCols(b);
        return solve(shift, b.transpose()).transpose();
    }

    @Override
    public Matrix multiply(Matrix b) {
        requireRows(b);
        Matrix ux = MatOps.gemm(1, u, true, b, false, 0, null);
        MatOps.scaleRowsInPlace(ux, values);
        return MatOps.gemm(1, u, false, ux, false, 0, null);
    }
}
