package org.natgrad.linalg;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasColMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasLower;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;

import org.bytedeco.openblas.global.openblas;

/**
 * {@link Blas} on native OpenBLAS through JavaCPP's preset ({@code org.bytedeco:openblas}); the
 * native library ships inside the Maven jar and unpacks to {@code ~/.javacpp/cache} on first use.
 * Arrays are passed as Java {@code double[]} (the preset pins or copies them); the design note
 * in the README gives the measured cost of that choice.
 */
public final class NativeBlas implements Blas {

    public static final NativeBlas INSTANCE = new NativeBlas();

    private NativeBlas() {
    }

    /** Loads the native library; throws {@link UnsatisfiedLinkError} if it cannot. */
    static void load() {
        org.bytedeco.javacpp.Loader.load(openblas.class);
        threads();
    }

    static void setThreads(int threads) {
        org.bytedeco.openblas.presets.openblas_nolapack.blas_set_num_threads(threads);
    }

    static int threads() {
        return org.bytedeco.openblas.presets.openblas_nolapack.blas_get_num_threads();
    }

    static String version() {
        try {
            return org.bytedeco.openblas.global.openblas_full.openblas_get_config().getString().trim();
        } catch (RuntimeException | LinkageError e) {
            return "openblas";
        }
    }

    @Override
    public void dgemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                      double[] a, int lda, double[] b, int ldb, double beta, double[] c, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        openblas.cblas_dgemm(CblasColMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                m, n, k, alpha, a, Math.max(1, lda), b, Math.max(1, ldb), beta, c, Math.max(1, ldc));
    }

    @Override
    public void dsyrk(boolean trans, int n, int k, double alpha, double[] a, int lda, double beta, double[] c, int ldc) {
        if (n == 0) {
            return;
        }
        openblas.cblas_dsyrk(CblasColMajor, CblasLower, trans ? CblasTrans : CblasNoTrans, n, k, alpha, a,
                Math.max(1, lda), beta, c, Math.max(1, ldc));
        // Mirror the lower triangle into the upper one so callers see a full symmetric matrix.
        for (int j = 0; j < n; j++) {
            for (int i = j + 1; i < n; i++) {
                c[j + i * ldc] = c[i + j * ldc];
            }
        }
    }

    @Override
    public void dgemv(boolean transA, int m, int n, double alpha, double[] a, int lda,
                      double[] x, double beta, double[] y) {
        if (m == 0 || n == 0) {
            int ylen = transA ? n : m;
            for (int i = 0; i < ylen; i++) {
                y[i] = beta == 0 ? 0 : beta * y[i];
            }
            return;
        }
        openblas.cblas_dgemv(CblasColMajor, transA ? CblasTrans : CblasNoTrans, m, n, alpha, a, Math.max(1, lda),
                x, 1, beta, y, 1);
    }

    @Override
    public String name() {
        return "openblas";
    }
}
