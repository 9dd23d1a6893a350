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

    /** The thread count set by {@link Backend#setThreads}: what calls of at least the parallel work use. */
    private static volatile int configured = 1;
    /** The thread count OpenBLAS runs with right now (calls switch it lazily, see {@link #threadsFor}). */
    private static int current = -1;

    static synchronized void setThreads(int threads) {
        org.bytedeco.openblas.presets.openblas_nolapack.blas_set_num_threads(threads);
        configured = threads;
        current = threads;
    }

    static int threads() {
        return configured;
    }

    /** The processors OpenBLAS sees (the most threads it runs usefully). */
    static int processors() {
        return org.bytedeco.openblas.global.openblas_full.openblas_get_num_procs();
    }

    /** The thread count OpenBLAS itself reports now (the last call's, after {@link #threadsFor}). */
    static int activeThreads() {
        return org.bytedeco.openblas.global.openblas_full.openblas_get_num_threads();
    }

    /**
     * Sets OpenBLAS's thread count for the next call, of {@code work} multiply-adds (an estimate):
     * one thread below {@link Backend#parallelMinWork()}, the configured count otherwise. OpenBLAS
     * threads syrk and its LAPACK (potrf, potri, ...) even at n = 21, where a second thread costs
     * more than the call (and, with the other core busy, up to a thousand times more), so small
     * calls run on one thread. The switch is made only when the wanted count changes and costs
     * ~0.05 µs (the preset's {@code blas_set_num_threads} looks its symbols up on each call and is
     * kept for {@link #setThreads}). Deterministic: the choice depends on the sizes only.
     */
    static void threadsFor(long work) {
        int c = configured;
        int want = c > 1 && work < Backend.parallelMinWork() ? 1 : c;
        if (want != current) {
            synchronized (NativeBlas.class) {
                org.bytedeco.openblas.global.openblas_full.openblas_set_num_threads(want);
                current = want;
            }
        }
    }

    static String coreName() {
        try {
            return org.bytedeco.openblas.global.openblas_full.openblas_get_corename().getString().trim();
        } catch (RuntimeException | LinkageError e) {
            return "unknown";
        }
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
        threadsFor((long) m * n * k);
        openblas.cblas_dgemm(CblasColMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                m, n, k, alpha, a, Math.max(1, lda), b, Math.max(1, ldb), beta, c, Math.max(1, ldc));
    }

    @Override
    public void dsyrk(boolean trans, int n, int k, double alpha, double[] a, int lda, double beta, double[] c, int ldc) {
        if (n == 0) {
            return;
        }
        threadsFor((long) n * n * k / 2);
        openblas.cblas_dsyrk(CblasColMajor, CblasLower, trans ? CblasTrans : CblasNoTrans, n, k, alpha, a,
                Math.max(1, lda), beta, c, Math.max(1, ldc));
        // Mirror the lower triangle into the upper one so callers see a full symmetric matrix.
        JavaBlas.mirrorLower(n, c, ldc);
    }

    @Override
    public void dgemv(boolean transA, int m, int n, double alpha, double[] a, int lda,
                      double[] x, double beta, double[] y) {
        if (m == 0 || n == 0) {
            JavaBlas.scaleOutput(transA ? n : m, beta, y);
            return;
        }
        threadsFor((long) m * n);
        openblas.cblas_dgemv(CblasColMajor, transA ? CblasTrans : CblasNoTrans, m, n, alpha, a, Math.max(1, lda),
                x, 1, beta, y, 1);
    }

    @Override
    public String name() {
        return "openblas";
    }
}
