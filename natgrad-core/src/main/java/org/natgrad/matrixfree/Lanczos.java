package org.natgrad.matrixfree;

import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.linalg.SymmetricEigen;
import org.natgrad.random.Rng;

/**
 * The Lanczos process on a symmetric operator A (size P): from a unit start vector q_1 it builds an
 * orthonormal basis Q_m = [q_1 .. q_m] of the Krylov space and the tridiagonal T_m = Q_m^T A Q_m
 * (diagonal α_1..α_m, off-diagonal β_1..β_{m-1}), one product per step. Every new vector is
 * orthogonalized against the whole basis twice (full reorthogonalization, O(P m) per step), so the
 * Ritz values do not repeat and the basis stays orthonormal to round-off. The process stops early
 * when β falls below 1e-12 · ‖T‖ (an invariant subspace: the Ritz values are then exact).
 */
public final class Lanczos {
    private Lanczos() {
    }

    /**
     * A Lanczos run.
     *
     * @param alpha diagonal of T, length m (m ≤ requested steps)
     * @param beta  off-diagonal of T, length m − 1
     * @param basis Q_m, P x m, orthonormal columns
     */
    public record Tridiagonal(double[] alpha, double[] beta, Matrix basis) {
        /** m, the steps taken. */
        public int steps() {
            return alpha.length;
        }

        /** T as a dense m x m matrix. */
        public Matrix matrix() {
            int m = alpha.length;
            Matrix t = new Matrix(m, m);
            for (int i = 0; i < m; i++) {
                t.set(i, i, alpha[i]);
                if (i + 1 < m) {
                    t.set(i, i + 1, beta[i]);
                    t.set(i + 1, i, beta[i]);
                }
            }
            return t;
        }

        /** The eigendecomposition of T (Ritz values ascending, their coordinates in the basis). */
        public SymmetricEigen eigen() {
            return SymmetricEigen.decompose(matrix()).orElseThrow(() ->
                    new ArithmeticException("Lanczos: the tridiagonal matrix has no eigendecomposition (not finite)"));
        }
    }

    /**
     * The top eigenpairs of A found by Lanczos: k of them, or fewer when the Krylov space of the start
     * vector closes earlier (then every pair found is exact to round-off).
     *
     * @param values    the k largest Ritz values, descending
     * @param vectors   their Ritz vectors (unit), P x k
     * @param residuals ‖A y_j − θ_j y_j‖ per pair, from a fresh product: for symmetric A an eigenvalue
     *                  of A lies within residual_j of θ_j
     * @param steps     Lanczos steps taken
     * @param products  products with A in all
     */
    public record Eigenpairs(double[] values, Matrix vectors, double[] residuals, int steps, int products) {
    }

    /**
     * Runs m ≤ {@code steps} Lanczos steps from the unit vector along {@code start} (not modified).
     *
     * @throws IllegalArgumentException if start is zero, not finite or of the wrong length, or steps &lt; 1
     */
    public static Tridiagonal run(LinearOperator a, double[] start, int steps) {
        int p = a.size();
        LinearOperator.requireLength("Lanczos", start, p);
        if (steps < 1) {
            throw new IllegalArgumentException("Lanczos: steps must be >= 1, got " + steps);
        }
        double s = ConjugateGradient.norm(start);
        if (!(s > 0) || !Double.isFinite(s)) {
            throw new IllegalArgumentException("Lanczos: the start vector must be finite and non-zero, its norm is " + s);
        }
        int m = Math.min(steps, p);
        double[] q = new double[p * m];
        double[] alpha = new double[m];
        double[] beta = new double[m];
        for (int i = 0; i < p; i++) {
            q[i] = start[i] / s;
        }
        double scale = 0;
        int k = 0;
        while (true) {
            double[] qk = new double[p];
            System.arraycopy(q, k * p, qk, 0, p);
            double[] w = a.multiply(qk);
            alpha[k] = ConjugateGradient.dot(w, qk);
            for (int pass = 0; pass < 2; pass++) {
                for (int j = 0; j <= k; j++) {
                    double c = 0;
                    int o = j * p;
                    for (int i = 0; i < p; i++) {
                        c += q[o + i] * w[i];
                    }
                    for (int i = 0; i < p; i++) {
                        w[i] -= c * q[o + i];
                    }
                }
            }
            double b = ConjugateGradient.norm(w);
            scale = Math.max(scale, Math.abs(alpha[k]) + b);
            k++;
            if (k == m || !(b > 1e-12 * scale)) {
                break;
            }
            beta[k - 1] = b;
            for (int i = 0; i < p; i++) {
                q[k * p + i] = w[i] / b;
            }
        }
        double[] qData = new double[p * k];
        System.arraycopy(q, 0, qData, 0, p * k);
        return new Tridiagonal(java.util.Arrays.copyOf(alpha, k), java.util.Arrays.copyOf(beta, Math.max(0, k - 1)),
                new Matrix(p, k, qData));
    }

    /**
     * The k largest eigenvalues of A and their vectors from {@code steps} Lanczos steps (steps ≥ k;
     * steps = 2k to 3k plus a margin usually converges the top of a Fisher spectrum, whose largest
     * eigenvalues stand apart) from a Gaussian start vector drawn with {@code seed}.
     */
    public static Eigenpairs top(LinearOperator a, int k, int steps, long seed) {
        if (k < 1 || k > a.size()) {
            throw new IllegalArgumentException("Lanczos.top: k must be in 1.." + a.size() + ", got " + k);
        }
        if (steps < k) {
            throw new IllegalArgumentException("Lanczos.top: need steps >= k, got steps " + steps + " and k " + k);
        }
        double[] start = new double[a.size()];
        new Rng(seed).fillGaussian(start);
        Tridiagonal t = run(a, start, steps);
        SymmetricEigen e = t.eigen();
        int m = t.steps();
        int kk = Math.min(k, m);
        double[] values = new double[kk];
        Matrix coords = new Matrix(m, kk);
        for (int j = 0; j < kk; j++) {
            int src = m - 1 - j;
            values[j] = e.values()[src];
            System.arraycopy(e.vectors().data(), src * m, coords.data(), j * m, m);
        }
        Matrix y = MatOps.multiply(t.basis(), coords);
        double[] residuals = new double[kk];
        int p = a.size();
        for (int j = 0; j < kk; j++) {
            double[] yj = y.column(j);
            double[] ay = a.multiply(yj);
            double r = 0;
            for (int i = 0; i < p; i++) {
                double d = ay[i] - values[j] * yj[i];
                r += d * d;
            }
            residuals[j] = Math.sqrt(r);
        }
        return new Eigenpairs(values, y, residuals, m, m + kk);
    }
}
