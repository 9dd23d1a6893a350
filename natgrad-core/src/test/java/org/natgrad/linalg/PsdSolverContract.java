package org.natgrad.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.natgrad.random.Rng;

/**
 * The contract of every {@link PsdSolver} (one subclass per implementation and precision, in
 * {@link PsdSolverContractTest}): {@code solve}, {@code solveRight}, {@code multiply} and
 * {@code inverse} against a dense reference that uses no factorization of A at all. A is built
 * from a chosen eigendecomposition A = Q diag(λ) Q^T (Q orthonormal n x n, the Q factor of a
 * Gaussian matrix), so f(A) = Q diag(f(λ)) Q^T is known in closed form: (A + sI)^{-1} with
 * f(λ) = 1/(λ + s), and the pseudo-inverse A^+ with f(0) = 0. The reference products are the naive
 * triple loops of {@link Naive}. Two matrices of size n = 12, each handed to the solver as samples
 * S (n x K) with S S^T = A:
 * <ul>
 *   <li>rank 5 (λ = 4, 2.5, 1.5, 1, 0.5 and seven zeros), S = Q_5 diag(√λ) (K = 5 &lt; n: the
 *       data-space paths), with shifts 0 (the pseudo-inverse of a rank-deficient matrix), 0.3,
 *       0.3 again (a cached shift), 2 and 1e-3;</li>
 *   <li>full rank (λ from 0.5 to 4), S = Q diag(√λ) W^T with W (20 x 12) orthonormal (K = 20 &gt; n),
 *       with shifts 0 (the true inverse) and 0.3.</li>
 * </ul>
 * Tolerance (relative Frobenius error): 1e-10 in double precision; 1e-4 in single precision,
 * float32 round-off (6e-8) times the condition number of A + sI, at most (4 + 1e-3)/1e-3 ≈ 4000
 * (only the Cholesky solver works in single precision, and its shift 0 goes to double).
 */
abstract class PsdSolverContract {
    static final int N = 12;
    static final double[] RANK_DEFICIENT = {4, 2.5, 1.5, 1, 0.5, 0, 0, 0, 0, 0, 0, 0};

    private final InverseStrategy strategy;
    private final Function<Matrix, PsdSolver> factory;

    /**
     * @param strategy the strategy the solver reports
     * @param factory the solver under test for A = S S^T from S (n x K)
     */
    PsdSolverContract(InverseStrategy strategy, Function<Matrix, PsdSolver> factory) {
        this.strategy = strategy;
        this.factory = factory;
    }

    /** The relative tolerance: 1e-10 in double precision. */
    double tolerance() {
        return 1e-10;
    }

    /** The precision the solver reports. */
    FactorPrecision precision() {
        return FactorPrecision.DOUBLE;
    }

    /** False for solvers that refuse shift 0 (an {@link IllegalArgumentException}). */
    boolean pseudoInverses() {
        return true;
    }

    private static Matrix orthonormal(int r, int c, Rng rng) {
        return Qr.orthonormalColumns(Naive.gaussian(r, c, rng));
    }

    /** Q diag(f) Q^T by naive loops. */
    static Matrix spectral(Matrix q, double[] f) {
        Matrix qf = q.copy();
        for (int j = 0; j < f.length; j++) {
            for (int i = 0; i < q.rows(); i++) {
                qf.set(i, j, q.get(i, j) * f[j]);
            }
        }
        return Naive.multiply(qf, Naive.transpose(q));
    }

    private static double[] inverted(double[] lambda, double shift) {
        double[] f = new double[lambda.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = lambda[i] + shift > 0 ? 1 / (lambda[i] + shift) : 0;
        }
        return f;
    }

    private static double[] sqrt(double[] lambda) {
        double[] f = new double[lambda.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = Math.sqrt(lambda[i]);
        }
        return f;
    }

    private void check(Matrix q, double[] lambda, Matrix samples, double[] shifts, Rng rng) {
        PsdSolver p = factory.apply(samples);
        assertEquals(N, p.size());
        assertEquals(strategy, p.strategy());
        assertEquals(precision(), p.precision());
        double tol = tolerance();
        Matrix b = Naive.gaussian(N, 3, rng);
        Matrix wide = Naive.gaussian(N, 2 * N, rng);
        Matrix c = Naive.gaussian(3, N, rng);
        assertTrue(MatOps.relativeError(p.multiply(b), Naive.multiply(spectral(q, lambda), b)) < tol, "multiply");
        for (double shift : shifts) {
            if (shift == 0 && !pseudoInverses()) {
                assertThrows(IllegalArgumentException.class, () -> p.solve(0, b));
                continue;
            }
            Matrix inv = spectral(q, inverted(lambda, shift));
            String at = " at shift " + shift;
            assertTrue(MatOps.relativeError(p.solve(shift, b), Naive.multiply(inv, b)) < tol, "solve" + at);
            assertTrue(MatOps.relativeError(p.solve(shift, wide), Naive.multiply(inv, wide)) < tol, "solve n x 2n" + at);
            assertTrue(MatOps.relativeError(p.solveRight(shift, c), Naive.multiply(c, inv)) < tol, "solveRight" + at);
            assertTrue(MatOps.relativeError(p.inverse(shift), inv) < tol, "inverse" + at);
            double[] v = b.column(0);
            assertTrue(MatOps.relativeError(Matrix.column(p.solve(shift, v)), Naive.multiply(inv, Matrix.column(v)))
                    < tol, "solve of a vector" + at);
        }
        assertTrue(p.bytes() >= 0);
        assertThrows(IllegalArgumentException.class, () -> p.solve(-1, b));
        assertThrows(IllegalArgumentException.class, () -> p.solve(Double.NaN, b));
        assertThrows(IllegalArgumentException.class, () -> p.solve(0.3, new Matrix(N + 1, 2)));
        assertThrows(IllegalArgumentException.class, () -> p.solveRight(0.3, new Matrix(2, N + 1)));
    }

    @Test
    void rankDeficientWithFewerSamplesThanRows() {
        Rng rng = new Rng(31);
        Matrix q = orthonormal(N, N, rng);
        Matrix samples = Naive.multiply(q.columns(0, 5), Matrix.diagonal(sqrt(java.util.Arrays.copyOf(RANK_DEFICIENT, 5))));
        check(q, RANK_DEFICIENT, samples, new double[] {0, 0.3, 0.3, 2.0, 1e-3}, rng);
    }

    @Test
    void fullRankWithMoreSamplesThanRows() {
        Rng rng = new Rng(32);
        Matrix q = orthonormal(N, N, rng);
        double[] lambda = new double[N];
        for (int j = 0; j < N; j++) {
            lambda[j] = 0.5 + 3.5 * j / (N - 1);
        }
        Matrix w = orthonormal(20, N, rng);
        Matrix samples = Naive.multiply(Naive.multiply(q, Matrix.diagonal(sqrt(lambda))), Naive.transpose(w));
        check(q, lambda, samples, new double[] {0, 0.3}, rng);
    }
}
