package org.natgrad.deeplinear;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.natgrad.optim.Damping;
import org.natgrad.optim.FixedDamping;
import org.natgrad.optim.LevenbergMarquardt;
import org.natgrad.optim.PredictedDecrease;
import org.natgrad.linalg.Cholesky;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.random.Rng;

/** Checks B11, B12, B15, B16 of math.md §6 and the predicted test-error curve. */
class PredictedCurveTest {

    /**
     * B11: RK4 of the Eq. 10 (= Eq. 16) flow; log(L − L*) has slope −2. The end-to-end map follows
     * the segment W(t) = W* + e^{−t}(W0 − W*), so we pick W* = S W0 with S symmetric positive definite
     * (eigenvalues 0.3..3): the segment ((1−s) I + s S) W0 never meets a singular matrix, while the
     * start is far from W*. (With an arbitrary W* the segment may cross det W = 0, where the layers'
     * inverses blow up: the saddle problem of math.md §2.4.)
     */
    @Test
    void b11ContinuousFlowDecaysLikeExpMinus2t() {
        for (int[] arch : new int[][] {Fixtures.SQUARE, Fixtures.WIDENING}) {
            DeepLinearModel m0 = Fixtures.model(arch, 71);
            Matrix s = Fixtures.spd(m0.width(m0.depth()), 0.3, 3, new Rng(711));
            DeepLinearModel m = m0.withTarget(MatOps.multiply(s, m0.total()));
            double dt = 0.02;
            Trajectory tr = PredictedCurve.flow(m, dt, 100, !m.isSquare());
            double[] e = tr.excessLoss();
            for (int k = 0; k < tr.steps(); k++) {
                double slope = (Math.log(e[k + 1]) - Math.log(e[k])) / dt;
                assertEquals(-2, slope, 1e-3, java.util.Arrays.toString(arch) + " step " + k);
            }
            assertEquals(PredictedCurve.continuousExcess(e[0], 2.0), e[100], 1e-6 * e[100]);
            assertEquals(2.0, tr.time()[100], 1e-12);
        }
    }

    /** The flow of Eq. 10 on a contracting net is slower than e^{−2t} (it is not the exact natural gradient). */
    @Test
    void contractingNetFlowIsSlowerThanExactNaturalGradient() {
        DeepLinearModel m = Fixtures.model(Fixtures.CONTRACTING, 72);
        Trajectory tr = PredictedCurve.flow(m, 0.02, 10, true);
        double[] e = tr.excessLoss();
        for (int k = 0; k < tr.steps(); k++) {
            double slope = (Math.log(e[k + 1]) - Math.log(e[k])) / 0.02;
            assertTrue(slope < 0 && slope > -2 + 1e-3, "slope " + slope);
        }
    }

    /**
     * A square model whose target is W* = (I + scale E) W with E symmetric, ‖E‖_F = 1: the excess loss
     * is O(scale²), and the second-order error of one step, O(‖W* − W‖² ‖W^{-1}‖) = O(scale²) ‖W‖, does
     * not depend on how well W is conditioned.
     */
    private static DeepLinearModel nearTarget(int[] arch, double scale, long seed) {
        DeepLinearModel m = Fixtures.model(arch, seed);
        int n = m.width(m.depth());
        Matrix e = MatOps.symmetrizeInPlace(Fixtures.gaussian(n, n, 1, new Rng(seed + 1)));
        MatOps.scaleInPlace(scale / e.frobeniusNorm(), e);
        Matrix w = m.total();
        return m.withTarget(MatOps.add(w, MatOps.multiply(e, w), null));
    }

    /**
     * B12: undamped discrete steps with exact statistics near W*: the excess-loss ratio per step
     * tends to (1 − α)²; the deviation is first order in ‖W − W*‖, so it shrinks tenfold when the
     * starting distance does.
     */
    @Test
    void b12DiscreteRatioIsOneMinusAlphaSquaredNearTheOptimum() {
        double alpha = 0.3;
        double[] dev = new double[2];
        double[] scales = {1e-3, 1e-4};
        for (int s = 0; s < 2; s++) {
            DeepLinearModel m = nearTarget(Fixtures.SQUARE_DEEP, scales[s], 73);
            Trajectory tr = PredictedCurve.discreteNgd(m, alpha, 0, 5);
            for (double r : tr.ratios()) {
                dev[s] = Math.max(dev[s], Math.abs(r - PredictedCurve.perStepRatio(alpha)));
            }
        }
        assertEquals(0.49, PredictedCurve.perStepRatio(0.3), 1e-15);
        assertTrue(dev[1] < 1e-3, "deviation " + dev[1]);
        assertEquals(10, dev[0] / dev[1], 2, "first-order convergence in the distance to W*: " + dev[0] + ", " + dev[1]);
    }

    /**
     * B12, α = 1: Newton-like, faster than linear: each ratio at least 10x smaller than the last, and
     * the estimated order log(e_{k+1}/e_k) / log(e_k/e_{k-1}) is at least 1.8 (quadratic: 2).
     */
    @Test
    void b12AlphaOneConvergesSuperlinearly() {
        DeepLinearModel m = nearTarget(Fixtures.SQUARE_DEEP, 0.3, 74);
        Trajectory tr = PredictedCurve.discreteNgd(m, 1.0, 0, 3);
        double[] r = tr.ratios();
        assertTrue(r[0] < 0.1, "first ratio " + r[0]);
        assertTrue(r[1] < 0.1 * r[0] && r[2] < 0.1 * r[1], java.util.Arrays.toString(r));
        for (int k = 1; k < 3; k++) {
            double order = Math.log(r[k]) / Math.log(r[k - 1]);
            assertTrue(order > 1.8, "order " + order + " from " + java.util.Arrays.toString(tr.excessLoss()));
        }
        // one layer: a single α = 1 step is the exact Newton step and lands on W*
        DeepLinearModel one = Fixtures.model(new int[] {4, 3}, 75);
        Trajectory t1 = PredictedCurve.discreteNgd(one, 1.0, 0, 1);
        assertTrue(t1.excessLoss()[1] < 1e-26 * t1.excessLoss()[0]);
        assertEquals(0, MatOps.relativeError(t1.last().total(), one.target()), 1e-12);
    }

    /** B15: L = 1, exact statistics, no damping: ρ = 1 for any α under both predicted-decrease variants. */
    @Test
    void b15RhoIsOneForASingleLayer() {
        DeepLinearModel m = Fixtures.model(new int[] {4, 3}, 76);
        for (double alpha : new double[] {0.3, 1.0, 1.5}) {
            List<StepOutcome> seen = PredictedCurve.discreteNgd(m, alpha, new FixedDamping(0, 0),
                    PredictedDecrease.PAPER_FOOTNOTE, 2, false).outcomes();
            for (StepOutcome o : seen) {
                assertEquals(1, o.rho(PredictedDecrease.PAPER_FOOTNOTE), 1e-9, "α = " + alpha);
                assertEquals(1, o.rho(PredictedDecrease.OFFICIAL_CODE), 1e-9, "α = " + alpha);
            }
        }
        // for L > 1 the two variants differ by the factor of math.md §2.7
        StepOutcome o = new StepOutcome(1.0, 16, -1, 2);
        assertEquals(-1.0 / 16, o.predictedChange(PredictedDecrease.PAPER_FOOTNOTE), 1e-15);
        assertEquals(-2.0 / 16 * (1 - 1.0 / 32), o.predictedChange(PredictedDecrease.OFFICIAL_CODE), 1e-15);
    }

    /** B16: Eq. 21 schedule; every step is applied. */
    @Test
    void b16LevenbergMarquardtRule() {
        PredictedDecrease official = PredictedDecrease.OFFICIAL_CODE;
        // predicted change with α = 1, L = 1: −½ · gd; choose actual changes for ρ = 0.1, 0.5, 0.9
        assertEquals(1.5, LevenbergMarquardt.next(1.0, new StepOutcome(1, 1, -0.1, 2).rho(official)), 1e-15);
        assertEquals(1.0, LevenbergMarquardt.next(1.0, new StepOutcome(1, 1, -0.5, 2).rho(official)), 1e-15);
        assertEquals(1 / 1.5, LevenbergMarquardt.next(1.0, new StepOutcome(1, 1, -0.9, 2).rho(official)), 1e-15);
        assertEquals(1.5, LevenbergMarquardt.next(1.0, new StepOutcome(1, 1, +0.3, 2).rho(official)), 1e-15); // loss went up

        DeepLinearModel m = Fixtures.model(Fixtures.SQUARE_DEEP, 77);
        Trajectory tr = PredictedCurve.discreteNgd(m, 1.0, new LevenbergMarquardt(0.01, Double.POSITIVE_INFINITY),
                PredictedDecrease.PAPER_FOOTNOTE, 30, false);
        List<Double> rhos = new ArrayList<>();
        for (StepOutcome o : tr.outcomes()) {
            rhos.add(o.rho(PredictedDecrease.PAPER_FOOTNOTE));
        }
        assertEquals(30, tr.steps());
        for (int k = 0; k + 1 < tr.steps(); k++) {
            double rho = rhos.get(k);
            double expected = rho < 0.25 ? 1.5 * tr.damping()[k] : rho > 0.75 ? tr.damping()[k] / 1.5 : tr.damping()[k];
            assertEquals(expected, tr.damping()[k + 1], 1e-15 * expected);
        }
        assertTrue(tr.excessLoss()[30] < 1e-6 * tr.excessLoss()[0], java.util.Arrays.toString(tr.excessLoss()));
    }

    @Test
    void stopBelowEndsTheTrajectoryAtTheFirstSmallEnoughIterate() {
        DeepLinearModel m = Fixtures.model(Fixtures.SQUARE_DEEP, 81);
        Damping lm = new LevenbergMarquardt(0.01, Double.POSITIVE_INFINITY);
        PredictedDecrease official = PredictedDecrease.OFFICIAL_CODE;
        Trajectory full = PredictedCurve.discreteNgd(m, 1.0, lm, official, 40, false);
        double threshold = 1e-6 * full.excessLoss()[0];
        int first = 0;
        while (full.excessLoss()[first] > threshold) {
            first++;
        }
        assertTrue(first > 0 && first < 40, "threshold reached at " + first);
        Trajectory cut = PredictedCurve.discreteNgd(m, 1.0, lm, official, 40, false, threshold);
        assertEquals(first, cut.steps());
        assertArrayEquals(java.util.Arrays.copyOf(full.excessLoss(), first + 1), cut.excessLoss());
        assertThrows(IllegalArgumentException.class, () -> PredictedCurve.discreteNgd(m, 1.0, lm, official, 4, false, -1));
    }

    @Test
    void rhoGuards() {
        // no gradient: nothing predicted, ρ = 1; a positive (non-descent) prediction: ρ = −∞, damping grows
        assertEquals(1, new StepOutcome(1, 2, 0, 0).rho(PredictedDecrease.PAPER_FOOTNOTE));
        StepOutcome broken = new StepOutcome(1, 2, 1e-12, -1e-15);
        assertEquals(Double.NEGATIVE_INFINITY, broken.rho(PredictedDecrease.OFFICIAL_CODE));
        assertEquals(3.0, LevenbergMarquardt.next(2.0, broken.rho(PredictedDecrease.OFFICIAL_CODE)), 1e-15);
    }

    @Test
    void fixedAndScheduledDamping() {
        DeepLinearModel m = Fixtures.model(Fixtures.BOTTLENECK, 78);
        Trajectory fixed = PredictedCurve.discreteNgd(m, 1.0, 0.1, 20);
        for (int k = 0; k < 20; k++) {
            assertEquals(0.1, fixed.damping()[k]);
            assertTrue(fixed.excessLoss()[k + 1] < fixed.excessLoss()[k], "damped steps descend here");
        }
        double[] lambdas = {1, 0.5, 0.25, 0.125};
        Trajectory sched = PredictedCurve.discreteNgd(m, 1.0, lambdas);
        assertArrayEquals(lambdas, sched.damping());
        // each scheduled step is the Eq. 20 update with that λ
        DeepLinearModel cur = m;
        for (int k = 0; k < lambdas.length; k++) {
            cur = cur.withWeights(NaturalGradientUpdate.applied(cur, NaturalGradientUpdate.eq20(cur, 1.0, lambdas[k], true)));
            assertEquals(cur.excessLoss(), sched.excessLoss()[k + 1], 1e-12 * cur.excessLoss());
        }
        assertThrows(IllegalArgumentException.class, () -> PredictedCurve.discreteNgd(m, 1.0, -1, 3));
        assertThrows(IllegalArgumentException.class, () -> PredictedCurve.flow(m, 0, 3, true));
        assertThrows(IllegalArgumentException.class,
                () -> PredictedCurve.discreteNgd(m, 1.0, FixedDamping.schedule(1.0, Double.NaN),
                        PredictedDecrease.PAPER_FOOTNOTE, 2, true));
    }

    /**
     * Test error of Gaussian targets y = W* x + ξ, ξ ~ N(0, σ² I), Σ̃ = I: ½ E‖W x − y‖² =
     * excess + ½ n_L σ², checked by Monte Carlo (2e5 samples, 2 %).
     */
    @Test
    void testErrorIsExcessPlusNoiseFloor() {
        DeepLinearModel m = Fixtures.unitOutputModel(Fixtures.WIDENING, 79);
        double sigma2 = 0.3;
        double floor = PredictedCurve.noiseFloor(m, sigma2);
        assertEquals(0.5 * 4 * sigma2, floor, 1e-15);
        assertEquals(floor, PredictedCurve.noiseFloor(m, MatOps.scale(sigma2, Matrix.identity(4), null)), 1e-15);
        int s = 200_000;
        Rng rng = new Rng(80);
        Matrix x = MatOps.multiply(Cholesky.decompose(m.sigma()).orElseThrow().lower(), Fixtures.gaussian(3, s, 1, rng));
        Matrix y = MatOps.multiply(m.target(), x);
        MatOps.axpy(Math.sqrt(sigma2), Fixtures.gaussian(4, s, 1, rng), y);
        Matrix r = MatOps.subtract(MatOps.multiply(m.total(), x), y, null);
        double mc = 0.5 * MatOps.dot(r, r) / s;
        double predicted = m.excessLoss() + floor;
        assertEquals(predicted, mc, 0.02 * predicted);
        Trajectory tr = PredictedCurve.discreteNgd(m, 1.0, 0.01, 3);
        double[] te = tr.testError(floor);
        for (int k = 0; k < te.length; k++) {
            assertEquals(tr.excessLoss()[k] + floor, te[k], 1e-15);
        }
        assertEquals(1.0 + 0.5 * Math.exp(-2), PredictedCurve.continuousLoss(1.0, 1.5, 1.0), 1e-15);
        assertEquals(0.8 * Math.pow(0.49, 3), PredictedCurve.linearizedDiscreteExcess(0.8, 0.3, 3), 1e-15);
    }
}
