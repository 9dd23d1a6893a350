package org.natgrad.linalg;

import java.util.Optional;

/**
 * Cholesky factorization A = L L^T of a symmetric positive-definite n x n matrix (native LAPACK
 * {@code dpotrf}). {@link #decompose} returns empty when A is not positive definite or holds
 * NaN/Inf: the caller must decide what to do (add damping, fall back to an eigendecomposition).
 */
public final class Cholesky {
    private final int n;
    private final double[] factor; // lower triangle holds L (upper triangle is left as the input)

    private Cholesky(int n, double[] factor) {
        this.n = n;
        this.factor = factor;
    }

    /**
     * Factorizes a (not modified); empty if a is not numerically positive definite or not finite.
     * Only the lower triangle of a is read (a is assumed symmetric).
     */
    public static Optional<Cholesky> decompose(Matrix a) {
        if (!Lapack.readyToFactorize("Cholesky", a)) {
            return Optional.empty();
        }
        double[] f = a.data().clone();
        int info = Lapack.dpotrf(a.rows(), f);
        return info == 0 ? Optional.of(new Cholesky(a.rows(), f)) : Optional.empty();
    }

    /** The dimension n. */
    public int size() {
        return n;
    }

    /** The lower-triangular factor L (a new matrix). */
    public Matrix lower() {
        Matrix l = new Matrix(n, n);
        for (int j = 0; j < n; j++) {
            for (int i = j; i < n; i++) {
                l.set(i, j, factor[i + j * n]);
            }
        }
        return l;
    }

    /** Solves A X = B for X (B is n x k, not modified). */
    public Matrix solve(Matrix b) {
        if (b.rows() != n) {
            throw new IllegalArgumentException("Cholesky.solve: factor is " + n + "x" + n + ", right-hand side " + b.shape());
        }
        double[] x = b.data().clone();
        int info = Lapack.dpotrs(n, b.cols(), factor, x);
        if (info != 0) {
            throw new IllegalStateException("Cholesky.solve: dpotrs failed with info " + info);
        }
        return new Matrix(n, b.cols(), x);
    }

    /** A^-1 (full symmetric, a new matrix). */
    public Matrix inverse() {
        double[] inv = factor.clone();
        int info = Lapack.dpotri(n, inv);
        if (info != 0) {
            throw new IllegalStateException("Cholesky.inverse: dpotri failed with info " + info);
        }
        for (int j = 0; j < n; j++) {
            for (int i = j + 1; i < n; i++) {
                inv[j + i * n] = inv[i + j * n];
            }
        }
        return new Matrix(n, n, inv);
    }

    /** log det A = 2 sum log L_ii. */
    public double logDeterminant() {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += Math.log(factor[i + i * n]);
        }
        return 2 * s;
    }
}
