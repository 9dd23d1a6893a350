package org.natgrad.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.natgrad.curvature.Curvature;
import org.natgrad.curvature.CurvatureChoice;
import org.natgrad.curvature.DenseFisher;
import org.natgrad.curvature.TinyNetworks;
import org.natgrad.likelihood.Categorical;
import org.natgrad.linalg.Inverses;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.linalg.SymmetricEigen;
import org.natgrad.matrixfree.LinearOperator;
import org.natgrad.nn.Activation;
import org.natgrad.nn.Batch;
import org.natgrad.nn.Init;
import org.natgrad.nn.Network;
import org.natgrad.random.Rng;
import org.natgrad.statistics.CurvatureKind;
import org.natgrad.statistics.CurvatureStatistics;
import org.natgrad.statistics.Gradients;

/** ApproximationQuality with the exact natural gradient solved by CG on matrix-free Fisher products. */
class MatrixFreeQualityTest {
    private static final List<CurvatureChoice> CHOICES = List.of(CurvatureChoice.KFAC, CurvatureChoice.EQ20,
            CurvatureChoice.BLOCK_DIAGONAL, CurvatureChoice.DIAGONAL);

    /**
     * On small networks the CG path and the dense path agree: d* from CG is within ε = κ · tolerance of
     * the dense solve (κ = (λ_max + ρ)/(λ_min + ρ) from the dense Fisher), so each angle differs by at most
     * ε radians and each relative error by at most (1 + relative error) · ε / (1 − ε) (plus 1e-9 for the
     * dense path's own round-off).
     */
    @Test
    void cgPathAgreesWithTheDensePath() {
        double rho = 1e-3;
        double tol = 1e-10;
        for (TinyNetworks.Task t : List.of(TinyNetworks.tanhMlp(6), TinyNetworks.softmaxClassifier(7))) {
            List<ApproximationQuality> dense = ApproximationQuality.measure(t.net(), t.likelihood(), t.batch(),
                    CurvatureKind.exact(), rho, CHOICES);
            ApproximationQuality.Measurement cg = ApproximationQuality.measureMatrixFree(t.net(), t.likelihood(),
                    t.batch(), CurvatureKind.exact(), rho, CHOICES, tol, 1000);
            assertTrue(cg.exactSolve().converged() && cg.exactSolve().relativeResidual() <= tol, t + ": " + cg.exactSolve());
            double[] lambda = SymmetricEigen.decompose(DenseFisher.exact(t.net(), t.likelihood(), t.batch()))
                    .orElseThrow().values();
            double eps = (lambda[lambda.length - 1] + rho) / (Math.max(0, lambda[0]) + rho) * tol;
            for (int i = 0; i < CHOICES.size(); i++) {
                ApproximationQuality a = dense.get(i);
                ApproximationQuality b = cg.qualities().get(i);
                assertEquals(a.choice(), b.choice());
                assertEquals(a.angleDegrees(), b.angleDegrees(), Math.toDegrees(eps) + 1e-9, t + " " + a.choice());
                double errBound = (1 + a.relativeError()) * eps / (1 - eps) + 1e-9;
                assertEquals(a.relativeError(), b.relativeError(), errBound, t + " " + a.choice());
                assertEquals(a.normRatio(), b.normRatio(), errBound, t + " " + a.choice());
            }
        }
    }

    /** The Monte Carlo kind uses the statistics' own Fisher S S^T: the same agreement with its dense path. */
    @Test
    void cgPathAgreesForTheMonteCarloKind() {
        TinyNetworks.Task t = TinyNetworks.softmaxClassifier(7);
        double rho = 1e-2;
        List<ApproximationQuality> dense = ApproximationQuality.measure(t.net(), t.likelihood(), t.batch(),
                CurvatureKind.monteCarlo(2, new Rng(5)), rho, List.of(CurvatureChoice.KFAC));
        ApproximationQuality.Measurement cg = ApproximationQuality.measureMatrixFree(t.net(), t.likelihood(),
                t.batch(), CurvatureKind.monteCarlo(2, new Rng(5)), rho, List.of(CurvatureChoice.KFAC), 1e-10, 1000);
        assertEquals(dense.get(0).angleDegrees(), cg.qualities().get(0).angleDegrees(), 1e-5);
        assertEquals(dense.get(0).relativeError(), cg.qualities().get(0).relativeError(), 1e-7);
    }

    /**
     * A 20-140-10 tanh classifier (P = 4350 > 4096) on M = 440 examples (K = 4400 exact-Fisher samples ≥ P,
     * so no data-space solve either): measure now works, through CG. Its d* solves (F + ρI) d = ∇L to the
     * tolerance, checked with the statistics' products S S^T (independent of the R-operator), and EXACT
     * against itself is 0. Under 5 s.
     */
    @Test
    void measuresANetworkAboveTheDenseLimit() {
        Rng rng = new Rng(17);
        Network net = Network.dense(List.of(20, 140, 10), Activation.TANH, Activation.IDENTITY, true,
                new Init.Gaussian(1.0), rng);
        int m = 440;
        Matrix x = new Matrix(20, m);
        rng.fillGaussian(x.data());
        Matrix y = new Matrix(10, m);
        for (int j = 0; j < m; j++) {
            y.set(rng.nextInt(10), j, 1);
        }
        Batch batch = new Batch(x, y);
        assertEquals(4350, net.parameterCount());
        assertTrue(net.parameterCount() > CurvatureStatistics.MAX_DENSE_PARAMETERS);
        double rho = 1e-2;
        long start = System.nanoTime();
        List<CurvatureChoice> choices = List.of(CurvatureChoice.EXACT, CurvatureChoice.KFAC, CurvatureChoice.DIAGONAL);
        List<ApproximationQuality> qs = ApproximationQuality.measure(net, new Categorical(), batch,
                CurvatureKind.exact(), rho, choices);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds < 5, "took " + seconds + " s");
        assertEquals(0, qs.get(0).relativeError(), 0);
        for (ApproximationQuality q : qs.subList(1, 3)) {
            assertTrue(Double.isFinite(q.angleDegrees()) && q.angleDegrees() > 0 && q.angleDegrees() < 90, q.toString());
        }
        ApproximationQuality.Measurement mf = ApproximationQuality.measureMatrixFree(net, new Categorical(), batch,
                CurvatureKind.exact(), rho, choices.subList(1, 2), ApproximationQuality.CG_TOLERANCE,
                ApproximationQuality.CG_MAX_ITERATIONS);
        assertEquals(qs.get(1), mf.qualities().get(0), "measure takes this path above the limit");
        double[] d = mf.exactSolve().solution();
        double[] g = Gradients.of(net, new Categorical(), batch).gradient().toFlat();
        double[] fd = LinearOperator.of(CurvatureStatistics.of(net, new Categorical(), batch, CurvatureKind.exact()))
                .multiply(d);
        double res = 0;
        double gg = 0;
        for (int i = 0; i < g.length; i++) {
            double r = g[i] - fd[i] - rho * d[i];
            res += r * r;
            gg += g[i] * g[i];
        }
        double rel = Math.sqrt(res / gg);
        assertTrue(rel < 1e-9, "residual " + rel);
    }

    /**
     * Approximations from Monte Carlo statistics against the exact Fisher's natural gradient: the
     * reference is the dense (F + ρI)^{-1} ∇L of DenseFisher.exact, and EXACT is the dense solve with the
     * Monte Carlo Fisher of the same draws (DenseFisher.monteCarlo with the same seed), each angle within
     * ε = κ · tolerance radians (+1e-9).
     */
    @Test
    void monteCarloApproximationsAgainstTheExactFisher() {
        TinyNetworks.Task t = TinyNetworks.softmaxClassifier(7);
        double rho = 1e-2;
        double tol = 1e-10;
        ApproximationQuality.Measurement m = ApproximationQuality.measureAgainstExactFisher(t.net(), t.likelihood(),
                t.batch(), CurvatureKind.monteCarlo(1, new Rng(5)), rho,
                List.of(CurvatureChoice.EXACT, CurvatureChoice.KFAC), tol, 1000);
        Matrix f = DenseFisher.exact(t.net(), t.likelihood(), t.batch());
        Matrix fmc = DenseFisher.monteCarlo(t.net(), t.likelihood(), t.batch(), 1, new Rng(5));
        double[] g = Gradients.of(t.net(), t.likelihood(), t.batch()).gradient().toFlat();
        double[] exact = MatOps.gemv(1, Inverses.dampedInverse(f, rho), false, g, 0, null);
        double[] sampled = MatOps.gemv(1, Inverses.dampedInverse(fmc, rho), false, g, 0, null);
        double[] kfac = Curvature.of(CurvatureChoice.KFAC, t.net(), CurvatureStatistics.of(t.net(), t.likelihood(),
                t.batch(), CurvatureKind.monteCarlo(1, new Rng(5)))).solve(g, rho);
        double[] lf = SymmetricEigen.decompose(f).orElseThrow().values();
        double[] lm = SymmetricEigen.decompose(fmc).orElseThrow().values();
        double eps = Math.max((lf[lf.length - 1] + rho) / rho, (lm[lm.length - 1] + rho) / rho) * tol;
        double tolDeg = Math.toDegrees(2 * eps) + 1e-9;
        assertEquals(angle(sampled, exact), m.qualities().get(0).angleDegrees(), tolDeg);
        assertEquals(angle(kfac, exact), m.qualities().get(1).angleDegrees(), tolDeg);
        assertTrue(m.qualities().get(0).angleDegrees() > 1, "one draw per example is a real approximation here");
    }

    /** The angle in degrees, through compare (checked against a closed form in ApproximationQualityTest). */
    static double angle(double[] a, double[] b) {
        return ApproximationQuality.compare(CurvatureChoice.KFAC, a, b).angleDegrees();
    }

    /**
     * Above the limit with ρ = 0 and fewer samples than parameters (K = 30 < P = 4350), measure keeps the
     * data-space pseudo-inverse (where CG without damping could not be relied on) and does not throw; the
     * reference itself is the data-space solve that ExactContractTest checks.
     */
    @Test
    void undampedAboveTheLimitKeepsTheDataSpacePseudoInverse() {
        Rng rng = new Rng(19);
        Network net = Network.dense(List.of(20, 140, 10), Activation.TANH, Activation.IDENTITY, true,
                new Init.Gaussian(1.0), rng);
        Matrix x = new Matrix(20, 3);
        rng.fillGaussian(x.data());
        Matrix y = new Matrix(10, 3);
        for (int j = 0; j < 3; j++) {
            y.set(rng.nextInt(10), j, 1);
        }
        Batch batch = new Batch(x, y);
        List<ApproximationQuality> qs = ApproximationQuality.measure(net, new Categorical(), batch, CurvatureKind.exact(),
                0, List.of(CurvatureChoice.EXACT, CurvatureChoice.DIAGONAL));
        assertEquals(0, qs.get(0).relativeError(), 1e-12);
        assertTrue(Double.isFinite(qs.get(1).angleDegrees()));
    }

    @Test
    void aSolveThatDoesNotConvergeIsAClearError() {
        TinyNetworks.Task t = TinyNetworks.softmaxClassifier(7);
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> ApproximationQuality.measureMatrixFree(
                t.net(), t.likelihood(), t.batch(), CurvatureKind.exact(), 1e-3, List.of(CurvatureChoice.KFAC), 1e-12, 2));
        assertTrue(e.getMessage().contains("after 2 iterations"), e.getMessage());
    }
}
