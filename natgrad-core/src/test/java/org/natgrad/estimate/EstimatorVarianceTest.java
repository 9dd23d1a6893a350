package org.natgrad.estimate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.natgrad.curvature.DenseFisher;
import org.natgrad.likelihood.Bernoulli;
import org.natgrad.likelihood.Categorical;
import org.natgrad.likelihood.Gaussian;
import org.natgrad.likelihood.Likelihood;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Activation;
import org.natgrad.nn.Init;
import org.natgrad.nn.Network;
import org.natgrad.random.Rng;

/**
 * Checks S1–S5, S7–S9 of math.md §6 on a 3-4-3 tanh MLP. Monte Carlo draws targets with natgrad's own
 * {@link Likelihood#sample} and scores from {@link Likelihood#outputError} (independent of the
 * estimate package), the exact Fisher from {@link DenseFisher#exact}, and Hessians that
 * {@link OutputDerivativesTest} checks against finite differences.
 */
class EstimatorVarianceTest {
    private static final int REPS = 200_000;
    private static final double[] X = {0.4, -0.9, 1.3};
    /** Parameter pairs: first layer, cross-layer, last layer (3-4-3 with bias: layer 1 is 0..15, layer 2 is 16..30). */
    private static final int[][] PAIRS = {{0, 0}, {1, 5}, {3, 20}, {14, 30}, {13, 13}, {17, 29}, {20, 20}};

    static Network net(long seed) {
        return Network.dense(List.of(3, 4, 3), Activation.TANH, Activation.IDENTITY, true, new Init.Gaussian(1.2), seed);
    }

    /** MC statistics per pair: {mean1, mean2, var1, var2, cov}. */
    static double[][] simulate(List<OutputDerivatives> xs, List<Matrix> fishers, Likelihood lik, ExponentialFamily fam,
                               int n, int reps, int[][] pairs, Rng rng) {
        int d = xs.get(0).outputs();
        int total = n * reps;
        int[] which = new int[total];
        Matrix out = new Matrix(d, total);
        double[][] hs = new double[xs.size()][];
        for (int m = 0; m < xs.size(); m++) {
            hs[m] = xs.get(m).output();
        }
        for (int k = 0; k < total; k++) {
            which[k] = xs.size() == 1 ? 0 : rng.nextInt(xs.size());
            System.arraycopy(hs[which[k]], 0, out.data(), k * d, d);
        }
        Matrix eps;
        if (lik != null) {
            Matrix y = lik.sample(out, rng);
            eps = lik.outputError(out, y);
            for (int k = 0; k < eps.data().length; k++) {
                eps.data()[k] = -eps.data()[k];
            }
        } else {
            eps = new Matrix(d, total);
            double[] e = new double[d];
            for (int k = 0; k < total; k++) {
                fam.sampleCentred(hs[which[k]], rng, e);
                System.arraycopy(e, 0, eps.data(), k * d, d);
            }
        }
        double[] ed = eps.data();
        double[][] res = new double[pairs.length][];
        int nx = xs.size();
        for (int q = 0; q < pairs.length; q++) {
            int a = pairs[q][0];
            int b = pairs[q][1];
            double[][] ja = new double[nx][d], jb = new double[nx][d], hab = new double[nx][d];
            double[] iab = new double[nx];
            for (int m = 0; m < nx; m++) {
                for (int g = 0; g < d; g++) {
                    ja[m][g] = xs.get(m).jacobian().get(g, a);
                    jb[m][g] = xs.get(m).jacobian().get(g, b);
                    hab[m][g] = xs.get(m).hessian(g).get(a, b);
                }
                iab[m] = fishers.get(m).get(a, b);
            }
            double s1 = 0, s2 = 0, s11 = 0, s22 = 0, s12 = 0;
            double shift1 = Double.NaN, shift2 = Double.NaN; // shifted sums avoid cancellation
            for (int r = 0; r < reps; r++) {
                double i1 = 0, i2 = 0;
                for (int i = 0; i < n; i++) {
                    int k = r * n + i;
                    int m = which[k];
                    double sa = 0, sb = 0, hterm = 0;
                    for (int g = 0; g < d; g++) {
                        double e = ed[k * d + g];
                        sa += ja[m][g] * e;
                        sb += jb[m][g] * e;
                        hterm += e * hab[m][g];
                    }
                    i1 += sa * sb;
                    i2 += iab[m] - hterm;
                }
                i1 /= n;
                i2 /= n;
                if (r == 0) {
                    shift1 = i1;
                    shift2 = i2;
                }
                i1 -= shift1;
                i2 -= shift2;
                s1 += i1; s2 += i2; s11 += i1 * i1; s22 += i2 * i2; s12 += i1 * i2;
            }
            double m1 = s1 / reps, m2 = s2 / reps;
            double c = reps / (reps - 1.0);
            res[q] = new double[] {m1 + shift1, m2 + shift2, c * (s11 / reps - m1 * m1), c * (s22 / reps - m2 * m2), c * (s12 / reps - m1 * m2)};
        }
        return res;
    }

    private static void compare(String what, double[][] mc, ClosedFormVariance.Elementwise cf, Matrix exact, int[][] pairs) {
        for (int q = 0; q < pairs.length; q++) {
            int a = pairs[q][0];
            int b = pairs[q][1];
            double v1 = cf.var1().get(a, b), v2 = cf.var2().get(a, b), c = cf.cov12().get(a, b);
            String at = what + " pair (" + a + "," + b + ")";
            // S1: both unbiased (tolerance: 5 MC standard errors)
            assertEquals(exact.get(a, b), mc[q][0], 5 * Math.sqrt(v1 / REPS) + 1e-10, at + " mean of Î1");
            assertEquals(exact.get(a, b), mc[q][1], 5 * Math.sqrt(v2 / REPS) + 1e-10, at + " mean of Î2");
            // S2: closed forms within 3 %
            assertEquals(v1, mc[q][2], 0.03 * v1 + 1e-12, at + " Var(Î1)");
            assertEquals(v2, mc[q][3], 0.03 * v2 + 1e-12, at + " Var(Î2)");
            assertEquals(c, mc[q][4], 0.03 * Math.sqrt(v1 * v2) + 1e-12, at + " Cov(Î1,Î2)");
        }
    }

    @Test
    void closedFormsMatchMonteCarloCategorical() {
        Network net = net(5);
        OutputDerivatives od = OutputDerivatives.secondOrder(net, X);
        Likelihood lik = new Categorical();
        Matrix exact = DenseFisher.exact(net, lik, new Matrix(3, 1, X.clone()));
        ExponentialFamily fam = ExponentialFamily.of(lik);
        assertTrue(MatOpsDiff.max(exact, FisherEstimators.fisher(od, fam)) < 1e-12);
        int n = 4;
        double[][] mc = simulate(List.of(od), List.of(exact), lik, fam, n, REPS, PAIRS, new Rng(1));
        compare("categorical", mc, ClosedFormVariance.fixedInput(od, fam, n), exact, PAIRS);
    }

    @Test
    void closedFormsMatchMonteCarloGaussianAndCrossCovarianceIsZero() {
        Network net = net(6);
        OutputDerivatives od = OutputDerivatives.secondOrder(net, X);
        Likelihood lik = Gaussian.isotropic(0.5);
        Matrix exact = DenseFisher.exact(net, lik, new Matrix(3, 1, X.clone()));
        ExponentialFamily fam = ExponentialFamily.of(lik);
        int n = 4;
        ClosedFormVariance.Elementwise cf = ClosedFormVariance.fixedInput(od, fam, n);
        double[][] mc = simulate(List.of(od), List.of(exact), lik, fam, n, REPS, PAIRS, new Rng(2));
        compare("gaussian", mc, cf, exact, PAIRS);
        // S4: Var(Î1)_aa = 2 I_aa² / N and Cov = 0
        for (int a = 0; a < net.parameterCount(); a++) {
            assertEquals(2 * exact.get(a, a) * exact.get(a, a) / n, cf.var1().get(a, a), 1e-12 * (1 + exact.get(a, a) * exact.get(a, a)));
            for (int b = 0; b < net.parameterCount(); b++) {
                assertEquals(0.0, cf.cov12().get(a, b), 0.0);
            }
        }
    }

    @Test
    void closedFormsMatchMonteCarloBernoulliAndVanishAtOneHalf() {
        Network net = net(7);
        OutputDerivatives od = OutputDerivatives.secondOrder(net, X);
        Likelihood lik = new Bernoulli();
        Matrix exact = DenseFisher.exact(net, lik, new Matrix(3, 1, X.clone()));
        ExponentialFamily fam = ExponentialFamily.of(lik);
        int n = 3;
        ClosedFormVariance.Elementwise cf = ClosedFormVariance.fixedInput(od, fam, n);
        compare("bernoulli", simulate(List.of(od), List.of(exact), lik, fam, n, REPS, PAIRS, new Rng(3)), cf, exact, PAIRS);
        // S3 on a single-output net: Var(Î1)_ab = j_a² j_b² p(1-p)(1-2p)² / N, zero at p = 1/2
        Network one = Network.dense(List.of(3, 4, 1), Activation.TANH, Activation.IDENTITY, true, new Init.Gaussian(1.2), 8);
        for (boolean half : new boolean[] {false, true}) {
            if (half) {
                double h = one.predict(new Matrix(3, 1, X.clone())).get(0, 0);
                one.layer(1).bias().set(0, 0, one.layer(1).bias().get(0, 0) - h);
            }
            OutputDerivatives o1 = OutputDerivatives.secondOrder(one, X);
            double p = Activation.sigmoid(o1.output()[0]);
            ClosedFormVariance.Elementwise c1 = ClosedFormVariance.fixedInput(o1, fam, n);
            for (int a = 0; a < one.parameterCount(); a++) {
                for (int b = 0; b < one.parameterCount(); b++) {
                    double ja = o1.jacobian().get(0, a), jb = o1.jacobian().get(0, b);
                    double expect = ja * ja * jb * jb * p * (1 - p) * (1 - 2 * p) * (1 - 2 * p) / n;
                    assertEquals(expect, c1.var1().get(a, b), 1e-12 * (1 + ja * ja * jb * jb));
                    double hab = o1.hessian(0).get(a, b);
                    assertEquals(p * (1 - p) * hab * hab / n, c1.var2().get(a, b), 1e-12 * (1 + hab * hab));
                }
            }
            if (half) {
                assertEquals(0.5, p, 1e-12);
                Matrix ex1 = DenseFisher.exact(one, lik, new Matrix(3, 1, X.clone()));
                double[][] mc = simulate(List.of(o1), List.of(ex1), lik, fam, n, 20_000,
                        new int[][] {{0, 0}, {1, 5}, {3, 17}, {14, 20}}, new Rng(4));
                for (double[] r : mc) {
                    assertTrue(Math.abs(r[2]) < 1e-20, "MC Var(Î1) at p = 1/2 should vanish: " + r[2]);
                }
            }
        }
    }

    @Test
    void closedFormsMatchMonteCarloPoisson() {
        Network net = Network.dense(List.of(3, 4, 3), Activation.TANH, Activation.IDENTITY, true, new Init.Gaussian(0.8), 9);
        OutputDerivatives od = OutputDerivatives.secondOrder(net, X);
        ExponentialFamily fam = new ExponentialFamily.PoissonFamily();
        Matrix exact = FisherEstimators.fisher(od, fam);
        // exact Poisson Fisher independently: Σ_γ λ_γ j_γ j_γ^T
        double[] h = od.output();
        for (int a = 0; a < 31; a += 5) {
            for (int b = 0; b < 31; b += 3) {
                double s = 0;
                for (int g = 0; g < 3; g++) {
                    s += Math.exp(h[g]) * od.jacobian().get(g, a) * od.jacobian().get(g, b);
                }
                assertEquals(s, exact.get(a, b), 1e-12 * (1 + Math.abs(s)));
            }
        }
        int n = 4;
        ClosedFormVariance.Elementwise cf = ClosedFormVariance.fixedInput(od, fam, n);
        compare("poisson", simulate(List.of(od), List.of(exact), null, fam, n, REPS, PAIRS, new Rng(5)), cf, exact, PAIRS);
        // §3.4: Var(Î1)_ab = j_a² j_b² (λ + 2λ²)/N for a single output
        Network one = Network.dense(List.of(3, 4, 1), Activation.TANH, Activation.IDENTITY, true, new Init.Gaussian(0.8), 10);
        OutputDerivatives o1 = OutputDerivatives.secondOrder(one, X);
        double lam = Math.exp(o1.output()[0]);
        ClosedFormVariance.Elementwise c1 = ClosedFormVariance.fixedInput(o1, fam, n);
        double ja = o1.jacobian().get(0, 2), jb = o1.jacobian().get(0, 7);
        assertEquals(ja * ja * jb * jb * (lam + 2 * lam * lam) / n, c1.var1().get(2, 7), 1e-12);
    }

    @Test
    void poissonSamplerHasTheRightMoments() {
        for (double lambda : new double[] {0.3, 4, 55}) {
            Rng rng = new Rng(12);
            int reps = 400_000;
            double m1 = 0, m2 = 0, m3 = 0, m4 = 0;
            for (int i = 0; i < reps; i++) {
                double e = ExponentialFamily.PoissonFamily.poisson(lambda, rng) - lambda;
                m1 += e; m2 += e * e; m3 += e * e * e; m4 += e * e * e * e;
            }
            // m_k / reps is the mean of (X - λ)^k about the KNOWN mean λ, so it is unbiased for the central moment
            // μ_k and its standard error is sqrt((μ_2k - μ_k²) / reps). Every cumulant of Poisson(λ) is λ, so
            // (moments from cumulants) μ2 = λ, μ3 = λ, μ4 = λ + 3λ², μ6 = κ6 + 15κ4κ2 + 10κ3² + 15κ2³
            // = λ + 25λ² + 15λ³, μ8 = κ8 + 28κ6κ2 + 56κ5κ3 + 35κ4² + 210κ4κ2² + 280κ3²κ2 + 105κ2⁴
            // = λ + 119λ² + 490λ³ + 105λ⁴. Hence Var of the sample k-th moment times reps:
            // k=1: λ; k=2: μ4 - μ2² = λ + 2λ²; k=3: μ6 - μ3² = λ + 24λ² + 15λ³; k=4: μ8 - μ4² = λ + 118λ² + 484λ³ + 96λ⁴.
            // Each moment must lie within 5 standard errors (the suite's rule; a correct sampler fails with
            // probability < 6e-7 per check). For λ = 55 the third-moment SE is 2.53, so 5σ = 12.7.
            double l = lambda;
            assertEquals(0, m1 / reps, 5 * Math.sqrt(l / reps), "mean, λ = " + l);
            assertEquals(l, m2 / reps, 5 * Math.sqrt((l + 2 * l * l) / reps), "variance, λ = " + l);
            assertEquals(l, m3 / reps, 5 * Math.sqrt((l + 24 * l * l + 15 * l * l * l) / reps), "third central moment, λ = " + l);
            assertEquals(l + 3 * l * l, m4 / reps,
                    5 * Math.sqrt((l + 118 * l * l + 484 * l * l * l + 96 * l * l * l * l) / reps), "fourth central moment, λ = " + l);
        }
    }

    @Test
    void secondEstimatorIsExactWhereTheOutputIsLinearInBothParameters() {
        Network net = net(13);
        OutputDerivatives od = OutputDerivatives.secondOrder(net, X);
        ExponentialFamily fam = new ExponentialFamily.CategoricalFamily();
        ClosedFormVariance.Elementwise cf = ClosedFormVariance.fixedInput(od, fam, 2);
        int first = net.layer(0).parameterCount();
        Matrix exact = FisherEstimators.fisher(od, fam);
        Rng rng = new Rng(14);
        List<FisherEstimators.Estimates> draws = new ArrayList<>();
        for (int r = 0; r < 50; r++) {
            draws.add(FisherEstimators.sample(od, fam, 2, rng));
        }
        for (int a = first; a < 31; a++) {
            for (int b = first; b < 31; b++) {
                assertEquals(0.0, cf.var2().get(a, b), 0.0, "Var(Î2) on last-layer pair " + a + "," + b);
                assertEquals(0.0, cf.bound2().get(a, b), 0.0);
                for (FisherEstimators.Estimates e : draws) {
                    assertEquals(exact.get(a, b), e.second().get(a, b), 1e-14 * (1 + Math.abs(exact.get(a, b))));
                }
                if (Math.abs(exact.get(a, b)) > 1e-3) {
                    assertTrue(cf.var1().get(a, b) > 0, "Î1 is noisy there");
                }
            }
        }
        // ... but not on first-layer pairs
        assertTrue(cf.var2().get(0, 0) > 0);
    }

    @Test
    void firstEstimatorIsPsdAndSecondIsIndefiniteWithPositiveProbability() {
        Network net = net(15);
        OutputDerivatives od = OutputDerivatives.secondOrder(net, X);
        ExponentialFamily fam = new ExponentialFamily.CategoricalFamily();
        Rng rng = new Rng(16);
        int indefinite = 0;
        int trials = 200;
        for (int r = 0; r < trials; r++) {
            FisherEstimators.Estimates e = FisherEstimators.sample(od, fam, 2, rng);
            double min1 = FisherEstimators.smallestEigenvalue(e.first());
            assertTrue(min1 >= -1e-12 * (1 + e.first().maxAbs()), "Î1 has eigenvalue " + min1);
            if (FisherEstimators.smallestEigenvalue(e.second()) < -1e-8) {
                indefinite++;
            }
        }
        assertTrue(indefinite > 0, "Î2 was never indefinite in " + trials + " draws");
    }

    @Test
    void bothVariancesHalveWhenTheSampleCountDoubles() {
        Network net = net(17);
        OutputDerivatives od = OutputDerivatives.secondOrder(net, X);
        ExponentialFamily fam = new ExponentialFamily.CategoricalFamily();
        ClosedFormVariance.Elementwise c2 = ClosedFormVariance.fixedInput(od, fam, 2);
        ClosedFormVariance.Elementwise c4 = ClosedFormVariance.fixedInput(od, fam, 4);
        assertEquals(0.5, c4.totalVar1() / c2.totalVar1(), 1e-12);
        assertEquals(0.5, c4.totalVar2() / c2.totalVar2(), 1e-12);
        // Monte Carlo sees the same halving
        Matrix exact = FisherEstimators.fisher(od, fam);
        Likelihood lik = new Categorical();
        int[][] pairs = {{1, 5}, {0, 0}};
        double[][] m2 = simulate(List.of(od), List.of(exact), lik, fam, 2, REPS, pairs, new Rng(18));
        double[][] m4 = simulate(List.of(od), List.of(exact), lik, fam, 4, REPS, pairs, new Rng(19));
        for (int q = 0; q < pairs.length; q++) {
            assertEquals(0.5, m4[q][2] / m2[q][2], 0.03, "Var(Î1) ratio");
            assertEquals(0.5, m4[q][3] / m2[q][3], 0.03, "Var(Î2) ratio");
        }
    }

    @Test
    void jointSamplingAddsTheInputCovariance() {
        Network net = net(20);
        double[][] inputs = {{0.4, -0.9, 1.3}, {-1.2, 0.3, 0.5}, {0.9, 1.1, -0.4}};
        List<OutputDerivatives> xs = new ArrayList<>();
        List<Matrix> fishers = new ArrayList<>();
        Likelihood lik = Gaussian.unit();
        ExponentialFamily fam = ExponentialFamily.of(lik);
        Matrix all = new Matrix(3, 3);
        for (int m = 0; m < 3; m++) {
            xs.add(OutputDerivatives.secondOrder(net, inputs[m]));
            fishers.add(DenseFisher.exact(net, lik, new Matrix(3, 1, inputs[m].clone())));
            for (int k = 0; k < 3; k++) {
                all.set(k, m, inputs[m][k]);
            }
        }
        Matrix population = DenseFisher.exact(net, lik, all);
        int n = 4;
        ClosedFormVariance.Elementwise joint = ClosedFormVariance.joint(xs, fam, n);
        double[][] mc = simulate(xs, fishers, lik, fam, n, REPS, PAIRS, new Rng(21));
        compare("joint gaussian", mc, joint, population, PAIRS);
        // S9: joint − mean of the fixed-input variances = Var_x(I(θ|x)) / N, computed here from the three Fishers
        for (int[] pr : PAIRS) {
            int a = pr[0], b = pr[1];
            double meanFixed1 = 0, meanFixed2 = 0, m = 0, sq = 0;
            for (int k = 0; k < 3; k++) {
                ClosedFormVariance.Elementwise f = ClosedFormVariance.fixedInput(xs.get(k), fam, n);
                meanFixed1 += f.var1().get(a, b) / 3;
                meanFixed2 += f.var2().get(a, b) / 3;
                double v = fishers.get(k).get(a, b);
                m += v / 3;
                sq += v * v / 3;
            }
            double covX = (sq - m * m) / n;
            assertEquals(covX, joint.var1().get(a, b) - meanFixed1, 1e-10 * (1 + covX));
            assertEquals(covX, joint.var2().get(a, b) - meanFixed2, 1e-10 * (1 + covX));
        }
    }

    @Test
    void boundsHoldElementwise() {
        for (ExponentialFamily fam : new ExponentialFamily[] {new ExponentialFamily.CategoricalFamily(),
                new ExponentialFamily.BernoulliFamily(), new ExponentialFamily.PoissonFamily(),
                new ExponentialFamily.GaussianFamily(2)}) {
            OutputDerivatives od = OutputDerivatives.secondOrder(net(22), X);
            ClosedFormVariance.Elementwise cf = ClosedFormVariance.fixedInput(od, fam, 3);
            for (int k = 0; k < cf.var1().data().length; k++) {
                assertTrue(cf.var1().data()[k] <= cf.bound1().data()[k] * (1 + 1e-12) + 1e-300, fam.label() + " bound 1");
                assertTrue(cf.var2().data()[k] <= cf.bound2().data()[k] * (1 + 1e-12) + 1e-300, fam.label() + " bound 2");
                assertTrue(cf.var1().data()[k] >= -1e-15 && cf.var2().data()[k] >= 0);
            }
        }
    }

    /** Max absolute element difference. */
    static final class MatOpsDiff {
        static double max(Matrix a, Matrix b) {
            double m = 0;
            for (int k = 0; k < a.data().length; k++) {
                m = Math.max(m, Math.abs(a.data()[k] - b.data()[k]));
            }
            return m;
        }
    }
}
