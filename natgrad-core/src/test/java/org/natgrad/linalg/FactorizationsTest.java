package org.natgrad.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.natgrad.random.Rng;

/**
 * Cholesky, symmetric eigendecomposition, SVD and QR checked by their defining identities
 * (reconstruction, orthogonality, triangularity, residuals), computed with {@link Naive} loops.
 * Tolerances are a few hundred ulps scaled by the matrix size and norm.
 */
class FactorizationsTest {

    @Test
    void choleskyFactorSolveInverseAndLogDet() {
        Rng rng = new Rng(31);
        for (int n : new int[] {1, 6, 40}) {
            Matrix a = Naive.spd(n, n, rng);
            Matrix aCopy = a.copy();
            Cholesky c = Cholesky.decompose(a).orElseThrow();
            assertEquals(aCopy, a, "decompose must not modify its input");
            assertEquals(n, c.size());
            Matrix l = c.lower();
            for (int i = 0; i < n; i++) {
                assertTrue(l.get(i, i) > 0, "positive diagonal");
                for (int j = i + 1; j < n; j++) {
                    assertEquals(0, l.get(i, j), 0, "L is lower triangular");
                }
            }
            Naive.assertClose(a, Naive.multiply(l, Naive.transpose(l)), 1e-13, "L L^T = A");
            // solve: residual relative to |A| |X|
            Matrix b = Naive.gaussian(n, 3, rng);
            Matrix x = c.solve(b);
            Matrix r = Naive.combine(1, Naive.multiply(a, x), -1, b);
            assertTrue(Naive.maxAbs(r) <= 1e-13 * Naive.maxAbs(a) * Naive.maxAbs(x) * n,
                    "solve residual " + Naive.maxAbs(r));
            // against an independent solver
            double[] xRef = Naive.solve(a, b.column(0));
            Naive.assertClose(Matrix.column(xRef), x.columns(0, 1), 1e-10, "solve vs Gaussian elimination");
            Matrix inv = c.inverse();
            assertEquals(inv, Naive.transpose(inv), "inverse is exactly symmetric");
            Naive.assertClose(Naive.identity(n), Naive.multiply(a, inv), 1e-12, "A A^-1 = I");
            // log det = sum of log eigenvalues (the eigenvalues are tested separately below)
            double ld = 0;
            for (double v : SymmetricEigen.decompose(a).orElseThrow().values()) {
                ld += Math.log(v);
            }
            assertEquals(ld, c.logDeterminant(), 1e-11 * Math.max(1, Math.abs(ld)));
        }
        Matrix two = Matrix.ofRows(new double[] {4, 2}, new double[] {2, 5});
        assertEquals(Math.log(16), Cholesky.decompose(two).orElseThrow().logDeterminant(), 1e-15);
    }

    @Test
    void choleskyFailsWithEmptyOnIndefiniteSingularOrNonFinite() {
        assertTrue(Cholesky.decompose(Matrix.ofRows(new double[] {1, 2}, new double[] {2, 1})).isEmpty(), "indefinite");
        assertTrue(Cholesky.decompose(Matrix.ofRows(new double[] {-1, 0}, new double[] {0, 1})).isEmpty(), "negative");
        assertTrue(Cholesky.decompose(Matrix.ofRows(new double[] {1, 0}, new double[] {0, 0})).isEmpty(), "singular");
        assertTrue(Cholesky.decompose(Matrix.ofRows(new double[] {1, Double.NaN}, new double[] {Double.NaN, 1})).isEmpty());
        assertTrue(Cholesky.decompose(Matrix.ofRows(new double[] {Double.POSITIVE_INFINITY})).isEmpty());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Cholesky.decompose(new Matrix(2, 3)));
        assertTrue(e.getMessage().contains("Cholesky") && e.getMessage().contains("2x3"), e.getMessage());
        Cholesky c = Cholesky.decompose(Matrix.identity(3)).orElseThrow();
        e = assertThrows(IllegalArgumentException.class, () -> c.solve(new Matrix(4, 1)));
        assertTrue(e.getMessage().contains("3x3") && e.getMessage().contains("4x1"), e.getMessage());
    }

    @Test
    void symmetricEigenReconstructsWithOrthogonalVectors() {
        Rng rng = new Rng(32);
        for (int n : new int[] {1, 5, 30}) {
            Matrix a = Naive.symmetric(n, rng);
            SymmetricEigen e = SymmetricEigen.decompose(a).orElseThrow();
            Matrix q = e.vectors();
            double[] w = e.values();
            for (int i = 1; i < n; i++) {
                assertTrue(w[i - 1] <= w[i], "ascending eigenvalues");
            }
            Naive.assertClose(Naive.identity(n), Naive.multiply(Naive.transpose(q), q), 1e-13, "Q^T Q = I");
            Matrix lambda = Matrix.diagonal(w);
            Naive.assertClose(a, Naive.multiply(q, lambda, Naive.transpose(q)), 1e-13, "Q Λ Q^T = A");
            Naive.assertClose(a, e.reconstruct(), 1e-13, "reconstruct()");
            // A q_j = λ_j q_j
            Naive.assertClose(Naive.multiply(q, lambda), Naive.multiply(a, q), 1e-13, "A Q = Q Λ");
            double trace = 0;
            double sum = 0;
            for (int i = 0; i < n; i++) {
                trace += a.get(i, i);
                sum += w[i];
            }
            assertEquals(trace, sum, 1e-12 * n);
            assertEquals(Math.max(Math.abs(w[0]), Math.abs(w[n - 1])), e.spectralRadius(), 0);
        }
        // known spectrum: [[2,1],[1,2]] has eigenvalues 1 and 3
        double[] w = SymmetricEigen.decompose(Matrix.ofRows(new double[] {2, 1}, new double[] {1, 2}))
                .orElseThrow().values();
        assertEquals(1, w[0], 1e-15);
        assertEquals(3, w[1], 1e-15);
        Matrix psd = lowRankPsd(8, 3, rng);
        assertEquals(3, SymmetricEigen.decompose(psd).orElseThrow().rank(1e-10));
        assertTrue(SymmetricEigen.decompose(Matrix.filled(2, 2, Double.NaN)).isEmpty());
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> SymmetricEigen.decompose(new Matrix(3, 2)));
        assertTrue(ex.getMessage().contains("3x2"), ex.getMessage());
    }

    /** G G^T with G n x r: symmetric PSD of rank r. */
    static Matrix lowRankPsd(int n, int r, Rng rng) {
        Matrix g = Naive.gaussian(n, r, rng);
        return Naive.multiply(g, Naive.transpose(g));
    }

    @Test
    void svdReconstructsWithOrthonormalFactors() {
        Rng rng = new Rng(33);
        int[][] shapes = {{7, 4}, {4, 7}, {6, 6}, {1, 5}, {9, 1}};
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = Math.min(m, n);
            Matrix a = Naive.gaussian(m, n, rng);
            Svd svd = Svd.decompose(a).orElseThrow();
            Matrix u = svd.u();
            Matrix vt = svd.vt();
            double[] sv = svd.singularValues();
            assertEquals(m, u.rows());
            assertEquals(k, u.cols());
            assertEquals(k, vt.rows());
            assertEquals(n, vt.cols());
            for (int i = 0; i < k; i++) {
                assertTrue(sv[i] >= 0 && (i == 0 || sv[i] <= sv[i - 1]), "descending non-negative");
            }
            Naive.assertClose(Naive.identity(k), Naive.multiply(Naive.transpose(u), u), 1e-13, "U^T U = I");
            Naive.assertClose(Naive.identity(k), Naive.multiply(vt, Naive.transpose(vt)), 1e-13, "V^T V = I");
            Naive.assertClose(a, Naive.multiply(u, Matrix.diagonal(sv), vt), 1e-13, "U S V^T = A");
            Naive.assertClose(a, svd.reconstruct(), 1e-13, "reconstruct()");
            // squared singular values are the eigenvalues of A^T A (or A A^T), largest first
            Matrix gram = m >= n ? Naive.multiply(Naive.transpose(a), a) : Naive.multiply(a, Naive.transpose(a));
            double[] ev = SymmetricEigen.decompose(gram).orElseThrow().values();
            for (int i = 0; i < k; i++) {
                assertEquals(ev[k - 1 - i], sv[i] * sv[i], 1e-12 * ev[k - 1]);
            }
        }
        Matrix r2 = Naive.lowRank(8, 6, 2, rng);
        Svd svd = Svd.decompose(r2).orElseThrow();
        assertEquals(2, svd.rank(1e-10));
        Naive.assertClose(r2, svd.reconstruct(), 1e-13, "rank-2 reconstruct");
        assertTrue(Svd.decompose(Matrix.filled(2, 3, Double.POSITIVE_INFINITY)).isEmpty());
        Optional<Svd> empty = Svd.decompose(new Matrix(0, 3));
        assertEquals(0, empty.orElseThrow().singularValues().length);
    }

    @Test
    void qrGivesOrthonormalColumnsSpanningTheInput() {
        Rng rng = new Rng(34);
        for (int[] s : new int[][] {{9, 4}, {5, 5}, {6, 1}}) {
            int m = s[0], n = s[1];
            Matrix a = Naive.gaussian(m, n, rng);
            Matrix q = Qr.orthonormalColumns(a);
            assertEquals(m, q.rows());
            assertEquals(n, q.cols());
            Naive.assertClose(Naive.identity(n), Naive.multiply(Naive.transpose(q), q), 1e-14, "Q^T Q = I");
            // R = Q^T A is upper triangular with non-negative diagonal, and Q R = A
            Matrix r = Naive.multiply(Naive.transpose(q), a);
            for (int i = 0; i < n; i++) {
                assertTrue(r.get(i, i) >= 0, "R has a non-negative diagonal");
                for (int j = 0; j < i; j++) {
                    assertEquals(0, r.get(i, j), 1e-13 * Naive.maxAbs(a), "R is upper triangular");
                }
            }
            Naive.assertClose(a, Naive.multiply(q, r), 1e-13, "Q R = A");
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Qr.orthonormalColumns(new Matrix(2, 3)));
        assertTrue(e.getMessage().contains("2x3"), e.getMessage());
        ArithmeticException nan = assertThrows(ArithmeticException.class,
                () -> Qr.orthonormalColumns(Matrix.filled(3, 2, Double.NaN)));
        assertTrue(nan.getMessage().contains("Qr"), nan.getMessage());
    }
}
