package org.natgrad.deeplinear;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.natgrad.likelihood.Gaussian;
import org.natgrad.linalg.Cholesky;
import org.natgrad.linalg.Inverses;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Backprop;
import org.natgrad.nn.Network;
import org.natgrad.nn.Trace;
import org.natgrad.random.Rng;

/** Checks B7, B13, B14, B17 of math.md §6 and the behaviour of Eqs. 10 and 20. */
class NaturalGradientUpdateTest {

    @Test
    void b7Eq10MovesTheEndToEndMapByWStarMinusW() {
        for (int[] arch : new int[][] {Fixtures.SQUARE, Fixtures.SQUARE_DEEP, Fixtures.WIDENING}) {
            DeepLinearModel m = Fixtures.model(arch, 51);
            Matrix expected = MatOps.subtract(m.target(), m.total(), null);
            boolean pinv = !m.isSquare();
            assertEquals(0, MatOps.relativeError(m.totalDerivative(NaturalGradientUpdate.eq10(m, pinv)), expected), 1e-8,
                    java.util.Arrays.toString(arch));
            // Eq. 18 with the Moore-Penrose inverse: −Φ F^+ ∇L = vec(W* − W) when T is the whole space
            Matrix fPlus = GeneralizedInverse.moorePenrose(PopulationFisher.dense(m), 1e-10);
            List<Matrix> mp = PopulationFisher.negativePreconditioned(m, fPlus);
            assertEquals(0, MatOps.relativeError(m.totalDerivative(mp), expected), 1e-8);
        }
    }

    @Test
    void eq10NeedsPseudoInverseForNonSquareNets() {
        DeepLinearModel m = Fixtures.model(Fixtures.CONTRACTING, 52);
        var e = assertThrows(IllegalArgumentException.class, () -> NaturalGradientUpdate.eq10(m, false));
        assertTrue(e.getMessage().contains("Λ") && e.getMessage().contains("pseudoInverse"), e.getMessage());
        // with pseudo-inverses every update is finite and has W_i's shape
        List<Matrix> u = NaturalGradientUpdate.eq10(m, true);
        for (int i = 1; i <= m.depth(); i++) {
            assertTrue(u.get(i - 1).isFinite());
            assertEquals(m.weight(i).shape(), u.get(i - 1).shape());
        }
    }

    @Test
    void eq20WithoutDampingIsAlphaTimesEq10() {
        DeepLinearModel m = Fixtures.model(Fixtures.SQUARE, 53);
        List<Matrix> u = NaturalGradientUpdate.eq10(m, false);
        List<Matrix> d = NaturalGradientUpdate.eq20(m, 0.3, 0, false);
        u.replaceAll(x -> MatOps.scale(0.3, x, null));
        assertEquals(0, Fixtures.relErr(d, u), 1e-14);
        // the damped form with explicit (Λ + √λ I)^{-1} factors
        double lambda = 0.25;
        List<Matrix> dd = NaturalGradientUpdate.eq20(m, 0.5, lambda, false);
        for (int i = 1; i <= m.depth(); i++) {
            Matrix lt = MatOps.addDiagonalInPlace(m.lambdaTilde(i), 0.5);
            Matrix lx = MatOps.addDiagonalInPlace(m.lambda(i), 0.5);
            Matrix expected = MatOps.scaleInPlace(0.5 / m.depth(), MatOps.multiply(MatOps.multiply(
                    Lin.inverse(lt, 1e-14, "lt"), m.errorInputCorrelation(i)), Lin.inverse(lx, 1e-14, "lx")));
            assertEquals(0, MatOps.relativeError(dd.get(i - 1), expected), 1e-12);
        }
        assertThrows(IllegalArgumentException.class, () -> NaturalGradientUpdate.eq20(m, 0, 1, false));
        assertThrows(IllegalArgumentException.class, () -> NaturalGradientUpdate.eq20(m, 1, -1, false));
        assertThrows(IllegalArgumentException.class, () -> NaturalGradientUpdate.eq20(m, 1, Double.NaN, false));
    }

    /**
     * B13: as λ → ∞, λ D_i → G_i with ‖λD − G‖/‖G‖ = c/√λ + O(1/λ), where the first-order
     * expansion (Λ̃ + √λ)^{-1} = λ^{-1/2}(I − Λ̃/√λ + ...) gives c = ‖Λ̃G + GΛ‖/‖G‖ (all layers).
     */
    @Test
    void b13LargeDampingApproachesScaledGradientLikeInverseSqrtLambda() {
        DeepLinearModel m = Fixtures.model(Fixtures.WIDENING, 54);
        List<Matrix> g = m.gradients();
        double num = 0;
        double den = 0;
        for (int i = 1; i <= m.depth(); i++) {
            Matrix gi = g.get(i - 1);
            Matrix first = MatOps.add(MatOps.multiply(m.lambdaTilde(i), gi), MatOps.multiply(gi, m.lambda(i)), null);
            num += MatOps.dot(first, first);
            den += MatOps.dot(gi, gi);
        }
        double c = Math.sqrt(num / den);
        double[] lambdas = {1e2, 1e4, 1e6, 1e8};
        double[] ratio = new double[lambdas.length];
        for (int k = 0; k < lambdas.length; k++) {
            double lambda = lambdas[k];
            List<Matrix> d = NaturalGradientUpdate.dampedDirection(m, lambda, false);
            d.replaceAll(x -> MatOps.scale(lambda, x, null));
            ratio[k] = Fixtures.relErr(d, g);
            // the same through eq20: ΔW = −(α/L) D
            List<Matrix> u = NaturalGradientUpdate.eq20(m, 1.0, lambda, false);
            u.replaceAll(x -> MatOps.scale(-lambda * m.depth(), x, null));
            assertEquals(ratio[k], Fixtures.relErr(u, g), 1e-6 * ratio[k]);
        }
        for (int k = 0; k + 1 < lambdas.length; k++) {
            assertTrue(ratio[k + 1] < ratio[k]);
        }
        // decades: each factor 100 in λ divides the ratio by 10, up to relative corrections O(λ^{-1/2})
        assertEquals(10, ratio[1] / ratio[2], 0.5);
        assertEquals(10, ratio[2] / ratio[3], 0.05);
        // the constant: √λ ratio → c, with O(λ^{-1/2}) relative corrections
        assertEquals(c, Math.sqrt(1e8) * ratio[3], 1e-3 * c);
        assertEquals(c, Math.sqrt(1e6) * ratio[2], 1e-2 * c);
    }

    @Test
    void b17ScalingOutputCovarianceLeavesUndampedEq10Unchanged() {
        for (int[] arch : new int[][] {Fixtures.SQUARE, Fixtures.CONTRACTING, Fixtures.BOTTLENECK}) {
            DeepLinearModel m = Fixtures.model(arch, 55);
            boolean pinv = !m.isSquare();
            List<Matrix> u = NaturalGradientUpdate.eq10(m, pinv);
            for (double c : new double[] {3.7, 1e-3}) {
                DeepLinearModel scaled = m.withOutputCovariance(MatOps.scale(c, m.outputCovariance(), null));
                assertEquals(0, Fixtures.relErr(NaturalGradientUpdate.eq10(scaled, pinv), u), 1e-10);
                // the gradient and Λ̃ each scale by 1/c
                assertEquals(0, MatOps.relativeError(MatOps.scale(c, scaled.gradient(1), null), m.gradient(1)), 1e-12);
                assertEquals(0, MatOps.relativeError(MatOps.scale(c, scaled.lambdaTilde(1), null), m.lambdaTilde(1)), 1e-12);
            }
            // damping breaks the invariance (documentation, not a requirement of the paper)
            DeepLinearModel scaled = m.withOutputCovariance(MatOps.scale(10, m.outputCovariance(), null));
            assertTrue(Fixtures.relErr(NaturalGradientUpdate.eq20(scaled, 1, 1, pinv),
                    NaturalGradientUpdate.eq20(m, 1, 1, pinv)) > 1e-3);
        }
    }

    /**
     * B14: Eq. 10 computed the way an optimizer does, from a natgrad Network's forward and backward
     * passes on M samples: Λ_i from the layer inputs, Λ̃_i from errors backpropagated from targets
     * sampled from the model, the gradient from true targets y = W* x + ξ. Sample covariances of
     * Gaussian vectors obey E‖S − Λ‖²_F = (‖Λ‖²_F + tr(Λ)²)/M (Wishart); we require the observed
     * squared error below 10 times that. The Eq. 10 update must approach the population one: below
     * 5 % relative error at M = 1e5, and smaller than at M = 2e3.
     */
    @Test
    void b14SampledEq10FromNetworkApproachesPopulationEq10() {
        for (int[] arch : new int[][] {Fixtures.SQUARE, Fixtures.WIDENING}) {
            DeepLinearModel m = Fixtures.model(arch, 56);
            boolean pinv = !m.isSquare();
            List<Matrix> exact = NaturalGradientUpdate.eq10(m, pinv);
            double errSmall = sampledEq10Error(m, exact, 2_000, pinv, false);
            double errLarge = sampledEq10Error(m, exact, 100_000, pinv, true);
            assertTrue(errLarge < 0.05, java.util.Arrays.toString(arch) + ": relative error " + errLarge);
            assertTrue(errLarge < errSmall, errLarge + " vs " + errSmall);
        }
    }

    private static double sampledEq10Error(DeepLinearModel m, List<Matrix> exact, int samples, boolean pinv,
                                           boolean checkFactors) {
        Rng rng = new Rng(1000 + samples);
        Network net = m.toNetwork();
        Gaussian lik = Gaussian.withCovariance(m.outputCovariance());
        Matrix x = MatOps.multiply(Cholesky.decompose(m.sigma()).orElseThrow().lower(),
                Fixtures.gaussian(m.width(0), samples, 1, rng));
        Trace trace = net.forward(x);
        // true targets with isotropic noise of variance 0.01 (its covariance does not enter ⟨y x^T⟩)
        Matrix y = MatOps.multiply(m.target(), x);
        MatOps.axpy(0.1, Fixtures.gaussian(y.rows(), y.cols(), 1, rng), y);
        Matrix meanErr = MatOps.scaleInPlace(1.0 / samples, lik.outputError(trace.output(), y));
        Backprop grad = net.backward(trace, meanErr, true);
        Matrix ySampled = lik.sample(trace.output(), rng);
        Backprop fisher = net.backward(trace, lik.outputError(trace.output(), ySampled), false);
        List<Matrix> est = new ArrayList<>();
        for (int i = 1; i <= m.depth(); i++) {
            Matrix lx = MatOps.syrk(1.0 / samples, trace.input(i - 1), false, 0, null);
            Matrix lt = MatOps.syrk(1.0 / samples, fisher.error(i - 1), false, 0, null);
            if (checkFactors) {
                assertWishart(lx, m.lambda(i), samples, "Λ_" + i);
                assertWishart(lt, m.lambdaTilde(i), samples, "Λ̃_" + i);
            }
            Matrix g = grad.gradients().weights(i - 1);
            Matrix ltInv = pinv ? Inverses.pseudoInverse(lt, NaturalGradientUpdate.PINV_REL_TOL) : Lin.inverse(lt, 1e-12, "lt");
            Matrix lxInv = pinv ? Inverses.pseudoInverse(lx, NaturalGradientUpdate.PINV_REL_TOL) : Lin.inverse(lx, 1e-12, "lx");
            est.add(MatOps.scaleInPlace(-1.0 / m.depth(), MatOps.multiply(MatOps.multiply(ltInv, g), lxInv)));
        }
        return Fixtures.relErr(est, exact);
    }

    private static void assertWishart(Matrix sample, Matrix exact, int samples, String what) {
        double err2 = Math.pow(MatOps.subtract(sample, exact, null).frobeniusNorm(), 2);
        double tr = exact.trace();
        double expected2 = (Math.pow(exact.frobeniusNorm(), 2) + tr * tr) / samples;
        assertTrue(err2 < 10 * expected2, what + ": squared error " + err2 + " vs expected " + expected2);
    }
}
