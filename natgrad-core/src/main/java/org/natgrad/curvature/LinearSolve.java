package org.natgrad.curvature;

import org.natgrad.linalg.Matrix;

/** Gaussian elimination with partial pivoting for small general (non-symmetric) systems. */
final class LinearSolve {
    private LinearSolve() {
    }

    /** Solves A x = b (A n x n, not modified); null when A is singular to working precision. */
    static double[] solve(Matrix a, double[] b) {
        int n = a.rows();
        Matrix rhs = new Matrix(n, 1, b.clone());
        Matrix x = solve(a, rhs);
        return x == null ? null : x.data();
    }

    /** A^{-1}, or null when singular. */
    static Matrix inverse(Matrix a) {
        return solve(a, Matrix.identity(a.rows()));
    }

    /** Solves A X = B for several right-hand sides; null when A is singular. */
    static Matrix solve(Matrix a, Matrix b) {
        int n = a.rows();
        if (a.cols() != n || b.rows() != n) {
            throw new IllegalArgumentException("LinearSolve: A is " + a.shape() + ", B is " + b.shape());
        }
        Matrix lu = a.copy();
        Matrix x = b.copy();
        int m = x.cols();
        double scale = lu.maxAbs();
        for (int k = 0; k < n; k++) {
            int p = k;
            for (int i = k + 1; i < n; i++) {
                if (Math.abs(lu.get(i, k)) > Math.abs(lu.get(p, k))) {
                    p = i;
                }
            }
            if (!(Math.abs(lu.get(p, k)) > 1e-13 * scale)) {
                return null;
            }
            if (p != k) {
                swapRows(lu, p, k);
                swapRows(x, p, k);
            }
            double piv = lu.get(k, k);
            for (int i = k + 1; i < n; i++) {
                double f = lu.get(i, k) / piv;
                if (f != 0) {
                    for (int j = k; j < n; j++) {
                        lu.add(i, j, -f * lu.get(k, j));
                    }
                    for (int j = 0; j < m; j++) {
                        x.add(i, j, -f * x.get(k, j));
                    }
                }
            }
        }
        for (int j = 0; j < m; j++) {
            for (int i = n - 1; i >= 0; i--) {
                double s = x.get(i, j);
                for (int q = i + 1; q < n; q++) {
                    s -= lu.get(i, q) * x.get(q, j);
                }
                x.set(i, j, s / lu.get(i, i));
            }
        }
        return x;
    }

    private static void swapRows(Matrix a, int r1, int r2) {
        for (int j = 0; j < a.cols(); j++) {
            double t = a.get(r1, j);
            a.set(r1, j, a.get(r2, j));
            a.set(r2, j, t);
        }
    }
}
