package org.natgrad.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.natgrad.random.Rng;

/**
 * gemm / syrk / gemv against the naive triple loop of {@link Naive}, on four paths: the two
 * {@link Blas} implementations called directly (with padded leading dimensions, whose padding
 * must survive untouched) and {@link MatOps} with the small-product threshold at 0 (always
 * native) and at Long.MAX_VALUE (always Java). Tolerance: 1e-13 relative to max(1, max|C|)
 * (sums of at most 41 products of O(1) numbers).
 */
class BlasKernelsTest {
    private static final double TOL = 1e-13;
    private static final double SENTINEL = 12345.678;
    private long savedFlops;
    private Backend.Kind savedKind;

    enum Path { JAVA_DIRECT, NATIVE_DIRECT, MATOPS_NATIVE, MATOPS_JAVA }

    /** Shapes (m, n, k): tiny, non-square mid-size (several kernel blocks), degenerate. */
    private static final int[][] SHAPES = {{1, 1, 1}, {5, 7, 3}, {37, 29, 41}, {64, 3, 70}, {4, 6, 1}};

    @BeforeEach
    void save() {
        savedFlops = Backend.smallProductFlops();
        savedKind = Backend.kind();
    }

    @AfterEach
    void restore() {
        Backend.setSmallProductFlops(savedFlops);
        Backend.use(savedKind);
    }

    private static void configure(Path path) {
        if (path == Path.NATIVE_DIRECT || path == Path.MATOPS_NATIVE) {
            NativeBlasRequirement.require();
        }
        if (path == Path.MATOPS_NATIVE) {
            Backend.use(Backend.Kind.NATIVE);
            Backend.setSmallProductFlops(0);
        } else if (path == Path.MATOPS_JAVA) {
            Backend.setSmallProductFlops(Long.MAX_VALUE);
        }
    }

    private static Blas blas(Path path) {
        return path == Path.JAVA_DIRECT ? JavaBlas.INSTANCE : NativeBlas.INSTANCE;
    }

    private static boolean direct(Path path) {
        return path == Path.JAVA_DIRECT || path == Path.NATIVE_DIRECT;
    }

    /** Column-major copy of m into an array with leading dimension ld >= rows, padding = SENTINEL. */
    private static double[] pad(Matrix m, int ld) {
        double[] p = new double[Math.max(1, ld * m.cols())];
        Arrays.fill(p, SENTINEL);
        for (int j = 0; j < m.cols(); j++) {
            for (int i = 0; i < m.rows(); i++) {
                p[i + j * ld] = m.get(i, j);
            }
        }
        return p;
    }

    private static Matrix unpad(double[] p, int rows, int cols, int ld) {
        Matrix m = new Matrix(rows, cols);
        for (int j = 0; j < cols; j++) {
            for (int i = 0; i < rows; i++) {
                m.set(i, j, p[i + j * ld]);
            }
            for (int i = rows; i < ld; i++) {
                assertEquals(SENTINEL, p[i + j * ld], "padding below column " + j + " was overwritten");
            }
        }
        return m;
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void gemmAllTransposeCombinationsAndBetas(Path path) {
        configure(path);
        Rng rng = new Rng(11);
        double alpha = 1.3;
        for (int[] s : SHAPES) {
            int m = s[0], n = s[1], k = s[2];
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    Matrix a = Naive.gaussian(ta ? k : m, ta ? m : k, rng);
                    Matrix b = Naive.gaussian(tb ? n : k, tb ? k : n, rng);
                    Matrix ab = Naive.multiply(Naive.op(a, ta), Naive.op(b, tb));
                    for (double beta : new double[] {0, 1, -0.7}) {
                        // With beta = 0 the old C must be ignored, even NaN (BLAS convention).
                        Matrix c0 = beta == 0 ? Matrix.filled(m, n, Double.NaN) : Naive.gaussian(m, n, rng);
                        Matrix expected = beta == 0 ? Naive.combine(alpha, ab, 0, ab) : Naive.combine(alpha, ab, beta, c0);
                        Matrix got;
                        if (direct(path)) {
                            int lda = a.rows() + 2, ldb = b.rows() + 1, ldc = m + 3;
                            double[] cp = pad(c0, ldc);
                            blas(path).dgemm(ta, tb, m, n, k, alpha, pad(a, lda), lda, pad(b, ldb), ldb, beta, cp, ldc);
                            got = unpad(cp, m, n, ldc);
                        } else {
                            Matrix out = c0.copy();
                            got = MatOps.gemm(alpha, a, ta, b, tb, beta, out);
                            assertSame(out, got, "gemm must write into the given out");
                        }
                        Naive.assertClose(expected, got, TOL, path + " gemm " + m + "x" + n + "x" + k
                                + " transA=" + ta + " transB=" + tb + " beta=" + beta);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Path.class, names = {"MATOPS_NATIVE", "MATOPS_JAVA"})
    void gemmAllocatesAndReusesOut(Path path) {
        configure(path);
        Rng rng = new Rng(12);
        Matrix a = Naive.gaussian(6, 4, rng);
        Matrix b = Naive.gaussian(4, 5, rng);
        Matrix ab = Naive.multiply(a, b);
        Matrix c = MatOps.gemm(1, a, false, b, false, 123.0, null); // beta ignored when out is null
        Naive.assertClose(ab, c, TOL, "fresh gemm");
        // accumulate twice into the same out: out = a b + a b + a b
        MatOps.gemm(1, a, false, b, false, 1, c);
        MatOps.gemm(1, a, false, b, false, 1, c);
        Naive.assertClose(Naive.combine(3, ab, 0, ab), c, TOL, "accumulated gemm");
        Naive.assertClose(ab, MatOps.multiply(a, b), TOL, "multiply");
        Naive.assertClose(Naive.multiply(Naive.transpose(a), a), MatOps.multiplyTransA(a, a), TOL, "multiplyTransA");
        Naive.assertClose(Naive.multiply(b, Naive.transpose(b)), MatOps.multiplyTransB(b, b), TOL, "multiplyTransB");
    }

    @ParameterizedTest
    @EnumSource(value = Path.class, names = {"MATOPS_NATIVE", "MATOPS_JAVA"})
    void gemmWithEmptyInnerDimensionGivesBetaTimesC(Path path) {
        configure(path);
        Matrix a = new Matrix(3, 0);
        Matrix b = new Matrix(0, 4);
        Matrix c = MatOps.gemm(1, a, false, b, false, 0, Matrix.filled(3, 4, 7));
        Naive.assertClose(new Matrix(3, 4), c, 0, "empty product, beta 0");
        Matrix c2 = MatOps.gemm(1, a, false, b, false, 0.5, Matrix.filled(3, 4, 7));
        Naive.assertClose(Matrix.filled(3, 4, 3.5), c2, 0, "empty product, beta 0.5");
        assertEquals(0, MatOps.multiply(new Matrix(0, 3), new Matrix(3, 2)).size());
    }

    /** IEEE: NaN * 0 = NaN. Both backends must propagate a NaN in A even where B is zero. */
    @ParameterizedTest
    @EnumSource(Path.class)
    void gemmPropagatesNanThroughZeros(Path path) {
        configure(path);
        Matrix a = Matrix.ofRows(new double[] {Double.NaN, 1}, new double[] {2, 3});
        Matrix b = Matrix.ofRows(new double[] {0, 0}, new double[] {1, 1});
        Matrix c;
        if (direct(path)) {
            c = new Matrix(2, 2);
            blas(path).dgemm(false, false, 2, 2, 2, 1, a.data(), 2, b.data(), 2, 0, c.data(), 2);
        } else {
            c = MatOps.multiply(a, b);
        }
        assertTrue(Double.isNaN(c.get(0, 0)) && Double.isNaN(c.get(0, 1)), () -> path + ": NaN lost: " + c);
        assertEquals(3, c.get(1, 0), 0);
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void syrkBothModesFullSymmetricResult(Path path) {
        configure(path);
        Rng rng = new Rng(13);
        double alpha = 0.9;
        for (int[] s : SHAPES) {
            int n = s[0], k = s[2];
            for (boolean trans : new boolean[] {false, true}) {
                Matrix a = trans ? Naive.gaussian(k, n, rng) : Naive.gaussian(n, k, rng);
                Matrix aat = trans ? Naive.multiply(Naive.transpose(a), a) : Naive.multiply(a, Naive.transpose(a));
                for (double beta : new double[] {0, 0.5}) {
                    // with beta != 0 out must be symmetric (only its lower triangle is read)
                    Matrix c0 = beta == 0 ? Matrix.filled(n, n, Double.NaN) : Naive.symmetric(n, rng);
                    Matrix expected = beta == 0 ? Naive.combine(alpha, aat, 0, aat) : Naive.combine(alpha, aat, beta, c0);
                    Matrix got;
                    if (direct(path)) {
                        int lda = a.rows() + 1, ldc = n + 2;
                        double[] cp = pad(c0, ldc);
                        blas(path).dsyrk(trans, n, k, alpha, pad(a, lda), lda, beta, cp, ldc);
                        got = unpad(cp, n, n, ldc);
                    } else {
                        Matrix out = c0.copy();
                        got = MatOps.syrk(alpha, a, trans, beta, out);
                        assertSame(out, got);
                    }
                    Naive.assertClose(expected, got, TOL, path + " syrk n=" + n + " k=" + k + " trans=" + trans
                            + " beta=" + beta);
                    for (int i = 0; i < n; i++) {
                        for (int j = 0; j < i; j++) {
                            assertEquals(got.get(i, j), got.get(j, i), 0, "syrk result must be exactly symmetric");
                        }
                    }
                }
            }
            if (!direct(path)) {
                Matrix a = Naive.gaussian(n, k, rng);
                Naive.assertClose(Naive.multiply(a, Naive.transpose(a)), MatOps.syrk(1, a, false, 7, null), TOL,
                        "syrk allocating");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void gemvBothModes(Path path) {
        configure(path);
        Rng rng = new Rng(14);
        double alpha = -1.7;
        for (int[] s : SHAPES) {
            int m = s[0], n = s[2];
            Matrix a = Naive.gaussian(m, n, rng);
            for (boolean trans : new boolean[] {false, true}) {
                int xlen = trans ? m : n;
                int ylen = trans ? n : m;
                Matrix x = Naive.gaussian(xlen, 1, rng);
                Matrix ax = Naive.multiply(Naive.op(a, trans), x);
                for (double beta : new double[] {0, 2}) {
                    Matrix y0 = beta == 0 ? Matrix.filled(ylen, 1, Double.NaN) : Naive.gaussian(ylen, 1, rng);
                    Matrix expected = beta == 0 ? Naive.combine(alpha, ax, 0, ax) : Naive.combine(alpha, ax, beta, y0);
                    double[] y = y0.data().clone();
                    if (direct(path)) {
                        int lda = m + 3;
                        blas(path).dgemv(trans, m, n, alpha, pad(a, lda), lda, x.data(), beta, y);
                    } else {
                        double[] r = MatOps.gemv(alpha, a, trans, x.data(), beta, y);
                        assertSame(y, r);
                    }
                    Naive.assertClose(expected, Matrix.column(y), TOL, path + " gemv " + m + "x" + n + " trans="
                            + trans + " beta=" + beta);
                }
                if (!direct(path)) {
                    Naive.assertClose(ax, Matrix.column(MatOps.gemv(1, a, trans, x.data(), 5, null)), TOL,
                            "gemv allocating");
                }
            }
        }
    }

    @Test
    void nativeGemmWithTwoThreadsMatchesLoops() {
        NativeBlasRequirement.require();
        int saved = NativeBlas.threads();
        try {
            Backend.setThreads(2);
            Rng rng = new Rng(15);
            Matrix a = Naive.gaussian(150, 130, rng);
            Matrix b = Naive.gaussian(130, 140, rng);
            Matrix c = new Matrix(150, 140);
            NativeBlas.INSTANCE.dgemm(false, false, 150, 140, 130, 1, a.data(), 150, b.data(), 130, 0, c.data(), 150);
            Naive.assertClose(Naive.multiply(a, b), c, 1e-12, "2-thread gemm");
        } finally {
            Backend.setThreads(saved);
        }
    }
}
