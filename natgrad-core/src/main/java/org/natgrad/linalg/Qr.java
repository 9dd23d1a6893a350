package org.natgrad.linalg;

/** QR factorization helpers (native LAPACK {@code dgeqrf}/{@code dorgqr}). */
public final class Qr {
    private Qr() {
    }

    /**
     * The thin Q (m x n, orthonormal columns) of a (m x n, m >= n), with column signs fixed so that
     * R has a non-negative diagonal: for Gaussian a this makes Q Haar-distributed.
     */
    public static Matrix orthonormalColumns(Matrix a) {
        int m = a.rows();
        int n = a.cols();
        if (m < n) {
            throw new IllegalArgumentException("Qr.orthonormalColumns: need rows >= cols, got " + a.shape());
        }
        Inverses.requireFinite("Qr", a);
        Lapack.requireNative("Qr");
        double[] q = a.data().clone();
        double[] tau = new double[n];
        int info = Lapack.dgeqrf(m, n, q, tau);
        if (info != 0) {
            throw new ArithmeticException("Qr: dgeqrf failed with info " + info);
        }
        double[] rDiagSign = new double[n];
        for (int j = 0; j < n; j++) {
            rDiagSign[j] = q[j + j * m] < 0 ? -1 : 1;
        }
        info = Lapack.dorgqr(m, n, n, q, tau);
        if (info != 0) {
            throw new ArithmeticException("Qr: dorgqr failed with info " + info);
        }
        for (int j = 0; j < n; j++) {
            if (rDiagSign[j] < 0) {
                for (int i = 0; i < m; i++) {
                    q[i + j * m] = -q[i + j * m];
                }
            }
        }
        return new Matrix(m, n, q);
    }
}
