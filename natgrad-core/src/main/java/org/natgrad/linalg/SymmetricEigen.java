package org.natgrad.linalg;

import java.util.Optional;
import java.util.function.DoubleUnaryOperator;

/**
 * Symmetric eigendecomposition A = Q diag(values) Q^T (native LAPACK {@code dsyevd}), values in
 * ascending order, Q orthogonal (n x n, eigenvectors as columns). Only the lower triangle of the
 * input is read. {@link #decompose} returns empty on NaN/Inf input or if LAPACK fails to converge.
 */
public final class SymmetricEigen {
    private final Matrix vectors;
    private final double[] values;

    private SymmetricEigen(Matrix vectors, double[] values) {
        this.vectors = vectors;
        this.values = values;
    }

    /** Decomposes a (not modified). */
    public static Optional<SymmetricEigen> decompose(Matrix a) {
        if (!Lapack.readyToFactorize("SymmetricEigen", a)) {
            return Optional.empty();
        }
        int n = a.rows();
        double[] q = a.data().clone();
        double[] w = new double[n];
        int info = Lapack.dsyevd(n, q, w);
        if (info != 0) {
            return Optional.empty();
        }
        return Optional.of(new SymmetricEigen(new Matrix(n, n, q), w));
    }

    /** Eigenvectors as columns, n x n (not a copy). */
    public Matrix vectors() {
        return vectors;
    }

    /** Eigenvalues, ascending (not a copy). */
    public double[] values() {
        return values;
    }

    public int size() {
        return values.length;
    }

    /** Largest absolute eigenvalue. */
    public double spectralRadius() {
        double m = 0;
        for (double v : values) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    /** Q f(Λ) Q^T as a new matrix. */
    public Matrix apply(DoubleUnaryOperator f) {
        int n = values.length;
        Matrix scaled = vectors.copy();
        double[] s = scaled.data();
        for (int j = 0; j < n; j++) {
            double fj = f.applyAsDouble(values[j]);
            for (int i = 0; i < n; i++) {
                s[i + j * n] *= fj;
            }
        }
        Matrix out = MatOps.gemm(1, scaled, false, vectors, true, 0, null);
        return MatOps.symmetrizeInPlace(out);
    }

    /** Q Λ Q^T (for tests). */
    public Matrix reconstruct() {
        return apply(v -> v);
    }

    /**
     * Moore-Penrose pseudo-inverse: eigenvalues with |λ| <= relTol * max|λ| are treated as zero.
     */
    public Matrix pseudoInverse(double relTol) {
        double cut = relTol * spectralRadius();
        return apply(v -> Math.abs(v) > cut && v != 0 ? 1.0 / v : 0.0);
    }

    /** (A + damping I)^-1; requires every λ + damping > 0. */
    public Matrix dampedInverse(double damping) {
        for (double v : values) {
            if (!(v + damping > 0)) {
                throw new ArithmeticException("dampedInverse: eigenvalue " + v + " + damping " + damping + " is not positive");
            }
        }
        return apply(v -> 1.0 / (v + damping));
    }

    /** Number of eigenvalues with |λ| > relTol * max|λ|. */
    public int rank(double relTol) {
        double cut = relTol * spectralRadius();
        int r = 0;
        for (double v : values) {
            if (Math.abs(v) > cut && v != 0) {
                r++;
            }
        }
        return r;
    }
}
