package org.natgrad.curvature;

import org.natgrad.linalg.Inverses;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.linalg.SymmetricEigen;

/**
 * The spectrum of a symmetric PSD matrix A = Y Y^T (d x d) with explicit eigenvectors:
 * A = U diag(λ) U^T, U d x r with orthonormal columns. When Y (d x K) has fewer columns than rows
 * the eigenvectors come from the K x K Gram matrix Y^T Y (U = Y V diag(λ)^{-1/2}, only λ above the
 * cut-off), and the rest of R^d is the null space. Damped inverses and pseudo-inverses are then
 * (A + sI)^{-1} x = U diag(1/(λ+s)) U^T x + (x − U U^T x)/s and A^+ x = U diag(1/λ) U^T x (λ above
 * {@link #REL_TOL} times the largest).
 */
final class Spectrum {
    /** Relative eigenvalue cut-off of pseudo-inverses and of dual eigenvectors. */
    static final double REL_TOL = Inverses.DEFAULT_REL_TOL;

    final Matrix u;
    final double[] values;
    final int dim;
    /** True when U spans R^d (no null-space term). */
    final boolean complete;

    private Spectrum(Matrix u, double[] values, int dim, boolean complete) {
        this.u = u;
        this.values = values;
        this.dim = dim;
        this.complete = complete;
    }

    /** The spectrum of a symmetric PSD matrix (negative round-off eigenvalues become 0). */
    static Spectrum of(Matrix a, String what) {
        SymmetricEigen e = SymmetricEigen.decompose(a).orElseThrow(() ->
                new ArithmeticException("eigendecomposition of " + what + " (" + a.shape() + ") failed"));
        double[] v = e.values().clone();
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.max(v[i], 0);
        }
        return new Spectrum(e.vectors(), v, a.rows(), true);
    }

    /** The spectrum of Y Y^T from samples Y (d x K): primal when d ≤ K, from the Gram matrix otherwise. */
    static Spectrum ofSamples(Matrix y, String what) {
        Inverses.requireFinite(what, y);
        int d = y.rows();
        int k = y.cols();
        if (d <= k) {
            return of(MatOps.syrk(1, y, false, 0, null), what);
        }
        Matrix gram = MatOps.syrk(1, y, true, 0, null);
        SymmetricEigen e = SymmetricEigen.decompose(gram).orElseThrow(() ->
                new ArithmeticException("eigendecomposition of the Gram matrix of " + what + " (" + gram.shape()
                        + ") failed"));
        double[] v = e.values();
        double cut = cut(v);
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
        return new Spectrum(MatOps.multiply(y, vk), vals, d, false);
    }

    static double cut(double[] v) {
        double max = 0;
        for (double x : v) {
            max = Math.max(max, Math.abs(x));
        }
        return REL_TOL * max;
    }

    double trace() {
        double t = 0;
        for (double v : values) {
            t += v;
        }
        return t;
    }

    /** f(A) X for the columns of X (d x c): (A + sI)^{-1} X for s &gt; 0, A^+ X for s = 0. */
    Matrix inverseTimes(Matrix x, double s) {
        Matrix ux = MatOps.gemm(1, u, true, x, false, 0, null);
        double c = cut(values);
        double[] f = new double[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = s > 0 ? 1 / (values[i] + s) - (complete ? 0 : 1 / s) : (values[i] > c ? 1 / values[i] : 0);
        }
        scaleRows(ux, f);
        Matrix out = MatOps.gemm(1, u, false, ux, false, 0, null);
        if (s > 0 && !complete) {
            MatOps.axpy(1 / s, x, out);
        }
        return out;
    }

    /** A X. */
    Matrix times(Matrix x) {
        Matrix ux = MatOps.gemm(1, u, true, x, false, 0, null);
        scaleRows(ux, values);
        return MatOps.gemm(1, u, false, ux, false, 0, null);
    }

    /** The matrix f(A) (d x d), as {@link #inverseTimes} of the identity. */
    Matrix inverse(double s) {
        return inverseTimes(Matrix.identity(dim), s);
    }

    long bytes() {
        return 8L * (u.size() + values.length);
    }

    static void scaleRows(Matrix a, double[] f) {
        int r = a.rows();
        double[] d = a.data();
        for (int j = 0; j < a.cols(); j++) {
            int o = j * r;
            for (int i = 0; i < r; i++) {
                d[o + i] *= f[i];
            }
        }
    }
}
