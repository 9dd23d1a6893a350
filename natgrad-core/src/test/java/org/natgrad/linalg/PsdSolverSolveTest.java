package org.natgrad.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.natgrad.random.Rng;

/** {@link PsdSolver#solve} and {@link PsdSolver#solveRight}: checked by their residuals. */
class PsdSolverSolveTest {

    private static Matrix gaussian(int r, int c, Rng rng) {
        Matrix m = new Matrix(r, c);
        rng.fillGaussian(m.data());
        return m;
    }

    /** ||(A + sI) X − B|| / ||B|| with A = S S^T formed here. */
    private static double leftResidual(Matrix s, double shift, Matrix x, Matrix b) {
        Matrix a = MatOps.addDiagonalInPlace(MatOps.multiplyTransB(s, s), shift);
        return MatOps.relativeError(MatOps.multiply(a, x), b);
    }

    private static double rightResidual(Matrix s, double shift, Matrix x, Matrix b) {
        Matrix a = MatOps.addDiagonalInPlace(MatOps.multiplyTransB(s, s), shift);
        return MatOps.relativeError(MatOps.multiply(x, a), b);
    }

    @Test
    void solvesMatchTheDampedSystemForEveryStrategyShapeAndRepeatedShift() {
        Rng rng = new Rng(7);
        int n = 12;
        Matrix s = gaussian(n, 30, rng);
        for (InverseStrategy st : new InverseStrategy[] {InverseStrategy.AUTO, InverseStrategy.CHOLESKY,
                InverseStrategy.EIGEN, InverseStrategy.SHERMAN_MORRISON}) {
            PsdSolver f = PsdSolver.of(s, st, false, 1);
            for (double shift : new double[] {0.3, 0.3, 0.3, 1e-3, 0.3}) { // new, reused, reused, new, back
                for (int k : new int[] {1, 5, n, 2 * n}) { // fewer and more right-hand sides than n
                    Matrix b = gaussian(n, k, rng);
                    assertEquals(0, leftResidual(s, shift, f.solve(shift, b), b), 1e-10, st + " left k=" + k);
                    Matrix c = gaussian(k, n, rng);
                    assertEquals(0, rightResidual(s, shift, f.solveRight(shift, c), c), 1e-10, st + " right k=" + k);
                }
            }
        }
    }

    @Test
    void rankDeficientFactorWithTinyShiftStillSolves() {
        // A = S S^T of rank 3 in 10 dimensions: A + 1e-6 I is positive definite but ill-conditioned.
        Rng rng = new Rng(8);
        Matrix s = gaussian(10, 3, rng);
        PsdSolver f = PsdSolver.of(s, InverseStrategy.CHOLESKY, false, 1);
        Matrix b = gaussian(10, 4, rng);
        assertEquals(0, leftResidual(s, 1e-6, f.solve(1e-6, b), b), 1e-8);
    }

    @Test
    void roundOffIndefiniteFactorWithNegligibleShiftFallsBackLikeEigen() {
        // A = s s^T of rank 1 in 8 dimensions: its 7 zero eigenvalues come out of syrk as ±round-off,
        // so A + 1e-30 I is not numerically positive definite. CHOLESKY must not fail; like EIGEN it
        // counts the round-off negative eigenvalues as 0.
        Rng rng = new Rng(10);
        Matrix s = gaussian(8, 1, rng);
        double shift = 1e-30;
        Matrix viaCholesky = PsdSolver.of(s, InverseStrategy.CHOLESKY, false, 1).inverse(shift);
        Matrix viaEigen = PsdSolver.of(s, InverseStrategy.EIGEN, false, 1).inverse(shift);
        assertEquals(true, viaCholesky.isFinite());
        assertEquals(0, MatOps.relativeError(viaCholesky, viaEigen), 1e-12);
        Matrix b = gaussian(8, 2, rng);
        assertEquals(true, PsdSolver.of(s, InverseStrategy.CHOLESKY, false, 1).solve(shift, b).isFinite());
    }

    @Test
    void shapeMismatchIsNamed() {
        PsdSolver f = PsdSolver.of(gaussian(4, 6, new Rng(9)), InverseStrategy.CHOLESKY, false, 1);
        var e = assertThrows(IllegalArgumentException.class, () -> f.solve(0.1, new Matrix(3, 2)));
        assertEquals(true, e.getMessage().contains("4x4") && e.getMessage().contains("3x2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> f.solveRight(0.1, new Matrix(2, 3)));
    }
}
