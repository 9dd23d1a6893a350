package org.natgrad.bayes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.natgrad.linalg.Matrix;
import org.natgrad.random.Rng;

/** Joint, marginal, posterior and KL by enumeration, against direct formulas and sampling. */
class EnumerationTest {

    @Test
    void jointMatchesTheProductOfKernelsAndSumsToOne() {
        for (UnitType t : UnitType.values()) {
            BayesNet net = BayesNet.random(Dag.sevenUnit(t), 1.0, new Rng(11));
            Enumeration e = Enumeration.of(net);
            double total = 0;
            for (int x = 0; x < e.stateCount(); x++) {
                // independent path: BayesNet.logJoint on unit values
                assertEquals(net.logJoint(e.values(x)), e.logJoint(x), 1e-12);
                total += Math.exp(e.logJoint(x));
            }
            assertEquals(1.0, total, 1e-12);
            double[] pv = e.visible();
            double sv = 0;
            for (int v = 0; v < pv.length; v++) {
                double direct = 0; // Σ_h p(v, h) by a plain sum
                for (int x = 0; x < e.stateCount(); x++) {
                    if (e.visibleConfig(x) == v) {
                        direct += Math.exp(e.logJoint(x));
                    }
                }
                assertEquals(direct, pv[v], 1e-13);
                sv += pv[v];
            }
            assertEquals(1.0, sv, 1e-12);
            // posteriors sum to one per visible configuration
            double[] ps = new double[pv.length];
            for (int x = 0; x < e.stateCount(); x++) {
                ps[e.visibleConfig(x)] += Math.exp(e.logPosterior(x));
            }
            for (double s : ps) {
                assertEquals(1.0, s, 1e-12);
            }
        }
    }

    @Test
    void ancestralSamplesFollowTheEnumeratedJoint() {
        BayesNet net = BayesNet.random(Dag.sevenUnit(UnitType.BINARY), 1.0, new Rng(5));
        Enumeration e = Enumeration.of(net);
        int m = 200_000;
        Matrix s = net.sample(m, new Rng(6));
        int[] counts = new int[e.stateCount()];
        for (int c = 0; c < m; c++) {
            int x = 0;
            for (int r = 0; r < 7; r++) {
                x |= UnitType.BINARY.bit(s.get(r, c)) << r;
            }
            counts[x]++;
        }
        for (int x = 0; x < counts.length; x++) {
            double p = Math.exp(e.logJoint(x));
            double sd = Math.sqrt(p * (1 - p) / m);
            assertEquals(p, counts[x] / (double) m, 5 * sd + 1e-6, "state " + x);
        }
    }

    @Test
    void klIsZeroAtTheModelAndPositiveElsewhere() {
        BayesNet net = BayesNet.random(Dag.sevenUnit(UnitType.BINARY), 1.0, new Rng(2));
        Enumeration e = Enumeration.of(net);
        VisibleTarget self = new VisibleTarget(3, e.visible());
        assertEquals(0.0, e.kl(self), 1e-13);
        VisibleTarget other = VisibleTarget.random(3, 1.0, new Rng(3));
        double direct = 0;
        double[] pv = e.visible();
        for (int v = 0; v < 8; v++) {
            direct += other.probability(v) * Math.log(other.probability(v) / pv[v]);
        }
        assertEquals(direct, e.kl(other), 1e-13);
        assertTrue(e.kl(other) > 0);
    }

    @Test
    void saturatedUnitsStayInLogSpaceNeverNaN() {
        Dag d = Dag.sevenUnit(UnitType.BINARY);
        double[] theta = new double[d.parameterCount()];
        Rng rng = new Rng(9);
        for (int i = 0; i < theta.length; i++) {
            theta[i] = 900 * (rng.nextDouble() < 0.5 ? -1 : 1); // every kernel at probability 0 or 1
        }
        BayesNet net = new BayesNet(d, theta);
        Enumeration e = Enumeration.of(net);
        VisibleTarget target = VisibleTarget.random(3, 1.0, new Rng(4));
        for (double l : e.logJoint()) {
            assertFalse(Double.isNaN(l));
        }
        for (double l : e.logVisible()) {
            assertFalse(Double.isNaN(l));
            assertTrue(l <= 1e-12);
        }
        double kl = e.kl(target);
        assertFalse(Double.isNaN(kl));
        assertTrue(kl > 100, "a target with full support is far from a deterministic model: " + kl);
        for (double g : e.visibleGradient(target)) {
            assertTrue(Double.isFinite(g));
        }
        assertTrue(e.localFisher().toDense().isFinite());
        assertTrue(e.visibleFisher().isFinite());
        // a bars-and-stripes target has zeros: those configurations contribute 0, not NaN
        BayesNet bs = BayesNet.random(Dag.layered(UnitType.BINARY, 2, 4), 1.0, new Rng(1));
        double klBs = Enumeration.of(bs).kl(VisibleTarget.barsAndStripes(2, 2));
        assertTrue(Double.isFinite(klBs) && klBs > 0);
    }

    @Test
    void targetSamplesFollowTheTargetAndNeverHitZeroEntries() {
        VisibleTarget t = VisibleTarget.barsAndStripes(3, 3);
        int m = 140_000;
        int[] counts = new int[512];
        Rng rng = new Rng(12);
        for (int i = 0; i < m; i++) {
            counts[t.sample(rng)]++;
        }
        for (int v = 0; v < 512; v++) {
            double p = t.probability(v);
            if (p == 0) {
                assertEquals(0, counts[v], "configuration " + v + " has probability 0");
            } else {
                assertEquals(p, counts[v] / (double) m, 5 * Math.sqrt(p * (1 - p) / m), "configuration " + v);
            }
        }
    }

    @Test
    void barsAndStripesHasTheRightSupport() {
        VisibleTarget t = VisibleTarget.barsAndStripes(3, 3);
        assertEquals(14, t.support()); // 2^3 + 2^3 − 2
        assertEquals(1.0 / 14, t.probability(0), 1e-15); // all off
        assertEquals(1.0 / 14, t.probability(0b000_000_111), 1e-15); // top row on (a stripe)
        assertEquals(1.0 / 14, t.probability(0b001_001_001), 1e-15); // left column on (a bar)
        assertEquals(0.0, t.probability(0b000_000_011), 0.0);
    }
}
