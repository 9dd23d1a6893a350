package org.natgrad.matrixfree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;

/**
 * Hutchinson and Hutch++ against the exact trace and diagonal of a dense exact Fisher (the 4-6-3 tanh
 * classifier, P = 51), each within a tolerance from the estimator's own variance, with fixed seeds:
 * 4 standard deviations for a trace, and 4 times the expected squared error Σ_i Var_i for a diagonal.
 */
class TraceEstimatorTest {
    private static final Nets.Case CASE = KrylovTest.classifier();
    private static final Matrix G = KrylovTest.fisher(CASE);

    @Test
    void hutchinsonTraceWithinItsStandardDeviation() {
        int s = 200;
        TraceEstimator.Estimate est = TraceEstimator.hutchinson(LinearOperator.of(G), s, 3);
        double sd = Math.sqrt(2 * KrylovTest.offDiagonalSquares(G) / s);
        assertEquals(G.trace(), est.value(), 4 * sd);
        assertEquals(s, est.products());
        // the reported standard error estimates sd (within a factor 2 at 200 probes)
        assertTrue(est.standardError() > sd / 2 && est.standardError() < 2 * sd, est.standardError() + " vs " + sd);
        // the same probes through the matrix-free GGN give the same estimate
        BatchCurvature bc = BatchCurvature.of(CASE.net(), CASE.likelihood(), CASE.batch());
        assertEquals(est.value(), TraceEstimator.hutchinson(bc.ggnOperator(), s, 3).value(), 1e-10 * Math.abs(est.value()));
    }

    @Test
    void hutchinsonDiagonalWithinItsVariance() {
        int s = 200;
        double[] d = TraceEstimator.hutchinsonDiagonal(LinearOperator.of(G), s, 4).values();
        double sq = 0;
        for (int i = 0; i < d.length; i++) {
            sq += (d[i] - G.get(i, i)) * (d[i] - G.get(i, i));
        }
        double expected = KrylovTest.offDiagonalSquares(G) / s;     // Σ_i Σ_{j≠i} G_ij² / s
        assertTrue(sq <= 4 * expected, "squared error " + sq + " vs expected " + expected);
    }

    /**
     * Hutch++ with 60 products: the error is within 4 standard deviations of its Monte Carlo part,
     * √(2(‖A_r‖_F² − Σ diag(A_r)²)/probes) for the deflated A_r = (I − QQ^T) G (I − QQ^T) of its own basis
     * Q; and that deviation is below plain Hutchinson's at the same budget (the Fisher's spectrum decays).
     */
    @Test
    void hutchPlusPlusTraceWithinTheDeflatedVariance() {
        int budget = 60;
        TraceEstimator.Estimate est = TraceEstimator.hutchPlusPlus(LinearOperator.of(G), budget, 5);
        Matrix q = est.basis();
        assertEquals(20, q.cols());
        assertEquals(budget, est.products());
        Matrix proj = MatOps.subtract(Matrix.identity(G.rows()), MatOps.multiplyTransB(q, q), null);
        Matrix ar = MatOps.multiply(proj, MatOps.multiply(G, proj));
        int probes = budget - 2 * q.cols();
        double sd = Math.sqrt(2 * KrylovTest.offDiagonalSquares(ar) / probes);
        assertEquals(G.trace(), est.value(), 4 * sd + 1e-12 * G.trace());
        double hutchinsonSd = Math.sqrt(2 * KrylovTest.offDiagonalSquares(G) / budget);
        assertTrue(sd < hutchinsonSd, sd + " vs " + hutchinsonSd);
    }

    /** Diag++ with 60 products: squared error within 4 Σ_i Σ_{j≠i} B_ij² / probes for B = (I − QQ^T) G. */
    @Test
    void hutchPlusPlusDiagonalWithinTheDeflatedVariance() {
        int budget = 60;
        TraceEstimator.DiagonalEstimate est = TraceEstimator.hutchPlusPlusDiagonal(LinearOperator.of(G), budget, 6);
        Matrix q = est.basis();
        Matrix proj = MatOps.subtract(Matrix.identity(G.rows()), MatOps.multiplyTransB(q, q), null);
        Matrix b = MatOps.multiply(proj, G);
        int probes = budget - 2 * q.cols();
        double expected = KrylovTest.offDiagonalSquares(b) / probes;
        double sq = 0;
        for (int i = 0; i < G.rows(); i++) {
            sq += Math.pow(est.values()[i] - G.get(i, i), 2);
        }
        assertTrue(sq <= 4 * expected + 1e-24, "squared error " + sq + " vs expected " + expected);
    }

    /** A budget of 3P covers the whole space (k = P): Hutch++ is then exact. */
    @Test
    void hutchPlusPlusIsExactWithAFullSketch() {
        int p = G.rows();
        TraceEstimator.Estimate est = TraceEstimator.hutchPlusPlus(LinearOperator.of(G), 3 * p, 7);
        assertEquals(G.trace(), est.value(), 1e-10 * G.trace());
        double[] d = TraceEstimator.hutchPlusPlusDiagonal(LinearOperator.of(G), 3 * p, 7).values();
        for (int i = 0; i < p; i++) {
            assertEquals(G.get(i, i), d[i], 1e-10 * G.trace());
        }
    }

    @Test
    void deterministicAndRejectsBadBudgets() {
        LinearOperator a = LinearOperator.of(G);
        assertEquals(TraceEstimator.hutchPlusPlus(a, 30, 9).value(), TraceEstimator.hutchPlusPlus(a, 30, 9).value());
        assertThrows(IllegalArgumentException.class, () -> TraceEstimator.hutchinson(a, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> TraceEstimator.hutchPlusPlus(a, 2, 1));
    }
}
