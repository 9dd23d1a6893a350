package org.natgrad.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.natgrad.curvature.CurvatureChoice;
import org.natgrad.curvature.DenseFisher;
import org.natgrad.curvature.TinyNetworks;
import org.natgrad.likelihood.Gaussian;
import org.natgrad.likelihood.Likelihood;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.matrixfree.BatchCurvature;
import org.natgrad.nn.Activation;
import org.natgrad.nn.Batch;
import org.natgrad.nn.Init;
import org.natgrad.nn.Network;
import org.natgrad.nn.ParamVector;
import org.natgrad.random.Rng;
import org.natgrad.statistics.CurvatureStatistics;
import org.natgrad.statistics.Gradients;

/** kfac-jax's optimizer features ({@link OptimizerFeatures}) against independently derived numbers. */
class OptimizerFeaturesTest {

    private static Batch batch(int nIn, int nOut, int m, long seed) {
        Rng rng = new Rng(seed);
        Matrix x = new Matrix(nIn, m);
        Matrix y = new Matrix(nOut, m);
        rng.fillGaussian(x.data());
        rng.fillGaussian(y.data());
        return new Batch(x, y);
    }

    private static Network mlp() {
        return Network.dense(List.of(3, 4, 2), Activation.TANH, Activation.IDENTITY, true, new Init.Gaussian(1.0), 7);
    }

    private static NaturalGradientOptions exactKfac() {
        return NaturalGradientOptions.paperDefaults().withModelSamples(0).withCurvature(CurvatureChoice.KFAC)
                .withAlpha(0.5).withAdaptiveDamping(false).withInitialDamping(0.1).withBlowUpFactor(Double.POSITIVE_INFINITY);
    }

    /** q(δ) = gᵀδ + ½ δᵀ(F + κI)δ with the dense Fisher F formed in the test. */
    private static double denseQ(Matrix f, double[] g, double[] d, double kappa) {
        double[] fd = MatOps.gemv(1, f, false, d, 0, null);
        double q = 0;
        for (int i = 0; i < d.length; i++) {
            q += g[i] * d[i] + 0.5 * d[i] * (fd[i] + kappa * d[i]);
        }
        return q;
    }

    /**
     * The (α, μ) of the adaptive rule minimize q over span{Δ, δ_prev}: against a brute-force grid
     * search refined three times (final spacing 1e-6 of the range) on q from the dense Fisher, and q
     * itself from matrix-free products against the dense Fisher to 1e-10 relative.
     */
    @Test
    void adaptiveLearningRateAndMomentumMinimizeTheDenseQuadraticModel() {
        TinyNetworks.Task task = TinyNetworks.tanhMlp(6);
        Network net = task.net().copy();
        Likelihood lik = task.likelihood();
        Batch b = task.batch();
        double lambda = 0.1;
        NaturalGradientOptions o = exactKfac().withInitialDamping(lambda);
        NaturalGradient ng = new NaturalGradient(lik, o, OptimizerFeatures.builder().adaptiveLrMomentum(true).build());
        assertTrue(ng.step(net, b).accepted());
        ParamVector prev = ng.previousUpdateForTest().copy();
        // second step: re-derive Δ from a K-FAC solve of a fresh optimizer at the same weights
        Matrix f = DenseFisher.exact(net, lik, b);
        double[] g = Gradients.of(net, lik, b).gradient().toFlat();
        NaturalGradient plain = new NaturalGradient(lik, o.withAlpha(1));
        Network probe = net.copy();
        assertTrue(plain.step(probe, b).accepted());
        double[] delta = probe.parameters().toFlat();
        double[] theta = net.parameters().toFlat();
        for (int i = 0; i < delta.length; i++) {
            delta[i] -= theta[i]; // Δ = −(G_kfac + λI)^{-1} g
        }
        double[] p = prev.toFlat();
        // brute force over (α, μ)
        double ca = 0;
        double cm = 0;
        double width = 4;
        double best = Double.POSITIVE_INFINITY;
        for (int round = 0; round < 4; round++) {
            double ba = ca;
            double bm = cm;
            for (int i = -50; i <= 50; i++) {
                for (int j = -50; j <= 50; j++) {
                    double a = ca + width * i / 50;
                    double m = cm + width * j / 50;
                    double[] d = new double[delta.length];
                    for (int k = 0; k < d.length; k++) {
                        d[k] = a * delta[k] + m * p[k];
                    }
                    double q = denseQ(f, g, d, lambda);
                    if (q < best) {
                        best = q;
                        ba = a;
                        bm = m;
                    }
                }
            }
            ca = ba;
            cm = bm;
            width /= 25;
        }
        double[] before = net.parameters().toFlat();
        assertTrue(ng.step(net, b).accepted());
        double[] step = net.parameters().toFlat();
        for (int i = 0; i < step.length; i++) {
            step[i] -= before[i];
        }
        // recover (α, μ) from the step by least squares on the two directions
        double dd = dot(delta, delta);
        double dp = dot(delta, p);
        double pp = dot(p, p);
        double sd = dot(step, delta);
        double sp = dot(step, p);
        double det = dd * pp - dp * dp;
        double alpha = (sd * pp - sp * dp) / det;
        double mu = (sp * dd - sd * dp) / det;
        assertEquals(ca, alpha, 1e-5 * Math.max(1, Math.abs(ca)), "alpha");
        assertEquals(cm, mu, 1e-5 * Math.max(1, Math.abs(cm)), "mu");
        assertTrue(Math.abs(mu) > 1e-3, "the test must exercise momentum, mu = " + mu);

        // q from matrix-free products equals the dense q
        ParamVector dv = net.parameters().withFlat(delta);
        ParamVector gv = net.parameters().withFlat(g);
        Network at = net.copy();
        at.parameters().setFromFlat(before);
        double qm = QuadraticModel.value(gv, dv, BatchCurvature.of(at, lik, b).ggn(dv), lambda);
        Matrix f0 = DenseFisher.exact(at, lik, b);
        double qd = denseQ(f0, g, delta, lambda);
        assertEquals(qd, qm, 1e-10 * Math.abs(qd));
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** The 2x2 solution and the 1-D fallback, by hand. */
    @Test
    void coefficientsSolveTheTwoByTwoOrFallBack() {
        // q(α, μ) = gd α + gp μ + ½ (4 α² + 2·1 α μ + 2 μ²): solve [4 1; 1 2][α; μ] = −[−7; −0]
        double[] am = QuadraticModel.coefficients(4, 1, 2, -7, 0);
        assertEquals(2.0, am[0], 1e-15); // (7·2)/(8 − 1)
        assertEquals(-1.0, am[1], 1e-15);
        double[] first = QuadraticModel.coefficients(4, Double.NaN, Double.NaN, -2, Double.NaN);
        assertEquals(0.5, first[0], 1e-15);
        assertEquals(0.0, first[1]);
        double[] parallel = QuadraticModel.coefficients(4, 2, 1, -2, -1); // det 0: δ_prev ∥ Δ
        assertEquals(0.5, parallel[0], 1e-15);
        assertEquals(0.0, parallel[1]);
    }

    /**
     * kfac-jax's damping rule on a hand-computed sequence: ω = 0.5, λ_0 = 1, ρ = 0.9, 0.5, 0.1, NaN,
     * 0.8 with λ in [0.3, 4]: 0.5, 0.5, 1, 2, 1 ... and the floor and cap.
     */
    @Test
    void quadraticRuleFollowsTheThresholds() {
        double l = 1;
        double[] rhos = {0.9, 0.5, 0.1, Double.NaN, 0.8, 0.8, 0.1, 0.1, 0.1, 0.1};
        double[] expected = {0.5, 0.5, 1, 2, 1, 0.5, 1, 2, 4, 4};
        for (int i = 0; i < rhos.length; i++) {
            l = QuadraticModel.adaptDamping(l, rhos[i], 0.5, 0.3, 4);
            assertEquals(expected[i], l, 1e-15, "step " + i);
        }
        assertEquals(0.3, QuadraticModel.adaptDamping(0.4, 1.0, 0.5, 0.3, 4), 1e-15);
    }

    /**
     * The quadratic-model rule in the optimizer on a linear Gaussian problem: ρ of each adaptation step
     * (every second step) against (L(θ + δ) − L(θ)) / q(δ) with q from the dense Fisher formed in the
     * test (1e-9 relative), and λ shrinking by ω = (19/20)^2 exactly when that ρ exceeds 3/4.
     */
    @Test
    void quadraticRuleOnALinearGaussianProblem() {
        Network net = Network.dense(List.of(3, 2), Activation.IDENTITY, Activation.IDENTITY, true, new Init.Gaussian(1.0), 3);
        Batch b = batch(3, 2, 8, 4);
        double lambda = 0.5;
        NaturalGradientOptions o = exactKfac().withAdaptiveDamping(true).withInitialDamping(lambda);
        OptimizerFeatures f = OptimizerFeatures.builder().dampingRule(OptimizerFeatures.DampingRule.QUADRATIC_MODEL)
                .dampingAdaptEvery(2).build();
        NaturalGradient ng = new NaturalGradient(Gaussian.unit(), o, f);
        double omega = 0.95 * 0.95;
        for (int k = 0; k < 6; k++) {
            assertEquals(lambda, ng.damping(), 1e-15, "step " + k);
            double[] theta = net.parameters().toFlat();
            Matrix fisher = DenseFisher.exact(net, Gaussian.unit(), b);
            double[] g = Gradients.of(net, Gaussian.unit(), b).gradient().toFlat();
            double lossOld = Gradients.of(net, Gaussian.unit(), b).loss();
            StepReport r = ng.step(net, b);
            assertTrue(r.accepted(), r.note());
            double[] d = net.parameters().toFlat();
            for (int i = 0; i < d.length; i++) {
                d[i] -= theta[i];
            }
            double lossNew = Gradients.of(net, Gaussian.unit(), b).loss();
            if (k % 2 == 0) {
                double rho = (lossNew - lossOld) / denseQ(fisher, g, d, lambda);
                assertEquals(rho, r.rho(), 1e-9 * Math.abs(rho), "rho at step " + k);
                lambda = rho > 0.75 ? lambda * omega : rho < 0.25 ? lambda / omega : lambda;
            }
        }
        assertTrue(lambda < 0.5, "lambda must have moved: " + lambda);
    }

    /**
     * Moving averages: after k statistics steps the factors equal β^{k−1} F_1 + Σ_{j≥2} (1 − β) β^{k−j} F_j,
     * with F_j the exact factors of batch j at the weights of step j, computed in the test.
     */
    @Test
    void movingAverageIsTheGeometricWeighting() {
        Network net = mlp();
        double beta = 0.8;
        NaturalGradient ng = new NaturalGradient(Gaussian.unit(), exactKfac(),
                OptimizerFeatures.builder().factorDecay(beta).build());
        List<CurvatureStatistics> per = new ArrayList<>();
        int k = 4;
        for (int j = 0; j < k; j++) {
            Batch b = batch(3, 2, 5, 100 + j);
            per.add(CurvatureStatistics.of(net.copy(), Gaussian.unit(), b, org.natgrad.statistics.CurvatureKind.exact()));
            assertTrue(ng.step(net, b).accepted());
        }
        CurvatureStatistics avg = ng.averageStatistics();
        for (int l = 0; l < net.depth(); l++) {
            Matrix a = per.get(0).lambda(l).copy();
            Matrix t = per.get(0).lambdaTilde(l).copy();
            MatOps.scaleInPlace(Math.pow(beta, k - 1), a);
            MatOps.scaleInPlace(Math.pow(beta, k - 1), t);
            for (int j = 2; j <= k; j++) {
                double w = (1 - beta) * Math.pow(beta, k - j);
                axpy(w, per.get(j - 1).lambda(l), a);
                axpy(w, per.get(j - 1).lambdaTilde(l), t);
            }
            assertClose(a, avg.lambda(l), 1e-12, "Lambda " + l);
            assertClose(t, avg.lambdaTilde(l), 1e-12, "LambdaTilde " + l);
        }
    }

    private static void axpy(double w, Matrix x, Matrix y) {
        for (int i = 0; i < y.data().length; i++) {
            y.data()[i] += w * x.data()[i];
        }
    }

    private static void assertClose(Matrix expected, Matrix actual, double tol, String what) {
        double n = 0;
        double d = 0;
        for (int i = 0; i < expected.data().length; i++) {
            double e = expected.data()[i] - actual.data()[i];
            n += e * e;
            d += expected.data()[i] * expected.data()[i];
        }
        assertTrue(Math.sqrt(n / d) < tol, what + ": relative error " + Math.sqrt(n / d));
    }

    /**
     * T1 = 2, T2 = 3 over 12 steps (plus 2 burn-in steps): statistics on burn-in steps and t = 0, 2, ..., 10
     * (2 + 6), factorizations at t = 0, 3, 6, 9 (4); between inverse steps the representation keeps the
     * average it was built from, and at an inverse step it takes the latest one.
     */
    @Test
    void separatePeriodsCountStatisticsAndFactorizations() {
        Network net = mlp();
        NaturalGradient ng = new NaturalGradient(Gaussian.unit(), exactKfac(),
                OptimizerFeatures.builder().factorDecay(0.95).curvatureEvery(2).inverseEvery(3).burnin(2).build());
        CurvatureStatistics builtFrom = null;
        for (int s = 0; s < 14; s++) {
            StepReport r = ng.step(net, batch(3, 2, 5, 200 + s));
            assertTrue(r.accepted(), r.note());
            long t = s - 2;
            if (t >= 0 && t % 3 == 0) {
                assertTrue(ng.statisticsInUse() == ng.averageStatistics(), "inverse step " + t + " uses the latest average");
                builtFrom = ng.statisticsInUse();
            } else if (t > 0) {
                assertTrue(ng.statisticsInUse() == builtFrom, "step " + t + " keeps the representation");
            }
        }
        assertEquals(8, ng.statisticsSteps());
        assertEquals(4, ng.factorizations());
    }

    /** Burn-in leaves the weights alone. */
    @Test
    void burnInDoesNotMoveTheWeights() {
        Network net = mlp();
        double[] before = net.parameters().toFlat();
        NaturalGradient ng = new NaturalGradient(Gaussian.unit(), exactKfac(), OptimizerFeatures.builder().burnin(3).build());
        for (int s = 0; s < 3; s++) {
            ng.step(net, batch(3, 2, 5, 300 + s));
        }
        assertEquals(java.util.Arrays.toString(before), java.util.Arrays.toString(net.parameters().toFlat()));
        ng.step(net, batch(3, 2, 5, 400));
        assertTrue(!java.util.Arrays.equals(before, net.parameters().toFlat()));
    }

    /**
     * Weight decay with the exact representation and pseudo-free damping: the step is
     * −α (F + (λ + c) I)^{-1} (g + c θ), and g + c θ equals the central finite-difference gradient of
     * L + (c/2)|θ|² (h = 1e-5, tolerance 1e-7 relative).
     */
    @Test
    void weightDecayGradientIsTheFiniteDifferenceGradient() {
        Network net = mlp();
        Batch b = batch(3, 2, 5, 500);
        double c = 0.3;
        double lambda = 0.1;
        double[] theta = net.parameters().toFlat();
        double[] fd = new double[theta.length];
        double h = 1e-5;
        for (int i = 0; i < theta.length; i++) {
            fd[i] = (penalized(net, b, theta, i, h, c) - penalized(net, b, theta, i, -h, c)) / (2 * h);
        }
        Matrix f = DenseFisher.exact(net, Gaussian.unit(), b);
        for (int i = 0; i < f.rows(); i++) {
            f.set(i, i, f.get(i, i) + lambda + c);
        }
        double[] expected = MatOps.gemv(-0.5, org.natgrad.linalg.Inverses.pseudoInverse(f, 1e-14), false, fd, 0, null);
        NaturalGradientOptions o = exactKfac().withCurvature(CurvatureChoice.EXACT).withInitialDamping(lambda);
        NaturalGradient ng = new NaturalGradient(Gaussian.unit(), o, OptimizerFeatures.builder().weightDecay(c).build());
        net.parameters().setFromFlat(theta);
        StepReport r = ng.step(net, b);
        assertTrue(r.accepted(), r.note());
        double[] step = net.parameters().toFlat();
        for (int i = 0; i < step.length; i++) {
            step[i] -= theta[i];
        }
        assertTrue(NaturalGradientCurvatureTest.rel(step, expected) < 1e-7, "rel " + NaturalGradientCurvatureTest.rel(step, expected));
        double l2 = 0;
        for (double v : theta) {
            l2 += v * v;
        }
        net.parameters().setFromFlat(theta);
        assertEquals(Gradients.of(net, Gaussian.unit(), b).loss() + 0.5 * c * l2, r.lossBefore(), 1e-12);
    }

    private static double penalized(Network net, Batch b, double[] theta, int i, double h, double c) {
        double[] t = theta.clone();
        t[i] += h;
        net.parameters().setFromFlat(t);
        double l2 = 0;
        for (double v : t) {
            l2 += v * v;
        }
        return Gradients.of(net, Gaussian.unit(), b).loss() + 0.5 * c * l2;
    }

    /** Fixed momentum: the second update is −α d_2 + μ δ_1, with d_2 from a plain optimizer at the same weights. */
    @Test
    void fixedMomentumAddsThePreviousUpdate() {
        Network net = mlp();
        double mu = 0.6;
        NaturalGradient ng = new NaturalGradient(Gaussian.unit(), exactKfac(), OptimizerFeatures.builder().momentum(mu).build());
        Batch b1 = batch(3, 2, 5, 600);
        Batch b2 = batch(3, 2, 5, 601);
        double[] t0 = net.parameters().toFlat();
        ng.step(net, b1);
        double[] t1 = net.parameters().toFlat();
        Network probe = net.copy();
        new NaturalGradient(Gaussian.unit(), exactKfac()).step(probe, b2);
        double[] plain = probe.parameters().toFlat();
        ng.step(net, b2);
        double[] t2 = net.parameters().toFlat();
        for (int i = 0; i < t2.length; i++) {
            double expected = (plain[i] - t1[i]) + mu * (t1[i] - t0[i]);
            assertEquals(expected, t2[i] - t1[i], 1e-12);
        }
    }

    /** kfac-jax's norm constraint: the update scaled so that α² gᵀ(G + λI)^{-1} g ≤ C_n. */
    @Test
    void normConstraintScalesTheUpdate() {
        Network net = mlp();
        Batch b = batch(3, 2, 5, 700);
        Network probe = net.copy();
        new NaturalGradient(Gaussian.unit(), exactKfac()).step(probe, b);
        double[] theta = net.parameters().toFlat();
        double[] plain = probe.parameters().toFlat();
        double[] g = Gradients.of(net, Gaussian.unit(), b).gradient().toFlat();
        double sq = 0; // α² gᵀv with α v = −(plain − θ)
        for (int i = 0; i < g.length; i++) {
            sq += -g[i] * (plain[i] - theta[i]) * 0.5;
        }
        double limit = sq / 4;
        new NaturalGradient(Gaussian.unit(), exactKfac(), OptimizerFeatures.builder().normConstraint(limit).build())
                .step(net, b);
        double[] t = net.parameters().toFlat();
        for (int i = 0; i < t.length; i++) {
            assertEquals(0.5 * (plain[i] - theta[i]), t[i] - theta[i], 1e-12);
        }
    }

    @Test
    void badFeaturesAreRefusedClearly() {
        assertThrows(IllegalArgumentException.class, () -> OptimizerFeatures.builder().factorDecay(1).build());
        assertThrows(IllegalArgumentException.class, () -> OptimizerFeatures.builder().momentum(0.5).adaptiveLrMomentum(true).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new NaturalGradient(Gaussian.unit(),
                exactKfac().withCurvature(CurvatureChoice.DIAGONAL), OptimizerFeatures.builder().factorDecay(0.9).build()));
        assertTrue(e.getMessage().contains("diag"), e.getMessage());
        assertTrue(OptimizerFeatures.off().allOff());
        assertEquals(Math.pow(0.95, 5), OptimizerFeatures.off().dampingDecay(), 1e-15);
    }

    /**
     * saveState/restoreState mid-run (after step 5 of 11, between inverse steps and with a moving
     * average newer than the representation) into a fresh optimizer gives bit-identical weights and
     * damping to the uninterrupted run, for both update rules.
     */
    @Test
    void saveRestoreMidRunIsBitIdentical() {
        for (boolean adaptive : new boolean[] {false, true}) {
            OptimizerFeatures.Builder fb = OptimizerFeatures.builder().factorDecay(0.9).curvatureEvery(2).inverseEvery(3)
                    .burnin(1).weightDecay(1e-3).dampingRule(OptimizerFeatures.DampingRule.QUADRATIC_MODEL)
                    .dampingAdaptEvery(2);
            OptimizerFeatures f = (adaptive ? fb.adaptiveLrMomentum(true) : fb.momentum(0.5)).build();
            NaturalGradientOptions o = exactKfac().withAdaptiveDamping(true).withModelSamples(1);
            Network a = mlp();
            Network b = mlp();
            NaturalGradient full = new NaturalGradient(Gaussian.unit(), o, f);
            NaturalGradient first = new NaturalGradient(Gaussian.unit(), o, f);
            for (int s = 0; s < 5; s++) {
                full.step(a, batch(3, 2, 5, 800 + s));
                first.step(b, batch(3, 2, 5, 800 + s));
            }
            assertTrue(first.atResumableBoundary());
            java.util.Map<String, double[]> saved = first.saveState();
            NaturalGradient resumed = new NaturalGradient(Gaussian.unit(), o, f);
            resumed.restoreState(saved);
            for (int s = 5; s < 11; s++) {
                full.step(a, batch(3, 2, 5, 800 + s));
                resumed.step(b, batch(3, 2, 5, 800 + s));
            }
            assertTrue(java.util.Arrays.equals(a.parameters().toFlat(), b.parameters().toFlat()), "adaptive " + adaptive);
            assertEquals(full.damping(), resumed.damping(), 0.0);
            assertEquals(full.factorizations(), resumed.factorizations());
        }
    }

    /** The README's lines (kfac-jax's autoencoder settings) build and take accepted steps on K-FAC. */
    @Test
    void readmeExampleRuns() {
        Likelihood likelihood = Gaussian.unit();
        NaturalGradientOptions options = exactKfac().withAdaptiveDamping(true);
        var f = OptimizerFeatures.builder().factorDecay(0.95).curvatureEvery(1).inverseEvery(5)
                .dampingRule(OptimizerFeatures.DampingRule.QUADRATIC_MODEL).dampingAdaptEvery(5)
                .adaptiveLrMomentum(true).weightDecay(1e-5).burnin(10).build();
        var opt = new NaturalGradient(likelihood, options, f);   // step(net, batch): the products need the batch
        Network net = mlp();
        for (int s = 0; s < 16; s++) {
            StepReport r = opt.step(net, batch(3, 2, 8, 900 + s));
            assertTrue(r.accepted(), r.note());
        }
        assertEquals(16, opt.statisticsSteps());
        assertEquals(2, opt.factorizations()); // t = 0 and 5 after 10 burn-in steps
    }
}
