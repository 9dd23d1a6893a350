package org.natgrad.bayes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.natgrad.linalg.Inverses;
import org.natgrad.linalg.Matrix;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.SymmetricEigen;
import org.natgrad.random.Rng;

/** math.md §6, checks A1–A7, by enumeration (1e-10) or Monte Carlo (stated tolerance). */
class FisherGeometryTest {

    static double relErr(Matrix a, Matrix b) {
        Matrix d = MatOps.subtract(a, b, null);
        return d.frobeniusNorm() / Math.max(b.frobeniusNorm(), 1e-300);
    }

    static double relErr(double[] a, double[] b) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < a.length; i++) {
            num += (a[i] - b[i]) * (a[i] - b[i]);
            den += b[i] * b[i];
        }
        return Math.sqrt(num / Math.max(den, 1e-300));
    }

    static BayesNet seven(UnitType t, long seed) {
        return BayesNet.random(Dag.sevenUnit(t), 1.0, new Rng(seed));
    }

    @Test
    void a1CrossUnitBlocksOfTheFullFisherVanish() {
        for (UnitType t : UnitType.values()) {
            BayesNet net = seven(t, 21);
            Dag d = net.dag();
            Matrix g = Enumeration.of(net).fullFisher();
            double scale = g.maxAbs();
            for (int r = 0; r < d.size(); r++) {
                for (int s = 0; s < d.size(); s++) {
                    if (r == s) {
                        continue;
                    }
                    for (int i = 0; i < d.blockSize(r); i++) {
                        for (int j = 0; j < d.blockSize(s); j++) {
                            assertEquals(0.0, g.get(d.offset(r) + i, d.offset(s) + j), 1e-10 * scale,
                                    t + " block (" + r + ", " + s + ")");
                        }
                    }
                }
            }
        }
    }

    @Test
    void a2LocalBlocksAreTheParentAverageOfTheAnalyticWeight() {
        for (UnitType t : UnitType.values()) {
            BayesNet net = seven(t, 22);
            Enumeration e = Enumeration.of(net);
            // dense E[s sᵀ] from explicit scores vs blkdiag of E_pa[Var x̄ x̄ᵀ] from parent marginals
            assertTrue(relErr(e.localFisher().toDense(), e.fullFisher()) < 1e-10, t.toString());
        }
    }

    @Test
    void a2LocalBlocksFromAncestralSamplesAgreeWithinMonteCarloError() {
        BayesNet net = seven(UnitType.BINARY, 23);
        Matrix exact = Enumeration.of(net).localFisher().toDense();
        Matrix est = LocalFisher.fromSamples(net, net.sample(100_000, new Rng(24))).toDense();
        // each entry is a mean of bounded terms (|.| ≤ 1/4): standard error ≤ 0.25 / sqrt(1e5) ≈ 8e-4
        double maxDiff = MatOps.subtract(est, exact, null).maxAbs();
        assertTrue(maxDiff < 4e-3, "max |estimate − exact| = " + maxDiff);
        assertTrue(relErr(est, exact) < 0.02, "relative error " + relErr(est, exact));
    }

    @Test
    void a3FisherIdentityByFiniteDifferencesOfLogPv() {
        for (UnitType t : UnitType.values()) {
            BayesNet net = seven(t, 31);
            Enumeration e = Enumeration.of(net);
            Matrix sbar = e.visibleScores();
            double[] theta = net.parameters();
            double h = 1e-5;
            for (int i = 0; i < theta.length; i++) {
                double[] tp = theta.clone();
                double[] tm = theta.clone();
                tp[i] += h;
                tm[i] -= h;
                double[] lp = Enumeration.of(new BayesNet(net.dag(), tp)).logVisible();
                double[] lm = Enumeration.of(new BayesNet(net.dag(), tm)).logVisible();
                for (int v = 0; v < e.configCount(); v++) {
                    assertEquals((lp[v] - lm[v]) / (2 * h), sbar.get(i, v), 1e-8, t + " param " + i + " config " + v);
                }
            }
            // and the gradient of the KL
            VisibleTarget target = VisibleTarget.random(3, 1.0, new Rng(32));
            double[] g = e.visibleGradient(target);
            for (int i = 0; i < theta.length; i++) {
                double[] tp = theta.clone();
                double[] tm = theta.clone();
                tp[i] += h;
                tm[i] -= h;
                double fd = (Enumeration.of(new BayesNet(net.dag(), tp)).kl(target)
                        - Enumeration.of(new BayesNet(net.dag(), tm)).kl(target)) / (2 * h);
                assertEquals(fd, g[i], 1e-8, t + " dKL/dθ_" + i);
            }
        }
    }

    @Test
    void a4MissingInformationIsTheExpectedPosteriorCovarianceAndPsd() {
        for (UnitType t : UnitType.values()) {
            Enumeration e = Enumeration.of(seven(t, 41));
            Matrix diff = MatOps.subtract(e.fullFisher(), e.visibleFisher(), null);
            Matrix cov = e.expectedPosteriorCovariance();
            assertTrue(relErr(diff, cov) < 1e-10, t + ": " + relErr(diff, cov));
            double[] ev = SymmetricEigen.decompose(diff).orElseThrow().values();
            assertTrue(ev[0] > -1e-12 * ev[ev.length - 1], t + ": smallest eigenvalue " + ev[0]);
            assertTrue(ev[ev.length - 1] > 1e-3, "the hidden units carry missing information");
        }
    }

    @Test
    void a5RanksOfTheSevenUnitNetwork() {
        for (UnitType t : UnitType.values()) {
            for (long seed = 51; seed < 54; seed++) {
                Enumeration e = Enumeration.of(seven(t, seed));
                int rankG = SymmetricEigen.decompose(e.fullFisher()).orElseThrow().rank(1e-9);
                int rankGv = SymmetricEigen.decompose(e.visibleFisher()).orElseThrow().rank(1e-9);
                assertEquals(18, rankG, t + " rank G");
                assertEquals(7, rankGv, t + " rank G_V = |X_V| − 1");
            }
        }
    }

    /** Cosine of two vectors. */
    static double cosine(double[] a, double[] b) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return ab / Math.sqrt(aa * bb);
    }

    /** dp_V(v) = p_V(v) s̄(v)ᵀ Δ: the change of the visible marginal along Δ. */
    static double[] pushforward(Enumeration e, double[] delta) {
        Matrix sbar = e.visibleScores();
        double[] pv = e.visible();
        double[] out = new double[pv.length];
        for (int v = 0; v < pv.length; v++) {
            double s = 0;
            for (int i = 0; i < delta.length; i++) {
                s += sbar.get(i, v) * delta[i];
            }
            out[v] = pv[v] * s;
        }
        return out;
    }

    @Test
    void a6FullAndVisibleNaturalGradientsDifferForAGenericSbn() {
        BayesNet net = seven(UnitType.BINARY, 61);
        Enumeration e = Enumeration.of(net);
        VisibleTarget target = VisibleTarget.random(3, 1.0, new Rng(62));
        double[] full = LocalNaturalGradient.direction(e, target, 0.0);
        double[] vis = VisibleNaturalGradient.direction(e, target, 1e-10);
        double cos = cosine(full, vis);
        // documentation only (math.md reports 0.06 on its own draw): the two differ
        assertTrue(cos < 0.99, "cosine " + cos);
        double[] pf = pushforward(e, full);
        double[] pvis = pushforward(e, vis);
        assertTrue(relErr(pf, pvis) > 1e-3, "even the induced changes of p_V differ: " + relErr(pf, pvis));
        // both are descent directions
        double[] g = e.visibleGradient(target);
        assertTrue(cosine(full, g) > 0 && cosine(vis, g) > 0);
    }

    /**
     * A cylindrical model p(v; α) q(h | v; β): visible units 0 → 1 are roots of their own, hidden
     * 2 and 3 hang below them with separate parameters.
     */
    static BayesNet cylindrical(UnitType t, long seed) {
        int[][] pa = {{}, {0}, {0, 1}, {0, 1, 2}};
        return BayesNet.random(new Dag(Dag.allOf(t, 4), pa, new int[] {0, 1}), 1.0, new Rng(seed));
    }

    @Test
    void a7CylindricalModelPushforwardsAgree() {
        for (UnitType t : UnitType.values()) {
            BayesNet net = cylindrical(t, 71);
            Enumeration e = Enumeration.of(net);
            VisibleTarget target = VisibleTarget.random(2, 1.0, new Rng(72));
            double[] g = e.visibleGradient(target);
            for (int i = net.dag().offset(2); i < g.length; i++) {
                assertEquals(0.0, g[i], 1e-14, "p_V does not depend on the hidden blocks");
            }
            // full NG with the dense full Fisher (pseudo-inverse, no locality used)
            Matrix gInv = Inverses.pseudoInverse(e.fullFisher(), 1e-12);
            double[] full = new double[g.length];
            for (int i = 0; i < g.length; i++) {
                for (int j = 0; j < g.length; j++) {
                    full[i] += gInv.get(i, j) * g[j];
                }
            }
            double[] vis = VisibleNaturalGradient.direction(e, target, 1e-10);
            double[] pf = pushforward(e, full);
            double[] pvis = pushforward(e, vis);
            assertTrue(relErr(pf, pvis) < 1e-10, t + ": " + relErr(pf, pvis));
            assertTrue(relErr(full, vis) < 1e-9, t + ": here even the parameter updates agree");
        }
    }

    @Test
    void localSolveEqualsTheDenseFullNaturalGradient() {
        BayesNet net = seven(UnitType.SPIN, 81);
        Enumeration e = Enumeration.of(net);
        VisibleTarget target = VisibleTarget.random(3, 1.0, new Rng(82));
        double[] g = e.visibleGradient(target);
        Matrix gInv = Inverses.pseudoInverse(e.fullFisher(), 1e-13);
        double[] dense = new double[g.length];
        for (int i = 0; i < g.length; i++) {
            for (int j = 0; j < g.length; j++) {
                dense[i] += gInv.get(i, j) * g[j];
            }
        }
        assertTrue(relErr(LocalNaturalGradient.direction(e, target, 0.0), dense) < 1e-9);
        // the visible NG solves G_V d = ∇L_V (∇L_V lies in the range of G_V)
        double[] d = VisibleNaturalGradient.direction(e, target, 1e-10);
        Matrix gv = e.visibleFisher();
        double[] back = new double[g.length];
        for (int i = 0; i < g.length; i++) {
            for (int j = 0; j < g.length; j++) {
                back[i] += gv.get(i, j) * d[j];
            }
        }
        assertTrue(relErr(back, g) < 1e-8, "G_V G_V^+ ∇L = ∇L: " + relErr(back, g));
    }
}
