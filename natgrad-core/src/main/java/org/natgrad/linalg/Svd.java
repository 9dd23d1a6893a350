package org.natgrad.linalg;

import java.util.Optional;

/**
 * Thin singular value decomposition A = U diag(s) V^T of an m x n matrix (native LAPACK
 * {@code dgesdd}); with k = min(m, n): U is m x k, s has k values in descending order, V^T is
 * k x n. {@link #decompose} returns empty on NaN/Inf input or if LAPACK fails to converge.
 */
public final class Svd {
    private final Matrix u;
    private final double[] s;
    private final Matrix vt;

    private Svd(Matrix u, double[] s, Matrix vt) {
        this.u = u;
        this.s = s;
        this.vt = vt;
    }

    /** Decomposes a (not modified). */
    public static Optional<Svd> decompose(Matrix a) {
        if (!a.isFinite()) {
            return Optional.empty();
        }
        Lapack.requireNative("Svd");
        int m = a.rows();
        int n = a.cols();
        int k = Math.min(m, n);
        if (k == 0) {
            return Optional.of(new Svd(new Matrix(m, 0), new double[0], new Matrix(0, n)));
        }
        double[] work = a.data().clone();
        double[] sv = new double[k];
        double[] ud = new double[m * k];
        double[] vtd = new double[k * n];
        int info = Lapack.dgesdd(m, n, work, sv, ud, vtd);
        if (info != 0) {
            return Optional.empty();
        }
        return Optional.of(new Svd(new Matrix(m, k, ud), sv, new Matrix(k, n, vtd)));
    }

    /** Left singular vectors, m x k (not a copy). */
    public Matrix u() {
        return u;
    }

    /** Singular values, descending (not a copy). */
    public double[] singularValues() {
        return s;
    }

    /** Right singular vectors transposed, k x n (not a copy). */
    public Matrix vt() {
        return vt;
    }

    /** Number of singular values above relTol * s_max. */
    public int rank(double relTol) {
        double cut = s.length == 0 ? 0 : relTol * s[0];
        int r = 0;
        for (double v : s) {
            if (v > cut && v > 0) {
                r++;
            }
        }
        return r;
    }

    /** Moore-Penrose pseudo-inverse (n x m), singular values <= relTol * s_max treated as zero. */
    public Matrix pseudoInverse(double relTol) {
        int r = rank(relTol);
        int m = u.rows();
        int n = vt.cols();
        // A^+ = V_r diag(1/s_r) U_r^T
        Matrix vScaled = new Matrix(n, r);
        for (int j = 0; j < r; j++) {
            double inv = 1.0 / s[j];
            for (int i = 0; i < n; i++) {
                vScaled.set(i, j, vt.get(j, i) * inv);
            }
        }
        Matrix ur = u.columns(0, r);
        if (r == 0) {
            return new Matrix(n, m);
        }
        return MatOps.gemm(1, vScaled, false, ur, true, 0, null);
    }

    /** U diag(s) V^T (for tests). */
    public Matrix reconstruct() {
        Matrix us = u.copy();
        int m = u.rows();
        for (int j = 0; j < s.length; j++) {
            for (int i = 0; i < m; i++) {
                us.set(i, j, us.get(i, j) * s[j]);
            }
        }
        return MatOps.multiply(us, vt);
    }
}
