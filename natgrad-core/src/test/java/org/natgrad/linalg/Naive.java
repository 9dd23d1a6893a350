package org.natgrad.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.natgrad.random.Rng;

/**
 * Independent references for tests: textbook loops written only with {@link Matrix#get} and
 * {@link Matrix#set}, never calling {@link MatOps}, BLAS or LAPACK.
 */
public final class Naive {
    private Naive() {
    }

    /** A rows x cols matrix of N(0, 1) draws. */
    public static Matrix gaussian(int rows, int cols, Rng rng) {
        Matrix m = new Matrix(rows, cols);
        rng.fillGaussian(m.data());
        return m;
    }

    /** op(a) where op transposes when t is set. */
    public static Matrix op(Matrix a, boolean t) {
        return t ? transpose(a) : a;
    }

    public static Matrix transpose(Matrix a) {
        Matrix t = new Matrix(a.cols(), a.rows());
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < a.cols(); j++) {
                t.set(j, i, a.get(i, j));
            }
        }
        return t;
    }

    /** The triple loop a * b. */
    public static Matrix multiply(Matrix a, Matrix b) {
        if (a.cols() != b.rows()) {
            throw new IllegalArgumentException("Naive.multiply " + a.shape() + " * " + b.shape());
        }
        Matrix c = new Matrix(a.rows(), b.cols());
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < b.cols(); j++) {
                double s = 0;
                for (int p = 0; p < a.cols(); p++) {
                    s += a.get(i, p) * b.get(p, j);
                }
                c.set(i, j, s);
            }
        }
        return c;
    }

    public static Matrix multiply(Matrix a, Matrix b, Matrix c) {
        return multiply(multiply(a, b), c);
    }

    /** alpha * a + beta * b (element-wise loop). */
    public static Matrix combine(double alpha, Matrix a, double beta, Matrix b) {
        Matrix c = new Matrix(a.rows(), a.cols());
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < a.cols(); j++) {
                c.set(i, j, alpha * a.get(i, j) + beta * b.get(i, j));
            }
        }
        return c;
    }

    public static Matrix identity(int n) {
        Matrix m = new Matrix(n, n);
        for (int i = 0; i < n; i++) {
            m.set(i, i, 1);
        }
        return m;
    }

    /** G G^T + shift I with G n x n Gaussian: symmetric positive definite for shift > 0. */
    public static Matrix spd(int n, double shift, Rng rng) {
        Matrix g = gaussian(n, n, rng);
        Matrix a = multiply(g, transpose(g));
        for (int i = 0; i < n; i++) {
            a.set(i, i, a.get(i, i) + shift);
        }
        return a;
    }

    /** A rows x cols matrix of rank r: (rows x r Gaussian) (r x cols Gaussian). */
    public static Matrix lowRank(int rows, int cols, int r, Rng rng) {
        return multiply(gaussian(rows, r, rng), gaussian(r, cols, rng));
    }

    /** (a + a^T) / 2 of a square Gaussian: symmetric, generally indefinite. */
    public static Matrix symmetric(int n, Rng rng) {
        Matrix g = gaussian(n, n, rng);
        Matrix s = new Matrix(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                s.set(i, j, 0.5 * (g.get(i, j) + g.get(j, i)));
            }
        }
        return s;
    }

    public static double maxAbs(Matrix a) {
        double m = 0;
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < a.cols(); j++) {
                m = Math.max(m, Math.abs(a.get(i, j)));
            }
        }
        return m;
    }

    public static double maxAbsDiff(Matrix a, Matrix b) {
        assertEquals(a.rows(), b.rows(), "rows");
        assertEquals(a.cols(), b.cols(), "cols");
        double m = 0;
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < a.cols(); j++) {
                double d = Math.abs(a.get(i, j) - b.get(i, j));
                if (Double.isNaN(d)) {
                    return Double.NaN;
                }
                m = Math.max(m, d);
            }
        }
        return m;
    }

    /**
     * Asserts max|actual - expected| <= tol * max(1, max|expected|): a relative tolerance on the
     * matrix's scale (absolute for matrices of scale below one).
     */
    public static void assertClose(Matrix expected, Matrix actual, double tol, String what) {
        double scale = Math.max(1, maxAbs(expected));
        double d = maxAbsDiff(expected, actual);
        assertTrue(d <= tol * scale, () -> what + ": max abs difference " + d + " exceeds " + tol + " x " + scale
                + "\nexpected " + expected + "actual " + actual);
    }

    /** Solves a x = b by Gaussian elimination with partial pivoting (a square, not modified). */
    public static double[] solve(Matrix a, double[] b) {
        int n = a.rows();
        double[][] m = new double[n][n + 1];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                m[i][j] = a.get(i, j);
            }
            m[i][n] = b[i];
        }
        for (int c = 0; c < n; c++) {
            int p = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(m[r][c]) > Math.abs(m[p][c])) {
                    p = r;
                }
            }
            double[] t = m[c];
            m[c] = m[p];
            m[p] = t;
            for (int r = c + 1; r < n; r++) {
                double f = m[r][c] / m[c][c];
                for (int j = c; j <= n; j++) {
                    m[r][j] -= f * m[c][j];
                }
            }
        }
        double[] x = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double s = m[i][n];
            for (int j = i + 1; j < n; j++) {
                s -= m[i][j] * x[j];
            }
            x[i] = s / m[i][i];
        }
        return x;
    }

    /** a^-1 column by column with {@link #solve}. */
    public static Matrix inverse(Matrix a) {
        int n = a.rows();
        Matrix inv = new Matrix(n, n);
        for (int j = 0; j < n; j++) {
            double[] e = new double[n];
            e[j] = 1;
            double[] x = solve(a, e);
            for (int i = 0; i < n; i++) {
                inv.set(i, j, x[i]);
            }
        }
        return inv;
    }
}
