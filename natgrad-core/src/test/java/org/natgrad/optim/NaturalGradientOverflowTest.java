package org.natgrad.optim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.natgrad.linalg.FactorPrecision;
import org.natgrad.linalg.InverseStrategy;
import org.natgrad.curvature.CurvatureChoice;
import org.natgrad.nn.Batch;
import org.natgrad.likelihood.Gaussian;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Activation;
import org.natgrad.nn.Init;
import org.natgrad.nn.Network;
import org.natgrad.random.Rng;

/**
 * A step whose curvature cannot be factorized (Kronecker factors that overflow to ±Inf, NaN/Inf
 * in cached factors) must be rejected like a NaN step: {@code step} returns normally with
 * {@code accepted = false} and a note, every weight is bit-identical, λ is raised (by
 * {@link Damping#REJECTION_FACTOR}), the cached curvature is dropped, and a later step on ordinary
 * inputs is accepted. Checked for every {@link InverseStrategy}, {@link FactorPrecision},
 * pseudo-inverse on/off, fixed and adaptive damping, refreshing every step or every third step,
 * the minibatch-moment path of linear networks and every {@link CurvatureChoice}.
 *
 * <p>Inputs scaled by 1e300 with a tanh hidden layer, on two networks: with O(1) weights tanh
 * saturates, so the loss and gradient stay finite (the layer-1 gradient and Fisher block are
 * exactly 0, since tanh' underflows to 0), and so do the input samples U_1 = X̄/√M; but
 * Λ_1 = U_1 U_1^T has entries ~1e600, i.e. +Inf in double (and in float), so no factorization of
 * it exists. With first-layer weights scaled by 1e-300 ({@link #tinyFirstLayerNet}) the
 * pre-activations are O(1), the layer-1 gradient is ~1e300 (finite), and the Fisher's layer-1
 * block overflows as well, so every curvature representation overflows too (on the saturated
 * network the exact, block-diagonal, unit-wise and diagonal Fisher are finite, and a step with
 * them may legitimately be accepted).
 */
class NaturalGradientOverflowTest {
    static final double HUGE = 1e300;
    static final List<Integer> WIDTHS = List.of(3, 4, 2);

    static Network tanhNet() {
        return Network.dense(WIDTHS, Activation.TANH, Activation.IDENTITY, true, new Init.Gaussian(1), 41);
    }

    /** {@link #tanhNet} with the first layer's weights (not its bias) scaled by 1e-300. */
    static Network tinyFirstLayerNet() {
        Network net = tanhNet();
        double[] w = net.layer(0).weights().data();
        for (int k = 0; k < w.length; k++) {
            w[k] *= 1 / HUGE;
        }
        return net;
    }

    static Network linearNet() {
        return Network.dense(WIDTHS, Activation.IDENTITY, Activation.IDENTITY, true, new Init.Gaussian(1), 42);
    }

    static Batch batch(double scale, long seed) {
        Rng rng = new Rng(seed);
        Matrix x = NaturalGradientTest.gaussian(3, 8, rng);
        for (int k = 0; k < x.data().length; k++) {
            x.data()[k] *= scale;
        }
        return new Batch(x, NaturalGradientTest.gaussian(2, 8, rng));
    }

    /** Every valid combination of strategy, precision, pseudo-inverse, damping rule and refresh interval. */
    static List<NaturalGradientOptions> everyOptionSet() {
        List<NaturalGradientOptions> all = new ArrayList<>();
        for (InverseStrategy st : InverseStrategy.values()) {
            for (FactorPrecision p : FactorPrecision.values()) {
                for (boolean pseudo : new boolean[] {false, true}) {
                    if (pseudo && st == InverseStrategy.SHERMAN_MORRISON) {
                        continue; // invalid (options reject it)
                    }
                    for (boolean adaptive : new boolean[] {false, true}) {
                        for (int refresh : new int[] {1, 3}) {
                            all.add(NaturalGradientOptions.paperDefaults().withInverse(st).withFactorPrecision(p)
                                    .withPseudoInverse(pseudo).withAdaptiveDamping(adaptive).withRefreshEvery(refresh)
                                    .withInitialDamping(0.05).withSeed(7).withBlowUpFactor(Double.POSITIVE_INFINITY));
                        }
                    }
                }
            }
        }
        return all;
    }

    static String describe(NaturalGradientOptions o) {
        return (o.curvature() != null ? "curvature " + o.curvature().label() + ", " : "")
                + o.inverse() + " " + o.factorPrecision() + (o.pseudoInverse() ? " pinv" : "")
                + (o.adaptiveDamping() ? " adaptive" : " fixed") + " T=" + o.refreshEvery()
                + (o.linearMoments() ? "" : " no-moments");
    }

    /**
     * One rejected step on {@code bad} (checked as the class comment says), then a step on an
     * ordinary batch that must be accepted; failures are collected with the configuration.
     */
    static void rejectThenRecover(NaturalGradient ngd, Network net, Batch bad, String what, List<String> failures) {
        rejectThenRecover(ngd, net, bad, what, failures, true);
    }

    /**
     * As {@link #rejectThenRecover(NaturalGradient, Network, Batch, String, List)}; with
     * {@code mustReject} false an accepted step with finite weights is also fine.
     */
    static void rejectThenRecover(NaturalGradient ngd, Network net, Batch bad, String what, List<String> failures,
                                  boolean mustReject) {
        double[] before = net.parameters().toFlat();
        double lambda = ngd.damping();
        long rejected = ngd.rejectedSteps();
        StepReport r;
        try {
            r = ngd.step(net, bad);
        } catch (RuntimeException e) {
            failures.add(what + ": step threw " + e);
            return;
        }
        if (r.accepted() && !mustReject) {
            if (!net.parameters().isFinite()) {
                failures.add(what + ": accepted with non-finite weights");
            }
            return;
        }
        if (r.accepted()) {
            failures.add(what + ": accepted " + r);
        }
        if (!r.note().startsWith("rejected")) {
            failures.add(what + ": note '" + r.note() + "'");
        }
        if (!Arrays.equals(before, net.parameters().toFlat())) {
            failures.add(what + ": weights changed");
        }
        if (ngd.rejectedSteps() != rejected + 1) {
            failures.add(what + ": rejected count " + ngd.rejectedSteps());
        }
        // λ·3.375 rounded once; the options keep λ far below maxDamping (1e8)
        if (ngd.damping() != lambda * Damping.REJECTION_FACTOR) {
            failures.add(what + ": damping " + lambda + " -> " + ngd.damping() + ", expected x" + Damping.REJECTION_FACTOR);
        }
        StepReport next;
        try {
            next = ngd.step(net, batch(1, 99));
        } catch (RuntimeException e) {
            failures.add(what + ": step on ordinary inputs after the rejection threw " + e);
            return;
        }
        if (!next.accepted()) {
            failures.add(what + ": step on ordinary inputs after the rejection not accepted: " + next.note());
        }
    }

    static void assertNoFailures(List<String> failures, int cases) {
        assertTrue(failures.isEmpty(), failures.size() + " failures in " + cases + " cases:\n" + String.join("\n", failures));
    }

    @Test
    void overflowingFactorsRejectTheStepForEveryStrategyPrecisionAndDamping() {
        Batch bad = batch(HUGE, 5);
        List<String> failures = new ArrayList<>();
        List<NaturalGradientOptions> all = everyOptionSet();
        for (NaturalGradientOptions o : all) {
            for (int modelSamples : new int[] {0, 1}) {
                for (boolean tiny : new boolean[] {false, true}) {
                    NaturalGradientOptions ok = o.withModelSamples(modelSamples);
                    Network net = tiny ? tinyFirstLayerNet() : tanhNet();
                    rejectThenRecover(new NaturalGradient(Gaussian.unit(), ok), net, bad, describe(ok) + " K="
                            + modelSamples + (tiny ? " tiny first layer" : " saturated"), failures);
                }
            }
        }
        assertNoFailures(failures, 4 * all.size());
    }

    @Test
    void overflowAfterAcceptedStepsAlsoRejectsAndDropsTheCache() {
        // Cached factors from ordinary steps, then the overflowing batch on a refresh step (index 3
        // for T = 3) and again on a step that would otherwise reuse the cache.
        List<String> failures = new ArrayList<>();
        List<NaturalGradientOptions> all = everyOptionSet();
        for (NaturalGradientOptions o : all) {
            Network net = tanhNet();
            NaturalGradient ngd = new NaturalGradient(Gaussian.unit(), o);
            for (int k = 0; k < 3; k++) {
                StepReport r = ngd.step(net, batch(1, 60 + k));
                if (!r.accepted()) {
                    failures.add(describe(o) + ": warm-up step " + k + " rejected: " + r.note());
                }
            }
            rejectThenRecover(ngd, net, batch(HUGE, 6), describe(o) + " after 3 steps", failures);
        }
        assertNoFailures(failures, all.size());
    }

    /**
     * Cached factors with NaN, +Inf or entries that overflow when squared (1e300), restored into
     * an optimizer that refreshes every 3 steps: the next step (index 1) would reuse them.
     */
    @Test
    void nonFiniteCachedFactorsRejectTheStepAndAreDropped() {
        List<String> failures = new ArrayList<>();
        int cases = 0;
        for (NaturalGradientOptions o : everyOptionSet()) {
            if (o.refreshEvery() == 1) {
                continue;
            }
            for (boolean linear : new boolean[] {false, true}) {
                for (double poison : new double[] {Double.NaN, Double.POSITIVE_INFINITY, HUGE}) {
                    for (boolean inInputs : new boolean[] {false, true}) {
                        cases++;
                        Network net = linear ? linearNet() : tanhNet();
                        NaturalGradient ngd = new NaturalGradient(Gaussian.unit(), o);
                        ngd.restore(poisoned(ngd.state(), poison, inInputs));
                        rejectThenRecover(ngd, net, batch(1, 70), describe(o) + (linear ? " linear (moments)" : " tanh")
                                + " cached " + (inInputs ? "Lambda" : "LambdaTilde") + " with " + poison, failures);
                    }
                }
            }
        }
        assertNoFailures(failures, cases);
    }

    /** {@code s} with a cache computed at step 0 (one step taken): finite samples but one entry replaced by {@code poison}. */
    static OptimizerState poisoned(OptimizerState s, double poison, boolean inInputs) {
        Rng rng = new Rng(3);
        Matrix[] u = new Matrix[2];
        Matrix[] e = new Matrix[2];
        int[] in = {4, 5};
        int[] out = {4, 2};
        for (int i = 0; i < 2; i++) {
            u[i] = NaturalGradientTest.gaussian(in[i], 8, rng);
            e[i] = NaturalGradientTest.gaussian(out[i], 8, rng);
        }
        (inInputs ? u : e)[1].set(0, 2, poison);
        return new OptimizerState(s.damping(), 1, s.rngState(), 0, 0, u, e);
    }

    @Test
    void linearNetworksRejectOverflowOnBothPaths() {
        // Linear + Gaussian: with moments, and without (forward/backward passes). The loss overflows
        // too here, which is rejected before any factor is formed; the point is that no path throws.
        List<String> failures = new ArrayList<>();
        List<NaturalGradientOptions> all = everyOptionSet();
        for (NaturalGradientOptions o : all) {
            for (boolean moments : new boolean[] {true, false}) {
                NaturalGradientOptions om = o.withLinearMoments(moments);
                rejectThenRecover(new NaturalGradient(Gaussian.unit(), om), linearNet(), batch(HUGE, 8), describe(om),
                        failures);
            }
        }
        assertNoFailures(failures, 2 * all.size());
    }

    @Test
    void everyCurvatureRepresentationRejectsAnOverflowingStep() {
        List<String> failures = new ArrayList<>();
        int cases = 0;
        for (CurvatureChoice c : CurvatureChoice.values()) {
            for (boolean pseudo : new boolean[] {false, true}) {
                for (boolean adaptive : new boolean[] {false, true}) {
                    for (int refresh : new int[] {1, 3}) {
                        for (int modelSamples : new int[] {0, 1}) {
                            NaturalGradientOptions o = NaturalGradientOptions.paperDefaults().withCurvature(c)
                                    .withPseudoInverse(pseudo).withAdaptiveDamping(adaptive).withRefreshEvery(refresh)
                                    .withModelSamples(modelSamples).withInitialDamping(0.05).withSeed(9)
                                    .withBlowUpFactor(Double.POSITIVE_INFINITY);
                            for (boolean tiny : new boolean[] {true, false}) {
                                cases++;
                                // the saturated network's Fisher may be finite (see the class comment)
                                rejectThenRecover(new NaturalGradient(Gaussian.unit(), o),
                                        tiny ? tinyFirstLayerNet() : tanhNet(), batch(HUGE, 10), describe(o) + " K="
                                                + modelSamples + (tiny ? " tiny first layer" : " saturated"), failures, tiny);
                            }
                        }
                    }
                }
            }
        }
        assertNoFailures(failures, cases);
    }
}
