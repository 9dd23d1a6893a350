package org.natgrad.linalg;

import org.natgrad.random.Rng;

/**
 * The {@link PsdSolver} of a symmetric PSD matrix A (n x n) by its eigendecomposition
 * A = U diag(λ) U^T, U n x r with orthonormal columns, λ ≥ 0 (round-off negative eigenvalues count as
 * 0). Complete (r = n) when decomposed from A; from samples Y (n x K) with K &lt; n the eigenvectors
 * come from the K x K Gram matrix Y^T Y (U = Y V diag(λ)^{-1/2}, only λ above the cut-off), and the
 * rest of R^n is the null space. Any shift reuses the decomposition:
 * (A + sI)^{-1} B = U diag(1/(λ+s)) U^T B + (B − U U^T B)/s and A^+ B = U diag(1/λ) U^T B (λ above
 * {@link PsdSolver#REL_TOL} times the largest).
 * {@link #randomized} (RANDOMIZED_SVD) keeps only the leading eigenpairs of a randomized sketch
 * (U n x r, r ≤ {@link PsdSolver#RANDOMIZED_RANK}).
 *
 * <p>Two ways to apply it, chosen by the factory: {@link PsdSolver#of} (EIGEN) forms the n x n
 * inverse U f(λ) U^T once per shift, keeps it, and solves by a gemm with it (suited to n or more
 * right-hand sides at a shift that is kept over several steps, the Kronecker factors' case);
 * {@link PsdSolver#eigen} and {@link PsdSolver#eigenOfSamples} apply U f(λ) U^T B directly in
 * 2nrk flops and keep nothing per shift (suited to a shift that changes from call to call).
 */
public final class EigenSolver extends AbstractPsdSolver {
    private final Matrix u;
    private final double[] values;
    private final double cut;
    /** True when U spans R^n; false when the solves carry the complement term (I − U U^T)/s. */
    private final boolean complete;
    /** True when solves multiply by the cached inverse, false when they apply the eigenbasis. */
    private final boolean cachesInverses;

    private EigenSolver(Matrix u, double[] values, double cut, boolean complete, boolean cachesInverses,
                        InverseStrategy strategy) {
        super(u.rows(), strategy);
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
        return new EigenSolver(e.vectors(), v, cut, true, cachesInverses, InverseStrategy.EIGEN);
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
        return new EigenSolver(MatOps.multiply(y, vk), vals, cut, false, false, InverseStrategy.EIGEN);
    }

    /**
     * RANDOMIZED_SVD for A = S S^T (S n x N, not kept): A ≈ V diag(e) V^T with V n x k' orthonormal
     * from a randomized range finder on S (Gaussian test matrix seeded by {@code seed},
     * {@link PsdSolver#RANDOMIZED_POWER_ITERATIONS} power iterations with re-orthonormalization),
     * keeping the leading k' = {@link PsdSolver#RANDOMIZED_RANK} directions. Then
     * (A + sI)^{-1} ≈ V diag(1/(e+s)) V^T + (I − V V^T)/s and A^+ ≈ V diag(1/e) V^T, as cached
     * inverses. When N or n is at most rank + oversampling the thin SVD of S is used instead, which
     * is exact. {@link #multiply} multiplies by V diag(e) V^T.
     *
     * @throws ArithmeticException if an SVD fails or an eigenvalue overflows
     */
    static EigenSolver randomized(Matrix samples, long seed) {
        int n = samples.rows();
        int bigN = samples.cols();
        int k = RANDOMIZED_RANK + RANDOMIZED_OVERSAMPLING;
        Matrix basis;
        double[] sv;
        int keep;
        if (k >= n || k >= bigN) {
            Svd svd = Svd.decompose(samples).orElseThrow(() ->
                    new ArithmeticException("PsdSolver: SVD of " + samples.shape() + " samples failed"));
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
                    new ArithmeticException("PsdSolver: SVD of the " + b.shape() + " sketch failed"));
            basis = MatOps.multiply(q, svd.u());
            sv = svd.singularValues();
            keep = Math.min(RANDOMIZED_RANK, sv.length);
        }
        Matrix v = basis.columns(0, keep);
        double[] e = new double[keep];
        for (int j = 0; j < keep; j++) {
            e[j] = sv[j] * sv[j];
            if (!Double.isFinite(e[j])) {
                throw new ArithmeticException("PsdSolver: eigenvalue " + j + " of the " + n + "x" + n
                        + " factor overflows (singular value " + sv[j] + " of the samples)");
            }
        }
        return new EigenSolver(v, e, PsdSolver.cutoff(e), false, true, InverseStrategy.RANDOMIZED_SVD);
    }

    private static Matrix applyA(Matrix s, Matrix x) {
        return MatOps.multiply(s, MatOps.multiplyTransA(s, x));
    }

    /** The eigenvectors U as columns, n x r (not a copy). */
    public Matrix vectors() {
        return u;
    }

    /** The eigenvalues λ matching U's columns (ascending; descending for RANDOMIZED_SVD; a copy). */
    public double[] values() {
        return values.clone();
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
        if (shift == 0) {
            return spectral(u, values, x -> x > cut ? 1 / x : 0);
        }
        if (complete) {
            return spectral(u, values, x -> 1 / (x + shift));
        }
        return MatOps.addDiagonalInPlace(spectral(u, values, x -> 1 / (x + shift) - 1 / shift), 1 / shift);
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
