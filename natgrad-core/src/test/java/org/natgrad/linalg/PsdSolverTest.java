package org.natgrad.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.natgrad.random.Rng;

class PsdSolverTest {

    static Matrix gaussian(int r, int c, Rng rng) {
        Matrix m = new Matrix(r, c);
        rng.fillGaussian(m.data());
        return m;
    }

    /** Reference (A + sI)^{-1} (or A^+ for s = 0) through a dense SVD, an algorithm none of the strategies uses as is. */
    static Matrix reference(Matrix samples, double shift) {
        Matrix a = MatOps.addDiagonalInPlace(MatOps.syrk(1, samples, false, 0, null), shift);
        return Svd.decompose(a).orElseThrow().pseudoInverse(1e-10);
    }

    @Test
    void everyStrategyMatchesTheDenseDampedInverse() {
        Rng rng = new Rng(1);
        Matrix s = MatOps.scaleInPlace(0.3, gaussian(12, 30, rng));
        for (InverseStrategy st : InverseStrategy.values()) {
            PsdSolver inv = PsdSolver.of(s, st, false, 5);
            for (double shift : new double[] {0.1, 3.0, 0.1}) {
                assertEquals(0, MatOps.relativeError(inv.inverse(shift), reference(s, shift)), 1e-10, st + " at " + shift);
            }
        }
    }

    @Test
    void pseudoInversesOfARankDeficientFactor() {
        Rng rng = new Rng(2);
        Matrix s = gaussian(10, 4, rng); // A = S S^T has rank 4 < 10
        for (InverseStrategy st : new InverseStrategy[] {InverseStrategy.AUTO, InverseStrategy.EIGEN,
                InverseStrategy.CHOLESKY, InverseStrategy.RANDOMIZED_SVD}) {
            PsdSolver inv = PsdSolver.of(s, st, true, 5);
            assertEquals(0, MatOps.relativeError(inv.inverse(0), reference(s, 0)), 1e-9, st.toString());
        }
        assertThrows(IllegalArgumentException.class,
                () -> PsdSolver.of(s, InverseStrategy.SHERMAN_MORRISON, false, 0).inverse(0));
    }

    @Test
    void randomizedSvdIsExactForLowRankWideFactorsAndApproximateOtherwise() {
        Rng rng = new Rng(3);
        int n = 120;
        // rank 8 < RANDOMIZED_RANK: the range finder captures it, so the inverse is exact up to round-off
        Matrix lowRank = MatOps.multiply(gaussian(n, 8, rng), gaussian(8, 200, rng));
        PsdSolver inv = PsdSolver.of(lowRank, InverseStrategy.RANDOMIZED_SVD, false, 9);
        assertEquals(0, MatOps.relativeError(inv.inverse(0.5), reference(lowRank, 0.5)), 1e-9);
        assertEquals(0, MatOps.relativeError(inv.inverse(0), reference(lowRank, 0)), 1e-8);
        // full rank with a geometric spectrum e_j = 4^-j: the tail beyond rank 32 is below 4^-32 ≈ 5e-20,
        // so (A + I)^{-1} is reproduced to ~1e-12 in relative Frobenius norm
        Matrix q = Qr.orthonormalColumns(gaussian(n, n, rng));
        Matrix sc = q.copy();
        for (int j = 0; j < n; j++) {
            double d = Math.pow(2, -j);
            for (int i = 0; i < n; i++) {
                sc.set(i, j, sc.get(i, j) * d);
            }
        }
        PsdSolver full = PsdSolver.of(sc, InverseStrategy.RANDOMIZED_SVD, false, 10);
        assertEquals(0, MatOps.relativeError(full.inverse(1.0), reference(sc, 1.0)), 1e-10);
    }

    @Test
    void autoPicksBySize() {
        assertEquals(InverseStrategy.EIGEN, PsdSolver.resolve(InverseStrategy.AUTO, PsdSolver.AUTO_EIGEN_MAX_SIZE, false));
        assertEquals(InverseStrategy.CHOLESKY,
                PsdSolver.resolve(InverseStrategy.AUTO, PsdSolver.AUTO_EIGEN_MAX_SIZE + 1, false));
        assertEquals(InverseStrategy.EIGEN,
                PsdSolver.resolve(InverseStrategy.AUTO, PsdSolver.AUTO_EIGEN_MAX_SIZE + 1, true));
    }

    @Test
    void nonFiniteSamplesAreNamed() {
        Matrix s = new Matrix(3, 2);
        s.set(1, 1, Double.NaN);
        var ex = assertThrows(ArithmeticException.class, () -> PsdSolver.of(s, InverseStrategy.EIGEN, false, 0));
        assertEquals(true, ex.getMessage().contains("(1, 1)"), ex.getMessage());
    }
}
