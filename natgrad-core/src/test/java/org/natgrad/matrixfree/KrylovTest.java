package org.natgrad.matrixfree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.natgrad.curvature.DenseFisher;
import org.natgrad.likelihood.Categorical;
import org.natgrad.likelihood.Gaussian;
import org.natgrad.linalg.Inverses;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.linalg.SymmetricEigen;
import org.natgrad.nn.Activation;

/** CG, Lanczos and stochastic Lanczos quadrature against dense references of an exact Fisher. */
class KrylovTest {

    /** A tanh softmax classifier 4-6-3 (P = 51), M = 8: its exact Fisher has rank ≤ 2M = 16. */
    static Nets.Case classifier() {
        return Nets.make(new Categorical(), List.of(4, 6, 3), Activation.TANH, Activation.IDENTITY, true, 8, 77);
    }

    static Matrix fisher(Nets.Case c) {
        return DenseFisher.exact(c.net(), c.likelihood(), c.batch());
    }

    /**
     * (G + ρI) x = b with ρ = 1e-2, tolerance 1e-10: the returned residual is the true one, and the
     * error against a dense solve is within κ · tolerance (κ = (λ_max + ρ)/ρ from the dense spectrum).
     */
    @Test
    void conjugateGradientsMatchADenseSolve() {
        Nets.Case c = classifier();
        Matrix g = fisher(c);
        BatchCurvature bc = BatchCurvature.of(c.net(), c.likelihood(), c.batch());
        double rho = 1e-2;
        double tol = 1e-10;
        double[] b = bc.gradient().toFlat();
        ConjugateGradient.Result r = ConjugateGradient.solve(bc.ggnOperator(), b, rho, tol, 500);
        assertTrue(r.converged(), "converged: " + r);
        assertTrue(r.relativeResidual() <= tol);
        double[] ax = MatOps.gemv(1, g, false, r.solution(), 0, null);
        double res = 0;
        for (int i = 0; i < b.length; i++) {
            double d = b[i] - ax[i] - rho * r.solution()[i];
            res += d * d;
        }
        assertEquals(r.relativeResidual(), Math.sqrt(res) / ConjugateGradient.norm(b), 1e-12);
        double[] dense = MatOps.gemv(1, Inverses.dampedInverse(g, rho), false, b, 0, null);
        SymmetricEigen e = SymmetricEigen.decompose(g).orElseThrow();
        double kappa = (e.values()[e.size() - 1] + rho) / (Math.max(0, e.values()[0]) + rho);
        double err = Nets.relativeError(r.solution(), dense);
        assertTrue(err <= kappa * tol, "error " + err + " vs bound " + kappa * tol);
        // rank ≤ 16 plus the damping: CG needs at most 17 distinct eigenvalues, round-off aside
        assertTrue(r.iterations() <= 40, "iterations " + r.iterations());
        assertEquals(r.iterations() + 1, r.products(), "one residual check");
    }

    /**
     * ρ = 0 on a singular Fisher (bias-free linear 3-2-3: the GL(2) symmetry leaves a 4-dimensional null
     * space) with b = G w in its range: CG gives the minimum-norm solution G^+ b.
     */
    @Test
    void conjugateGradientsGiveTheMinimumNormSolutionWithoutDamping() {
        Nets.Case c = Nets.make(Gaussian.unit(), List.of(3, 2, 3), Activation.IDENTITY, Activation.IDENTITY, false,
                10, 5);
        Matrix g = fisher(c);
        SymmetricEigen e = SymmetricEigen.decompose(g).orElseThrow();
        assertEquals(8, e.rank(1e-10), "a 12-parameter network with a 4-dimensional null space");
        double[] b = MatOps.gemv(1, g, false, Nets.gaussian(12, 3), 0, null);
        double tol = 1e-12;
        ConjugateGradient.Result r = ConjugateGradient.solve(LinearOperator.of(g), b, 0, tol, 200);
        assertTrue(r.converged(), r.toString());
        double[] pinv = MatOps.gemv(1, e.pseudoInverse(1e-10), false, b, 0, null);
        double kappa = e.values()[11] / e.values()[4];     // over the non-zero eigenvalues
        assertTrue(Nets.relativeError(r.solution(), pinv) <= 10 * kappa * tol,
                "error " + Nets.relativeError(r.solution(), pinv) + ", kappa " + kappa);
    }

    @Test
    void conjugateGradientsReportTheCapAndRejectBadInput() {
        Nets.Case c = classifier();
        LinearOperator a = LinearOperator.of(fisher(c));
        double[] b = Nets.gaussian(a.size(), 1);
        ConjugateGradient.Result r = ConjugateGradient.solve(a, b, 1e-3, 1e-12, 2);
        assertFalse(r.converged());
        assertEquals(2, r.iterations());
        assertTrue(r.relativeResidual() > 1e-12);
        ConjugateGradient.Result zero = ConjugateGradient.solve(a, new double[a.size()], 1e-3, 1e-8, 10);
        assertTrue(zero.converged() && zero.iterations() == 0);
        assertThrows(IllegalArgumentException.class, () -> ConjugateGradient.solve(a, b, -1, 1e-8, 10));
        assertThrows(IllegalArgumentException.class, () -> ConjugateGradient.solve(a, b, 0, 0, 10));
        assertThrows(IllegalArgumentException.class, () -> ConjugateGradient.solve(a, new double[2], 0, 1e-8, 10));
    }

    /**
     * Top-3 Ritz values from 30 steps on the 51 x 51 Fisher against SymmetricEigen: below the
     * eigenvalues (interlacing, to 1e-12 λ_max), within 1e-8 λ_max of them, and within their own
     * residual of an eigenvalue; the basis is orthonormal and T = Q^T G Q (1e-12).
     */
    @Test
    void lanczosFindsTheTopEigenvalues() {
        Matrix g = fisher(classifier());
        SymmetricEigen e = SymmetricEigen.decompose(g).orElseThrow();
        double[] lambda = e.values();
        int p = lambda.length;
        double top = lambda[p - 1];
        Lanczos.Eigenpairs pairs = Lanczos.top(LinearOperator.of(g), 3, 30, 11);
        for (int j = 0; j < 3; j++) {
            double exact = lambda[p - 1 - j];
            double theta = pairs.values()[j];
            assertTrue(theta <= exact + 1e-12 * top, "interlacing " + j);
            assertEquals(exact, theta, 1e-8 * top, "eigenvalue " + j);
            double nearest = Double.MAX_VALUE;
            for (double l : lambda) {
                nearest = Math.min(nearest, Math.abs(l - theta));
            }
            assertTrue(nearest <= pairs.residuals()[j] + 1e-12 * top, "residual bound " + j);
            // the Ritz vector is the eigenvector up to sign
            double[] u = e.vectors().column(p - 1 - j);
            double cos = Math.abs(ConjugateGradient.dot(u, pairs.vectors().column(j)));
            assertEquals(1, cos, 1e-6, "eigenvector " + j);
        }
        Lanczos.Tridiagonal t = Lanczos.run(LinearOperator.of(g), Nets.gaussian(p, 2), 12);
        Matrix q = t.basis();
        assertTrue(MatOps.relativeError(MatOps.multiplyTransA(q, q), Matrix.identity(12)) < 1e-12);
        Matrix tq = MatOps.multiplyTransA(q, MatOps.multiply(g, q));
        assertTrue(MatOps.relativeError(tq, t.matrix()) < 1e-12);
    }

    /** On the rank-16 Fisher the Krylov space closes after at most 17 steps: every Ritz value is an eigenvalue. */
    @Test
    void lanczosStopsOnAnInvariantSubspace() {
        Matrix g = fisher(classifier());
        double[] lambda = SymmetricEigen.decompose(g).orElseThrow().values();
        Lanczos.Tridiagonal t = Lanczos.run(LinearOperator.of(g), Nets.gaussian(g.rows(), 4), 51);
        assertTrue(t.steps() <= 17, "steps " + t.steps());
        double top = lambda[lambda.length - 1];
        for (double theta : t.eigen().values()) {
            double nearest = Double.MAX_VALUE;
            for (double l : lambda) {
                nearest = Math.min(nearest, Math.abs(l - theta));
            }
            assertTrue(nearest < 1e-9 * top, "Ritz value " + theta + " is " + nearest + " from the spectrum");
        }
    }

    /**
     * Gauss quadrature is exact for degree ≤ 2m − 1: with m = 5 steps and given probes, Σ w θ^k equals
     * (1/n_v) Σ_v v^T G^k v / v^T v for k = 0..9 (1e-9 relative); the smoothed density integrates to 1.
     */
    @Test
    void stochasticLanczosQuadratureIsExactForLowMoments() {
        Matrix g = fisher(classifier());
        int p = g.rows();
        Matrix probes = TraceEstimator.rademacher(p, 4, new org.natgrad.random.Rng(8));
        SpectralDensity d = SpectralDensity.estimate(LinearOperator.of(g), probes, 5);
        for (int k = 0; k <= 9; k++) {
            double ref = 0;
            for (int v = 0; v < 4; v++) {
                double[] x = probes.column(v);
                double[] y = x.clone();
                for (int i = 0; i < k; i++) {
                    y = MatOps.gemv(1, g, false, y, 0, null);
                }
                ref += ConjugateGradient.dot(x, y) / ConjugateGradient.dot(x, x) / 4;
            }
            int kk = k;
            double moment = d.integrate(t -> Math.pow(t, kk));
            assertEquals(ref, moment, 1e-9 * Math.abs(ref), "moment " + k);
        }
        double[] grid = new double[4001];
        double lo = -1;
        double hi = SymmetricEigen.decompose(g).orElseThrow().spectralRadius() + 1;
        for (int i = 0; i < grid.length; i++) {
            grid[i] = lo + (hi - lo) * i / (grid.length - 1);
        }
        double[] rho = d.smoothed(grid, 0.05);
        double mass = 0;
        for (int i = 1; i < grid.length; i++) {
            mass += 0.5 * (rho[i] + rho[i - 1]) * (grid[i] - grid[i - 1]);
        }
        assertEquals(1, mass, 1e-6);
    }

    /**
     * The seeded SLQ trace P Σ w θ is Hutchinson's estimate (v^T v = P for Rademacher probes): within 4
     * standard deviations √(2(‖G‖_F² − Σ G_ii²)/n_v) of tr G with n_v = 30.
     */
    @Test
    void stochasticLanczosQuadratureEstimatesTheTrace() {
        Matrix g = fisher(classifier());
        SpectralDensity d = SpectralDensity.estimate(LinearOperator.of(g), 30, 8, 21);
        double sd = Math.sqrt(2 * offDiagonalSquares(g) / 30);
        assertEquals(g.trace(), d.trace(t -> t), 4 * sd);
        double sum = 0;
        for (double w : d.weights()) {
            sum += w;
        }
        assertEquals(1, sum, 1e-12);
    }

    /** Σ_{i≠j} A_ij². */
    static double offDiagonalSquares(Matrix a) {
        double f = MatOps.dot(a, a);
        for (int i = 0; i < a.rows(); i++) {
            f -= a.get(i, i) * a.get(i, i);
        }
        return f;
    }
}
