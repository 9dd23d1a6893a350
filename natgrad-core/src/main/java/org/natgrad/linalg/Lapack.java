package org.natgrad.linalg;

import org.bytedeco.openblas.global.openblas;

/**
 * Package-private access to the native LAPACKE routines natgrad uses (column-major). Each call
 * first picks OpenBLAS's thread count from its work estimate ({@link NativeBlas#threadsFor}).
 */
final class Lapack {
    private static final int COL_MAJOR = openblas.LAPACK_COL_MAJOR;

    private Lapack() {
    }

    static void requireNative(String op) {
        if (!Backend.nativeAvailable()) {
            throw new IllegalStateException(op + " needs native LAPACK, which did not load");
        }
    }

    /**
     * The checks before a double-precision factorization of {@code a}: it must be square (else
     * {@link IllegalArgumentException} naming {@code op}); false when an entry is not finite (the
     * factorization then reports failure); native LAPACK must be loaded (else
     * {@link IllegalStateException}).
     */
    static boolean readyToFactorize(String op, Matrix a) {
        if (!a.isSquare()) {
            throw new IllegalArgumentException(op + ": matrix must be square, got " + a.shape());
        }
        if (!a.isFinite()) {
            return false;
        }
        requireNative(op);
        return true;
    }

    /** Cholesky factor in place (lower triangle); returns LAPACK info (0 = success). */
    static int dpotrf(int n, double[] a) {
        NativeBlas.threadsFor((long) n * n * n / 6);
        return openblas.LAPACKE_dpotrf(COL_MAJOR, (byte) 'L', n, a, Math.max(1, n));
    }

    /** Solves with a factor from dpotrf; b is n x nrhs, overwritten. */
    static int dpotrs(int n, int nrhs, double[] l, double[] b) {
        NativeBlas.threadsFor((long) n * n * nrhs);
        return openblas.LAPACKE_dpotrs(COL_MAJOR, (byte) 'L', n, nrhs, l, Math.max(1, n), b, Math.max(1, n));
    }

    /** Inverse from a Cholesky factor, in place (lower triangle). */
    static int dpotri(int n, double[] l) {
        NativeBlas.threadsFor((long) n * n * n / 3);
        return openblas.LAPACKE_dpotri(COL_MAJOR, (byte) 'L', n, l, Math.max(1, n));
    }

    /** Single-precision {@link #dpotrf}: Cholesky factor in place (lower triangle); LAPACK info. */
    static int spotrf(int n, float[] a) {
        NativeBlas.threadsFor((long) n * n * n / 6);
        return openblas.LAPACKE_spotrf(COL_MAJOR, (byte) 'L', n, a, Math.max(1, n));
    }

    /** Single-precision {@link #dpotrs}: b (n x nrhs) overwritten by the solution. */
    static int spotrs(int n, int nrhs, float[] l, float[] b) {
        NativeBlas.threadsFor((long) n * n * nrhs);
        return openblas.LAPACKE_spotrs(COL_MAJOR, (byte) 'L', n, nrhs, l, Math.max(1, n), b, Math.max(1, n));
    }

    /** Single-precision {@link #dpotri}: inverse from a Cholesky factor, in place (lower triangle). */
    static int spotri(int n, float[] l) {
        NativeBlas.threadsFor((long) n * n * n / 3);
        return openblas.LAPACKE_spotri(COL_MAJOR, (byte) 'L', n, l, Math.max(1, n));
    }

    /** Symmetric eigendecomposition (divide and conquer); a is overwritten by the eigenvectors. */
    static int dsyevd(int n, double[] a, double[] w) {
        NativeBlas.threadsFor(4L * n * n * n);
        return openblas.LAPACKE_dsyevd(COL_MAJOR, (byte) 'V', (byte) 'L', n, a, Math.max(1, n), w);
    }

    /** Thin SVD (divide and conquer): a (m x n) destroyed, s (min), u (m x min), vt (min x n). */
    static int dgesdd(int m, int n, double[] a, double[] s, double[] u, double[] vt) {
        int k = Math.min(m, n);
        NativeBlas.threadsFor(4L * m * n * k);
        return openblas.LAPACKE_dgesdd(COL_MAJOR, (byte) 'S', m, n, a, Math.max(1, m), s, u, Math.max(1, m),
                vt, Math.max(1, k));
    }

    /** QR: a (m x n) overwritten by R and the reflectors; tau length min(m, n). */
    static int dgeqrf(int m, int n, double[] a, double[] tau) {
        NativeBlas.threadsFor(2L * m * n * Math.min(m, n));
        return openblas.LAPACKE_dgeqrf(COL_MAJOR, m, n, a, Math.max(1, m), tau);
    }

    /** Forms the first n columns of Q from dgeqrf's output. */
    static int dorgqr(int m, int n, int k, double[] a, double[] tau) {
        NativeBlas.threadsFor(2L * m * n * k);
        return openblas.LAPACKE_dorgqr(COL_MAJOR, m, n, k, a, Math.max(1, m), tau);
    }
}
