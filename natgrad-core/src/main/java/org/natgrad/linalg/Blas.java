package org.natgrad.linalg;

/**
 * The thin seam between natgrad and a BLAS implementation (design.md §3): the three level-2/3
 * kernels the library's hot paths use, on column-major arrays with explicit leading dimensions.
 * {@link NativeBlas} calls OpenBLAS; {@link JavaBlas} is plain Java loops (the reference in tests
 * and the path for tiny products where the JNI call costs more than the arithmetic).
 * {@link Backend} chooses between them.
 */
public interface Blas {

    /** C = alpha * op(A) * op(B) + beta * C, with op(A) m x k, op(B) k x n, C m x n. */
    void dgemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
               double[] a, int lda, double[] b, int ldb, double beta, double[] c, int ldc);

    /**
     * Symmetric rank-k update of the full square C (both triangles are written):
     * C = alpha * A * A^T + beta * C if !trans (A n x k), or alpha * A^T * A + beta * C (A k x n).
     * With beta != 0, C must be symmetric on entry: only its lower triangle is read.
     */
    void dsyrk(boolean trans, int n, int k, double alpha, double[] a, int lda, double beta, double[] c, int ldc);

    /** y = alpha * op(A) * x + beta * y, A m x n column-major. */
    void dgemv(boolean transA, int m, int n, double alpha, double[] a, int lda,
               double[] x, double beta, double[] y);

    /** A short name for logs and provenance, e.g. "openblas-0.3.31". */
    String name();
}
