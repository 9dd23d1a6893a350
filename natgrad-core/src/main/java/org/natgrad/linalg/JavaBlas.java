package org.natgrad.linalg;

/**
 * Pure-Java loops for the {@link Blas} kernels. Used for tiny products (where a native call's
 * fixed cost dominates) and as the independent reference in tests. Loop orders keep the inner
 * loop on contiguous column-major memory.
 */
public final class JavaBlas implements Blas {

    public static final JavaBlas INSTANCE = new JavaBlas();

    private JavaBlas() {
    }

    @Override
    public void dgemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                      double[] a, int lda, double[] b, int ldb, double beta, double[] c, int ldc) {
        for (int j = 0; j < n; j++) {
            int cOff = j * ldc;
            if (beta == 0) {
                for (int i = 0; i < m; i++) {
                    c[cOff + i] = 0;
                }
            } else if (beta != 1) {
                for (int i = 0; i < m; i++) {
                    c[cOff + i] *= beta;
                }
            }
        }
        if (alpha == 0 || k == 0) {
            return;
        }
        if (!transA) {
            // C[:, j] += alpha * sum_p A[:, p] * op(B)[p, j]
            for (int j = 0; j < n; j++) {
                int cOff = j * ldc;
                for (int p = 0; p < k; p++) {
                    // No skip of zero b_pj: NaN/Inf in A must propagate (NaN * 0 = NaN), as in OpenBLAS.
                    double bpj = transB ? b[j + p * ldb] : b[p + j * ldb];
                    double s = alpha * bpj;
                    int aOff = p * lda;
                    for (int i = 0; i < m; i++) {
                        c[cOff + i] += s * a[aOff + i];
                    }
                }
            }
        } else {
            // C[i, j] += alpha * dot(A[:, i], op(B)[:, j])
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < m; i++) {
                    int aOff = i * lda;
                    double s = 0;
                    if (!transB) {
                        int bOff = j * ldb;
                        for (int p = 0; p < k; p++) {
                            s += a[aOff + p] * b[bOff + p];
                        }
                    } else {
                        for (int p = 0; p < k; p++) {
                            s += a[aOff + p] * b[j + p * ldb];
                        }
                    }
                    c[i + j * ldc] += alpha * s;
                }
            }
        }
    }

    @Override
    public void dsyrk(boolean trans, int n, int k, double alpha, double[] a, int lda, double beta, double[] c, int ldc) {
        // Reuse gemm: A*A^T or A^T*A; the result is symmetric by construction of the sums.
        dgemm(trans, !trans, n, n, k, alpha, a, lda, a, lda, beta, c, ldc);
        // Symmetrise exactly (the two triangles are computed by different summation orders).
        mirrorLower(n, c, ldc);
    }

    /** Copies the strict lower triangle of the n x n column-major c (leading dimension ldc) onto its upper one. */
    static void mirrorLower(int n, double[] c, int ldc) {
        for (int j = 0; j < n; j++) {
            for (int i = j + 1; i < n; i++) {
                c[j + i * ldc] = c[i + j * ldc];
            }
        }
    }

    /** y[0..len) = beta * y, exactly 0 where beta is 0 (BLAS: y is not read then, so NaN in y does not propagate). */
    static void scaleOutput(int len, double beta, double[] y) {
        for (int i = 0; i < len; i++) {
            y[i] = beta == 0 ? 0 : beta * y[i];
        }
    }

    @Override
    public void dgemv(boolean transA, int m, int n, double alpha, double[] a, int lda,
                      double[] x, double beta, double[] y) {
        scaleOutput(transA ? n : m, beta, y);
        if (!transA) {
            for (int j = 0; j < n; j++) {
                double s = alpha * x[j];
                int off = j * lda;
                for (int i = 0; i < m; i++) {
                    y[i] += s * a[off + i];
                }
            }
        } else {
            for (int j = 0; j < n; j++) {
                double s = 0;
                int off = j * lda;
                for (int i = 0; i < m; i++) {
                    s += a[off + i] * x[i];
                }
                y[j] += alpha * s;
            }
        }
    }

    @Override
    public String name() {
        return "java";
    }
}
