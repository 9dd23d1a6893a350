package org.natgrad.linalg;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasColMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasLower;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasNonUnit;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRight;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;

import java.util.Optional;
import org.bytedeco.openblas.global.openblas;

/**
 * Cholesky factorization A + s I = L L^T in single precision ({@code spotrf}) of a symmetric n x n
 * {@link FloatMatrix}, with solves from either side and the inverse. {@link #decompose} returns
 * empty when the shifted matrix is not numerically positive definite <i>in float32</i> (a
 * condition number beyond ~10⁷ can do that where double precision would still succeed) or holds
 * NaN/Inf: the caller decides what to do (natgrad's callers fall back to double precision).
 * Native only (see {@link FloatOps}).
 */
public final class FloatCholesky {
    private final int n;
    private final float[] factor; // lower triangle holds L

    private FloatCholesky(int n, float[] factor) {
        this.n = n;
        this.factor = factor;
    }

    /**
     * Factorizes A + shift I (A is not modified; only its lower triangle is read); empty if that
     * is not numerically positive definite in float32 or not finite.
     */
    public static Optional<FloatCholesky> decompose(FloatMatrix a, float shift) {
        if (!a.isSquare()) {
            throw new IllegalArgumentException("FloatCholesky: matrix must be square, got " + a.shape());
        }
        Lapack.requireNative("FloatCholesky");
        int n = a.rows();
        float[] f = a.data().clone();
        for (int i = 0; i < n; i++) {
            f[i + i * n] += shift;
        }
        for (int j = 0; j < n; j++) {
            for (int i = j; i < n; i++) {
                if (!Float.isFinite(f[i + j * n])) {
                    return Optional.empty();
                }
            }
        }
        int info = Lapack.spotrf(n, f);
        return info == 0 ? Optional.of(new FloatCholesky(n, f)) : Optional.empty();
    }

    /** The dimension n. */
    public int size() {
        return n;
    }

    /** Solves (A + sI) X = B for X (B is n x k, not modified; {@code spotrs}). */
    public FloatMatrix solve(FloatMatrix b) {
        if (b.rows() != n) {
            throw new IllegalArgumentException("FloatCholesky.solve: factor is " + n + "x" + n + ", right-hand side "
                    + b.shape());
        }
        float[] x = b.data().clone();
        if (x.length > 0) {
            int info = Lapack.spotrs(n, b.cols(), factor, x);
            if (info != 0) {
                throw new IllegalStateException("FloatCholesky.solve: spotrs failed with info " + info);
            }
        }
        return new FloatMatrix(n, b.cols(), x);
    }

    /**
     * Solves X (A + sI) = B for X (B is k x n, not modified): B L^{-T} L^{-1} by two {@code strsm}
     * from the right, without transposing B.
     */
    public FloatMatrix solveRight(FloatMatrix b) {
        if (b.cols() != n) {
            throw new IllegalArgumentException("FloatCholesky.solveRight: factor is " + n + "x" + n
                    + ", left-hand side " + b.shape());
        }
        float[] x = b.data().clone();
        int k = b.rows();
        if (x.length > 0) {
            NativeBlas.threadsFor((long) n * n * k);
            int ld = Math.max(1, k);
            // X L L^T = B: first Y L^T = B, then X L = Y.
            openblas.cblas_strsm(CblasColMajor, CblasRight, CblasLower, CblasTrans, CblasNonUnit, k, n, 1f, factor,
                    Math.max(1, n), x, ld);
            openblas.cblas_strsm(CblasColMajor, CblasRight, CblasLower, CblasNoTrans, CblasNonUnit, k, n, 1f, factor,
                    Math.max(1, n), x, ld);
        }
        return new FloatMatrix(k, n, x);
    }

    /** (A + sI)^{-1} (full symmetric, a new matrix; {@code spotri}). */
    public FloatMatrix inverse() {
        float[] inv = factor.clone();
        if (n > 0) {
            int info = Lapack.spotri(n, inv);
            if (info != 0) {
                throw new IllegalStateException("FloatCholesky.inverse: spotri failed with info " + info);
            }
        }
        FloatOps.mirrorLower(inv, n);
        return new FloatMatrix(n, n, inv);
    }
}
