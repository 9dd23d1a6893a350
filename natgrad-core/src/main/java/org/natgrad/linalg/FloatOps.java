package org.natgrad.linalg;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasColMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasLower;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;

import org.bytedeco.openblas.global.openblas;

/**
 * Single-precision products on native OpenBLAS ({@code sgemm}, {@code ssyrk}) for
 * {@link FloatMatrix}. There is no Java fallback: these need the native backend
 * ({@link Backend#nativeAvailable()}), and throw {@link IllegalStateException} without it. Each call
 * picks OpenBLAS's thread count from its work, as the double-precision calls do.
 */
public final class FloatOps {

    private FloatOps() {
    }

    /** True when the single-precision routines can run (native OpenBLAS loaded). */
    public static boolean available() {
        return Backend.nativeAvailable();
    }

    /**
     * The Gram matrix c · S S^T (n x n, both triangles written) of S (n x N): {@code ssyrk}.
     */
    public static FloatMatrix gram(FloatMatrix s, float c) {
        Lapack.requireNative("FloatOps.gram");
        int n = s.rows();
        int k = s.cols();
        FloatMatrix g = new FloatMatrix(n, n);
        if (n == 0) {
            return g;
        }
        float[] out = g.data();
        NativeBlas.threadsFor((long) n * n * k / 2);
        openblas.cblas_ssyrk(CblasColMajor, CblasLower, CblasNoTrans, n, k, c, s.data(), Math.max(1, n), 0f, out,
                Math.max(1, n));
        mirrorLower(out, n);
        return g;
    }

    /** op(A) op(B) ({@code sgemm}; a new matrix). */
    public static FloatMatrix multiply(FloatMatrix a, boolean transA, FloatMatrix b, boolean transB) {
        Lapack.requireNative("FloatOps.multiply");
        int m = transA ? a.cols() : a.rows();
        int k = transA ? a.rows() : a.cols();
        int kb = transB ? b.cols() : b.rows();
        int n = transB ? b.rows() : b.cols();
        if (k != kb) {
            throw new IllegalArgumentException("FloatOps.multiply: inner dimensions differ: op(A) is " + m + "x" + k
                    + ", op(B) is " + kb + "x" + n);
        }
        FloatMatrix c = new FloatMatrix(m, n);
        if (m == 0 || n == 0) {
            return c;
        }
        if (k == 0) {
            return c;
        }
        NativeBlas.threadsFor((long) m * n * k);
        openblas.cblas_sgemm(CblasColMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                m, n, k, 1f, a.data(), Math.max(1, a.rows()), b.data(), Math.max(1, b.rows()), 0f, c.data(),
                Math.max(1, m));
        return c;
    }

    /** Copies the lower triangle of the n x n column-major {@code a} into its upper triangle. */
    static void mirrorLower(float[] a, int n) {
        for (int j = 0; j < n; j++) {
            for (int i = j + 1; i < n; i++) {
                a[j + i * n] = a[i + j * n];
            }
        }
    }
}
