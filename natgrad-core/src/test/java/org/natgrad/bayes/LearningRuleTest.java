package org.natgrad.bayes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.natgrad.linalg.Matrix;
import org.natgrad.random.Rng;

/** Check A8 and the learning rules' behaviour on problems with a known optimum. */
class LearningRuleTest {

    /**
     * Two hidden roots with disjoint visible children: 0 → {2, 3, 4}, 1 → {5, 6}. The posterior
     * factorizes over the hidden units and each factor is a logistic function of the children,
     * so the reversed-edge recognition network can represent p(h|v) exactly.
     */
    static BayesNet twoStars(long seed) {
        int[][] pa = {{}, {}, {0}, {0}, {0}, {1}, {1}};
        return BayesNet.random(new Dag(Dag.allOf(UnitType.BINARY, 7), pa, new int[] {2, 3, 4, 5, 6}), 1.5, new Rng(seed));
    }

    /**
     * The exact posterior of a binary hidden root h with binary children v_i (a_i = b_i + w_i h):
     * log-odds = b_h + Σ_i [v_i w_i − softplus(b_i + w_i) + softplus(b_i)], derived by hand.
     */
    static RecognitionNet exactRecognition(BayesNet net) {
        Dag d = net.dag();
        RecognitionNet q = RecognitionNet.reversed(d);
        double[] theta = net.parameters();
        double[] xi = new double[q.dag().parameterCount()];
        for (int h : d.hidden()) {
            int[] ch = d.children(h);
            assertEquals(ch.length, q.dag().parents(h).length);
            double bias = theta[d.offset(h)];
            for (int j = 0; j < ch.length; j++) {
                int c = ch[j];
                double bc = theta[d.offset(c)];
                double wc = theta[d.offset(c) + 1]; // the child's only parent is h
                bias += UnitType.softplus(bc) - UnitType.softplus(bc + wc);
                xi[q.dag().offset(h) + 1 + j] = wc;
            }
            xi[q.dag().offset(h)] = bias;
        }
        q.setParameters(xi);
        return q;
    }

    @Test
    void a8WakeGradientWithTheExactPosteriorIsTheVisibleGradient() {
        BayesNet net = twoStars(3);
        Enumeration e = Enumeration.of(net);
        RecognitionNet q = exactRecognition(net);
        // the hand-derived recognition model is the posterior
        double[] logq = q.logConditionalAll();
        for (int x = 0; x < e.stateCount(); x++) {
            assertEquals(e.logPosterior(x), logq[x], 1e-12, "state " + x);
        }
        VisibleTarget target = VisibleTarget.random(5, 1.0, new Rng(4));
        double[] wake = WakeSleep.wakeGradientExact(net, q, target);
        // reference: finite differences of the KL (no posterior involved)
        double[] theta = net.parameters();
        double h = 1e-5;
        for (int i = 0; i < theta.length; i++) {
            double[] tp = theta.clone();
            double[] tm = theta.clone();
            tp[i] += h;
            tm[i] -= h;
            double fd = (Enumeration.of(new BayesNet(net.dag(), tp)).kl(target)
                    - Enumeration.of(new BayesNet(net.dag(), tm)).kl(target)) / (2 * h);
            assertEquals(fd, wake[i], 1e-8, "parameter " + i);
        }
        // the sampled wake gradient converges to it: 4e5 completed samples, error ~ 1/sqrt(B)
        double[] sampled = WakeSleep.wakeGradientSampled(net, q, target, 400_000, new Rng(5));
        double maxDiff = 0;
        for (int i = 0; i < wake.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(sampled[i] - wake[i]));
        }
        // each component is a mean of terms bounded by 1: standard error ≤ 1/sqrt(4e5) ≈ 1.6e-3
        assertTrue(maxDiff < 6e-3, "max |sampled − exact| = " + maxDiff);
    }

    @Test
    void wakeGradientWithAWrongRecognitionModelIsBiased() {
        BayesNet net = twoStars(3);
        RecognitionNet q = RecognitionNet.reversed(net.dag()); // ξ = 0: q(h|v) uniform
        VisibleTarget target = VisibleTarget.random(5, 1.0, new Rng(4));
        double[] wake = WakeSleep.wakeGradientExact(net, q, target);
        double[] g = Enumeration.of(net).visibleGradient(target);
        assertTrue(FisherGeometryTest.relErr(wake, g) > 0.05, "the Fisher identity needs the true posterior");
    }

    static VisibleTarget twoBitTarget() {
        return new VisibleTarget(2, new double[] {0.1, 0.2, 0.3, 0.4});
    }

    /** Fully visible and complete: 0 → 1 can represent every distribution on two bits. */
    static BayesNet twoBits() {
        return new BayesNet(new Dag(Dag.allOf(UnitType.BINARY, 2), new int[][] {{}, {0}}, new int[] {0, 1}));
    }

    @Test
    void exactRulesReachTheOptimumOfACompleteModel() {
        LearningRule[] rules = {new PlainGradient(2.0), new VisibleNaturalGradient(0.5, 1e-10), new LocalNaturalGradient(0.5, 0.0)};
        for (LearningRule rule : rules) {
            BayesNet net = twoBits();
            int steps = rule instanceof PlainGradient ? 3000 : 60;
            for (int k = 0; k < steps; k++) {
                rule.step(net, twoBitTarget());
            }
            double kl = Enumeration.of(net).kl(twoBitTarget());
            assertTrue(kl < 1e-10, rule.name() + ": KL " + kl);
        }
        // for a fully visible model G_V = G, so the two natural gradients coincide
        BayesNet net = BayesNet.random(twoBits().dag(), 1.0, new Rng(1));
        Enumeration e = Enumeration.of(net);
        assertTrue(FisherGeometryTest.relErr(LocalNaturalGradient.direction(e, twoBitTarget(), 0.0),
                VisibleNaturalGradient.direction(e, twoBitTarget(), 1e-12)) < 1e-9);
    }

    @Test
    void localNaturalGradientWithUnitRateIsFisherScoringForAFullyVisibleModel() {
        // fully visible: each unit is a logistic regression on its parents; with exact statistics
        // the local NG step with η = 1 is one Fisher-scoring (Newton) step per unit, quadratic convergence
        BayesNet net = twoBits();
        LearningRule rule = new LocalNaturalGradient(1.0, 0.0);
        double[] kls = new double[6];
        for (int k = 0; k < kls.length; k++) {
            rule.step(net, twoBitTarget());
            kls[k] = Enumeration.of(net).kl(twoBitTarget());
        }
        assertTrue(kls[4] < 1e-12, "KL after 5 steps " + kls[4]);
    }

    @Test
    void everyRuleDecreasesTheKlOfTheSevenUnitNetwork() {
        VisibleTarget target = VisibleTarget.random(3, 1.0, new Rng(8));
        Dag d = Dag.sevenUnit(UnitType.BINARY);
        LearningRule[] rules = {
            new PlainGradient(1.0),
            new VisibleNaturalGradient(0.2, 1e-4), // a cut-off of 1e-8 lets near-null directions blow up
            new LocalNaturalGradient(0.5, 1e-4),
            new WakeSleep(new WakeSleep.Options(0.1, 0.1, 50, false, WakeSleep.WakeMetric.MODEL, 1e-3),
                    RecognitionNet.reversed(d), new Rng(9)),
            new WakeSleep(new WakeSleep.Options(0.1, 0.1, 50, true, WakeSleep.WakeMetric.MODEL, 1e-3),
                    RecognitionNet.reversed(d), new Rng(9)),
            new WakeSleep(new WakeSleep.Options(0.1, 0.1, 50, true, WakeSleep.WakeMetric.DATA_COMPLETED, 1e-3),
                    RecognitionNet.reversed(d), new Rng(9)),
        };
        for (LearningRule rule : rules) {
            BayesNet net = BayesNet.random(d, 0.5, new Rng(7));
            double before = Enumeration.of(net).kl(target);
            for (int k = 0; k < 200; k++) {
                rule.step(net, target);
            }
            double after = Enumeration.of(net).kl(target);
            assertTrue(after < 0.5 * before, rule.name() + ": KL " + before + " -> " + after);
        }
    }

    @Test
    void optionsAndShapesAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> new PlainGradient(0));
        assertThrows(IllegalArgumentException.class, () -> new LocalNaturalGradient(1, -1));
        assertThrows(IllegalArgumentException.class, () -> new VisibleNaturalGradient(1, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new WakeSleep.Options(0.1, 0.1, 0, false, WakeSleep.WakeMetric.MODEL, 0));
        var e = assertThrows(IllegalArgumentException.class,
                () -> Enumeration.of(twoBits()).kl(VisibleTarget.random(3, 1, new Rng(1))));
        assertTrue(e.getMessage().contains("3 visible units"), e.getMessage());
        var t = assertThrows(IllegalArgumentException.class, () -> new VisibleTarget(2, new double[] {0.5, 0.5, 0.5, -0.5}));
        assertTrue(t.getMessage().contains("configuration 3"), t.getMessage());
        var nan = assertThrows(IllegalArgumentException.class, () -> twoBits().setParameters(new double[] {0, Double.NaN, 0}));
        assertTrue(nan.getMessage().contains("parameter 1"), nan.getMessage());
        var rec = assertThrows(IllegalArgumentException.class,
                () -> new RecognitionNet(Dag.sevenUnit(UnitType.BINARY), new int[][] {{1}, {0}, {}, {}, {}, {}, {}}));
        assertTrue(rec.getMessage().contains("cycle"), rec.getMessage());
        Matrix wrong = new Matrix(3, 5);
        assertThrows(IllegalArgumentException.class, () -> LocalFisher.fromSamples(twoBits(), wrong));
    }
}
