package org.natgrad.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.natgrad.random.Rng;

/**
 * Pseudo-inverse by the four Penrose conditions (on rank-deficient rectangular, symmetric PSD and
 * symmetric indefinite matrices), the generalized-inverse family of math.md §1, and the damped
 * inverse by (A + cI) X = I. All products by {@link Naive} loops.
 */
class InversesTest {

    private static void assertPenrose(Matrix a, Matrix x, double tol, String what) {
        assertEquals(a.cols(), x.rows(), what + ": pinv rows");
        assertEquals(a.rows(), x.cols(), what + ": pinv cols");
        Matrix ax = Naive.multiply(a, x);
        Matrix xa = Naive.multiply(x, a);
        Naive.assertClose(a, Naive.multiply(ax, a), tol, what + ": A X A = A");
        Naive.assertClose(x, Naive.multiply(xa, x), tol * Math.max(1, Naive.maxAbs(x)), what + ": X A X = X");
        Naive.assertClose(Naive.transpose(ax), ax, tol, what + ": (AX)^T = AX");
        Naive.assertClose(Naive.transpose(xa), xa, tol, what + ": (XA)^T = XA");
    }

    @Test
    void pseudoInverseSatisfiesPenroseConditions() {
        Rng rng = new Rng(41);
        // rectangular rank-deficient, both orientations
        for (int[] s : new int[][] {{7, 5, 3}, {5, 9, 2}, {6, 4, 4}, {4, 6, 4}}) {
            Matrix a = Naive.lowRank(s[0], s[1], s[2], rng);
            Matrix x = Inverses.pseudoInverse(a, Inverses.DEFAULT_REL_TOL);
            assertPenrose(a, x, 1e-12, "rank " + s[2] + " " + a.shape());
            assertEquals(s[2], Svd.decompose(x).orElseThrow().rank(1e-10), "pinv has the same rank");
        }
        // symmetric PSD, rank deficient (the Fisher case; goes through the eigen path)
        Matrix psd = FactorizationsTest.lowRankPsd(9, 4, rng);
        assertPenrose(psd, Inverses.pseudoInverse(psd, Inverses.DEFAULT_REL_TOL), 1e-12, "PSD rank 4");
        // symmetric indefinite, rank deficient
        Matrix b = Naive.gaussian(7, 3, rng);
        Matrix ind = Naive.multiply(b, Matrix.diagonal(new double[] {2, -1, 0.5}), Naive.transpose(b));
        assertPenrose(ind, Inverses.pseudoInverse(ind, Inverses.DEFAULT_REL_TOL), 1e-12, "indefinite rank 3");
        // full column rank: A^+ = (A^T A)^-1 A^T
        Matrix tall = Naive.gaussian(8, 3, rng);
        Matrix ref = Naive.multiply(Naive.inverse(Naive.multiply(Naive.transpose(tall), tall)), Naive.transpose(tall));
        Naive.assertClose(ref, Inverses.pseudoInverse(tall, Inverses.DEFAULT_REL_TOL), 1e-12, "full-rank pinv");
        // zero matrix: pinv is zero of the transposed shape
        Matrix z = Inverses.pseudoInverse(new Matrix(3, 2), Inverses.DEFAULT_REL_TOL);
        assertEquals(2, z.rows());
        assertEquals(3, z.cols());
        assertEquals(0, Naive.maxAbs(z), 0);
        // known value: pinv of [1 1; 1 1] is [1 1; 1 1] / 4
        Naive.assertClose(Matrix.filled(2, 2, 0.25), Inverses.pseudoInverse(Matrix.filled(2, 2, 1), 1e-10), 1e-15,
                "pinv of ones");
    }

    /** math.md §1: F^g = F^+ + Z - F^+ F Z F F^+ is a generalized inverse for every Z. */
    @Test
    void randomGeneralizedInversesSatisfyFFgF() {
        Rng rng = new Rng(42);
        for (int[] s : new int[][] {{6, 6, 3}, {7, 4, 2}, {4, 8, 3}}) {
            Matrix f = s[0] == s[1] ? FactorizationsTest.lowRankPsd(s[0], s[2], rng) : Naive.lowRank(s[0], s[1], s[2], rng);
            Matrix fp = Inverses.pseudoInverse(f, Inverses.DEFAULT_REL_TOL);
            for (int trial = 0; trial < 3; trial++) {
                Matrix zz = Naive.gaussian(f.cols(), f.rows(), rng);
                Matrix correction = Naive.multiply(Naive.multiply(fp, f, zz), Naive.multiply(f, fp));
                Matrix fg = Naive.combine(1, Naive.combine(1, fp, 1, zz), -1, correction);
                Matrix ffgf = Naive.multiply(f, fg, f);
                Naive.assertClose(f, ffgf, 1e-11, "F F^g F = F for " + f.shape());
                // a random Z makes F^g differ from F^+ (so the check is not vacuous)
                assertTrue(Naive.maxAbsDiff(fg, fp) > 1e-3);
            }
        }
    }

    @Test
    void pseudoInverseRejectsNonFiniteInputNamingThePosition() {
        Matrix a = new Matrix(3, 2);
        a.set(2, 1, Double.NaN);
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> Inverses.pseudoInverse(a, 1e-10));
        assertTrue(e.getMessage().contains("pseudoInverse") && e.getMessage().contains("(2, 1)")
                && e.getMessage().contains("3x2"), e.getMessage());
    }

    @Test
    void dampedInverseInvertsShiftedMatrix() {
        Rng rng = new Rng(43);
        double[] dampings = {1e-3, 0.5, 10};
        Matrix[] cases = {Naive.spd(6, 1, rng), FactorizationsTest.lowRankPsd(8, 3, rng), new Matrix(4, 4)};
        for (Matrix a : cases) {
            for (double c : dampings) {
                Matrix x = Inverses.dampedInverse(a, c);
                Matrix shifted = Naive.combine(1, a, c, Naive.identity(a.rows()));
                // residual relative to the condition of A + cI: |(A + cI) X - I| <= tol * |A+cI| |X|
                Matrix r = Naive.combine(1, Naive.multiply(shifted, x), -1, Naive.identity(a.rows()));
                double bound = 1e-13 * a.rows() * Naive.maxAbs(shifted) * Naive.maxAbs(x);
                assertTrue(Naive.maxAbs(r) <= bound, "residual " + Naive.maxAbs(r) + " > " + bound
                        + " for damping " + c + " on " + a.shape());
                assertEquals(x, Naive.transpose(x), "damped inverse is exactly symmetric");
            }
        }
        // eigen route agrees with the Cholesky route
        Matrix psd = FactorizationsTest.lowRankPsd(5, 2, rng);
        Naive.assertClose(Inverses.dampedInverse(psd, 0.1),
                SymmetricEigen.decompose(psd).orElseThrow().dampedInverse(0.1), 1e-12, "eigen damped inverse");
    }

    @Test
    void dampedInverseRejectsBadInput() {
        Matrix a = Matrix.identity(2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Inverses.dampedInverse(a, -1));
        assertTrue(e.getMessage().contains("damping"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Inverses.dampedInverse(a, Double.NaN));
        ArithmeticException nan = assertThrows(ArithmeticException.class,
                () -> Inverses.dampedInverse(Matrix.filled(2, 2, Double.NaN), 1));
        assertTrue(nan.getMessage().contains("dampedInverse"), nan.getMessage());
        // an indefinite matrix whose shift stays indefinite: λ = -2 with damping 1
        Matrix ind = Matrix.diagonal(new double[] {-2, 3});
        ArithmeticException ex = assertThrows(ArithmeticException.class, () -> Inverses.dampedInverse(ind, 1));
        assertTrue(ex.getMessage().contains("-2"), ex.getMessage());
        // slightly indefinite but the damping dominates: works
        Matrix x = Inverses.dampedInverse(Matrix.diagonal(new double[] {-1e-3, 3}), 0.1);
        assertEquals(1 / (0.1 - 1e-3), x.get(0, 0), 1e-12);
    }

    @Test
    void zeroDampingOnASingularMatrixIsAClearErrorNotAnInverseOfRoundOff() {
        // rank 2 in 3 dimensions: u u^T + v v^T; Cholesky may "succeed" on its round-off
        Matrix u = new Matrix(3, 2, new double[] {1, 2, 3, -1, 0.5, 2});
        Matrix singular = MatOps.multiply(u, u.transpose());
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> Inverses.dampedInverse(singular, 0));
        assertTrue(e.getMessage().contains("singular") && e.getMessage().contains("pseudoInverse"), e.getMessage());
        assertThrows(ArithmeticException.class, () -> Inverses.dampedInverse(new Matrix(2, 2), 0));
        // positive definite but ill-conditioned (cond 1e10) is still inverted, and exactly
        Matrix ill = Matrix.diagonal(new double[] {1e-10, 1});
        Matrix inv = Inverses.dampedInverse(ill, 0);
        assertEquals(1e10, inv.get(0, 0), 1e-2);
        assertEquals(1, inv.get(1, 1), 1e-15);
        // the same singular matrix with damping > 0 is fine: (A + I) (A + I)^{-1} = I
        Matrix damped = Inverses.dampedInverse(singular, 1);
        Naive.assertClose(MatOps.multiply(MatOps.addDiagonalInPlace(singular.copy(), 1), damped), Matrix.identity(3),
                1e-12, "damped inverse of a singular matrix");
    }
}
