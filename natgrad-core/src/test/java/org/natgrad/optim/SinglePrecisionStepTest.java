package org.natgrad.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.natgrad.curvature.Curvature;
import org.natgrad.curvature.CurvatureChoice;
import org.natgrad.curvature.FactorSolverOptions;
import org.natgrad.likelihood.Gaussian;
import org.natgrad.likelihood.Likelihood;
import org.natgrad.linalg.FactorPrecision;
import org.natgrad.linalg.InverseStrategy;
import org.natgrad.linalg.Matrix;
import org.natgrad.linalg.NativeBlasRequirement;
import org.natgrad.linalg.Precision;
import org.natgrad.nn.Activation;
import org.natgrad.nn.Batch;
import org.natgrad.nn.Init;
import org.natgrad.nn.Network;
import org.natgrad.nn.ParamVector;
import org.natgrad.nn.Trace;
import org.natgrad.random.Rng;
import org.natgrad.statistics.CurvatureKind;
import org.natgrad.statistics.CurvatureStatistics;
import org.natgrad.statistics.Gradients;

/**
 * A float32 step ({@link Precision#SINGLE}) against its float64 twin on small networks: the loss,
 * the gradient, one SGD and one Adam step and one natural-gradient step (the Eq. 20 rule with double and with
 * float32 factor work, and K-FAC) agree to the tolerances of {@link Float32Bounds}, derived from
 * u = 2^-24 and the condition numbers of the pass's products and of the damped solve; and the
 * single-precision result is not the double one (it did run in float32). DOUBLE stays bit for bit
 * what the code gave without a precision option. A float32 overflow (weights or inputs beyond
 * ±3.4·10³⁸, where the double step is finite) is a rejected step whose note names single
 * precision, with the weights untouched, never a NaN in the weights.
 */
class SinglePrecisionStepTest {
    static final Likelihood GAUSS = Gaussian.unit();
    static final int M = 20;
    /**
     * λ of the compared natural-gradient steps and solves: 1, where the damped solve's condition κ_S
     * is ~10 on these networks, so that the bound κ_S(ε_b + 4τ + ...) is a few 10⁻⁴ (at the paper's
     * λ = 0.01, κ_S ~ 300 and the bound ~0.1: true, but too loose to catch much).
     */
    static final double NGD_DAMPING = 1.0;

    @BeforeAll
    static void needsNative() {
        NativeBlasRequirement.require();
    }

    /** A 4-5-4-3 network with random biases, {@code hidden} on the hidden layers, linear output. */
    static Network net(Activation hidden, boolean bias, long seed) {
        Network n = Network.dense(List.of(4, 5, 4, 3), hidden, Activation.IDENTITY, bias, new Init.Gaussian(1), seed);
        Rng rng = new Rng(seed + 100);
        for (int l = 0; l < n.depth(); l++) {
            if (n.layer(l).hasBias()) {
                double[] b = n.layer(l).bias().data();
                for (int i = 0; i < b.length; i++) {
                    b[i] = 0.3 * rng.nextGaussian();
                }
            }
        }
        return n;
    }

    /** x and y Gaussian, 4 x M and 3 x M. */
    static Batch batch(long seed) {
        return NaturalGradientDampingIntervalTest.batch(M, seed);
    }

    static List<Network> nets() {
        return List.of(net(Activation.TANH, true, 1), net(Activation.TANH, false, 2), net(Activation.SIGMOID, true, 3),
                net(Activation.SOFTPLUS, true, 4), net(Activation.IDENTITY, true, 5));
    }

    @Test
    void lossAndGradientAgreeWithDoubleToTheFloat32Bound() {
        Batch b = batch(7);
        for (Network n : nets()) {
            Gradients d = Gradients.of(n, GAUSS, b, Precision.DOUBLE);
            Gradients s = Gradients.of(n, GAUSS, b, Precision.SINGLE);
            assertEquals(Precision.SINGLE, s.trace().precision());
            double lossErr = Math.abs(s.loss() - d.loss()) / d.loss();
            double gradErr = NaturalGradientCurvatureTest.rel(s.gradient().toFlat(), d.gradient().toFlat());
            double lossTol = Float32Bounds.loss(n, GAUSS, b);
            double gradTol = Float32Bounds.gradient(n, GAUSS, b);
            System.out.printf("SinglePrecisionStepTest: %s loss %.2e (bound %.2e), gradient %.2e (bound %.2e)%n", n,
                    lossErr, lossTol, gradErr, gradTol);
            assertTrue(lossErr <= lossTol, n + ": loss " + lossErr + " > " + lossTol);
            assertTrue(gradErr <= gradTol, n + ": gradient " + gradErr + " > " + gradTol);
            assertTrue(gradErr > 0, n + ": the single-precision gradient equals the double one (not float32?)");
            for (float v : s.trace().layerOutputSingle(n.depth() - 1).data()) {
                assertTrue(Float.isFinite(v));
            }
        }
    }

    @Test
    void doublePrecisionIsBitForBitTheDefault() {
        Batch b = batch(8);
        Network n = net(Activation.TANH, true, 1);
        Gradients plain = Gradients.of(n, GAUSS, b);
        Gradients dbl = Gradients.of(n, GAUSS, b, Precision.DOUBLE);
        assertEquals(Double.doubleToRawLongBits(plain.loss()), Double.doubleToRawLongBits(dbl.loss()));
        assertArrayEquals(plain.gradient().toFlat(), dbl.gradient().toFlat(), 0.0);
        Trace t = n.forward(b.inputs(), Precision.DOUBLE);
        assertEquals(Precision.DOUBLE, t.precision());
        assertArrayEquals(n.forward(b.inputs()).output().data(), t.output().data(), 0.0);
        Network a = n.copy();
        Network c = n.copy();
        new Sgd(GAUSS, 0.1, 0.5).step(a, b);
        new Sgd(GAUSS, 0.1, 0.5, Precision.DOUBLE).step(c, b);
        assertArrayEquals(a.parameters().toFlat(), c.parameters().toFlat(), 0.0);
        assertEquals(Precision.DOUBLE, NaturalGradientOptions.paperDefaults().precision());
        assertEquals(Precision.DOUBLE, NaturalGradientOptions.builder().precision(null).build().precision(),
                "an options file without the field reads as DOUBLE");
        assertEquals(Precision.SINGLE, Precision.parse(" Float32"));
        assertEquals(Math.pow(2, -24), Precision.SINGLE.unitRoundoff());
        assertEquals(Math.pow(2, -53), Precision.DOUBLE.unitRoundoff());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Precision.parse("half"));
        assertTrue(e.getMessage().contains("'half'"), e.getMessage());
    }

    /**
     * SGD: θ − ηg in double from the float32 g, so the step errs as the gradient does. Adam's first
     * step η g/(|g| + ε) has relative sensitivity ε/(|g| + ε) ≤ 1 to g per coordinate: the same bound.
     */
    @Test
    void oneSgdOrAdamStepAgreesWithDouble() {
        Batch b = batch(9);
        for (Network n : nets()) {
            firstOrderStepAgrees(n, b, false);
            firstOrderStepAgrees(n, b, true);
        }
    }

    private static void firstOrderStepAgrees(Network n, Batch b, boolean adam) {
        double eta = 0.1;
        Network d = n.copy();
        Network s = n.copy();
        StepReport rd = (adam ? new Adam(GAUSS, eta, 0.9, 0.999, 1e-8, Precision.DOUBLE)
                : new Sgd(GAUSS, eta, 0, Precision.DOUBLE)).step(d, b);
        StepReport rs = (adam ? new Adam(GAUSS, eta, 0.9, 0.999, 1e-8, Precision.SINGLE)
                : new Sgd(GAUSS, eta, 0, Precision.SINGLE)).step(s, b);
        assertTrue(rs.accepted(), rs.note());
        double[] th0 = n.parameters().toFlat();
        double[] moveD = difference(d.parameters().toFlat(), th0);
        double[] moveS = difference(s.parameters().toFlat(), th0);
        // the step's error is the gradient's (plus the double rounding of θ)
        double err = NaturalGradientCurvatureTest.rel(moveS, moveD);
        double tol = Float32Bounds.gradient(n, GAUSS, b) + 1e-12;
        assertTrue(err <= tol, n + (adam ? ": Adam" : ": SGD") + " step " + err + " > " + tol);
        assertTrue(Math.abs(rs.lossBefore() - rd.lossBefore()) <= Float32Bounds.loss(n, GAUSS, b) * rd.lossBefore());
    }

    /** Options of the natural-gradient steps compared: the Eq. 20 rule with double and float32 factor work, and K-FAC. */
    static List<NaturalGradientOptions> ngdOptions(Precision p) {
        NaturalGradientOptions base = NaturalGradientOptions.builder().linearMoments(false).inverse(InverseStrategy.CHOLESKY)
                .initialDamping(NGD_DAMPING).precision(p).seed(3).build();
        return List.of(base.withFactorPrecision(FactorPrecision.DOUBLE), base.withFactorPrecision(FactorPrecision.SINGLE),
                base.toBuilder().curvature(CurvatureChoice.KFAC).inverse(InverseStrategy.AUTO).linearMoments(true).build());
    }

    @Test
    void oneNaturalGradientStepAgreesWithDouble() {
        Batch b = batch(10);
        List<NaturalGradientOptions> dopts = ngdOptions(Precision.DOUBLE);
        List<NaturalGradientOptions> sopts = ngdOptions(Precision.SINGLE);
        for (Network n : nets()) {
            for (int i = 0; i < dopts.size(); i++) {
                NaturalGradientOptions od = dopts.get(i);
                Network d = n.copy();
                Network s = n.copy();
                StepReport rd = new NaturalGradient(GAUSS, od).step(d, b);
                StepReport rs = new NaturalGradient(GAUSS, sopts.get(i)).step(s, b);
                String what = n + " " + od.curvature().label() + " factors " + od.factorPrecision();
                assertTrue(rd.accepted() && rs.accepted(), what + ": " + rd.note() + " / " + rs.note());
                double[] th0 = n.parameters().toFlat();
                double[] moveD = difference(d.parameters().toFlat(), th0);
                double[] moveS = difference(s.parameters().toFlat(), th0);
                // κ_S of the damped solve, from the double statistics the step drew (same seed, same draws)
                CurvatureStatistics st = CurvatureStatistics.of(n, GAUSS, b, new CurvatureKind.MonteCarlo(1, new Rng(od.seed())));
                Curvature c = Curvature.of(od.curvature(), ParamVector.zerosLike(n.parameters()), st,
                        new FactorSolverOptions(od.inverse(), false, FactorPrecision.DOUBLE), od.seed());
                double kappa = Float32Bounds.solveCondition(c, od.initialDamping());
                double tau = Float32Bounds.pass(n, GAUSS, b);
                double tol = Float32Bounds.solve(kappa, Float32Bounds.gradient(n, GAUSS, b), tau, 7);
                double err = NaturalGradientCurvatureTest.rel(moveS, moveD);
                System.out.printf("SinglePrecisionStepTest: %s step %.2e (bound %.2e, kappa %.1f)%n", what, err, tol, kappa);
                assertTrue(err <= tol, what + ": step " + err + " > " + tol);
                assertTrue(err > 0, what + ": the single-precision step equals the double one");
                // the losses in double from float32 outputs; ρ from them and Σ⟨G, D⟩ (both double)
                double lossTol = Float32Bounds.loss(n, GAUSS, b);
                assertTrue(Math.abs(rs.lossBefore() - rd.lossBefore()) <= lossTol * rd.lossBefore(), what + ": loss before");
                assertTrue(Math.abs(rs.lossAfter() - rd.lossAfter()) <= 2 * lossTol * rd.lossAfter(), what + ": loss after");
                double predicted = (rd.lossAfter() - rd.lossBefore()) / rd.rho();
                double rhoTol = lossTol * (rd.lossBefore() + 2 * rd.lossAfter()) / Math.abs(predicted)
                        + Math.abs(rd.rho()) * 2 * tol;
                assertTrue(Math.abs(rs.rho() - rd.rho()) <= rhoTol, what + ": rho " + rs.rho() + " vs " + rd.rho()
                        + " (bound " + rhoTol + ")");
            }
        }
    }

    @Test
    void everyRepresentationSolvesWithSinglePrecisionStatisticsAsWithDouble() {
        Batch b = batch(11);
        double damping = NGD_DAMPING;
        Network n = net(Activation.TANH, true, 1);
        ParamVector template = ParamVector.zerosLike(n.parameters());
        Trace ts = n.forward(b.inputs(), Precision.SINGLE);
        CurvatureStatistics single = CurvatureStatistics.ofSingle(n, GAUSS, ts, new CurvatureKind.MonteCarlo(2, new Rng(5)));
        CurvatureStatistics dbl = CurvatureStatistics.of(n, GAUSS, b, new CurvatureKind.MonteCarlo(2, new Rng(5)));
        assertEquals(org.natgrad.statistics.LayerStatistics.Precision.SINGLE, single.layer(0).precision());
        double[] g = Gradients.of(n, GAUSS, b).gradient().toFlat();
        double tau = Float32Bounds.pass(n, GAUSS, b);
        for (CurvatureChoice choice : CurvatureChoice.values()) {
            for (FactorPrecision fp : choice == CurvatureChoice.EQ20 ? List.of(FactorPrecision.DOUBLE, FactorPrecision.SINGLE)
                    : List.of(FactorPrecision.DOUBLE)) {
                FactorSolverOptions solver = new FactorSolverOptions(InverseStrategy.CHOLESKY, false, fp);
                Curvature cd = Curvature.of(choice, template, dbl, new FactorSolverOptions(InverseStrategy.CHOLESKY, false,
                        FactorPrecision.DOUBLE), 1);
                Curvature cs = Curvature.of(choice, template, single, solver, 1);
                double kappa = Float32Bounds.solveCondition(cd, damping);
                double err = NaturalGradientCurvatureTest.rel(cs.solve(g, damping), cd.solve(g, damping));
                double tol = Float32Bounds.solve(kappa, 0, tau, 7);
                System.out.printf("SinglePrecisionStepTest: %s (factors %s) solve %.2e (bound %.2e, kappa %.1f)%n",
                        choice.label(), fp, err, tol, kappa);
                assertTrue(err <= tol, choice + " " + fp + ": solve " + err + " > " + tol);
                assertTrue(err > 0, choice + ": single-precision statistics solve exactly as double");
            }
        }
    }

    /**
     * The exact (K = 0) and empirical statistics read {@link Network#backward} on a float32 trace
     * (errors converted exactly): each layer's Λ̃ = Σ e e^T is a sum of products of two float32
     * errors, so it errs by at most 2τ(1 + ‖f‖/‖r‖) of its norm (r the true-target error, for the
     * empirical kind; the exact kind's output factors do not depend on r: 2τ), Λ by 2τ.
     */
    @Test
    void exactAndEmpiricalStatisticsFromAFloat32TraceAgreeWithDouble() {
        Batch b = batch(14);
        for (Network n : nets()) {
            Trace ts = n.forward(b.inputs(), Precision.SINGLE);
            Trace td = n.forward(b.inputs());
            double tau = Float32Bounds.pass(n, GAUSS, b);
            double ratio = Float32Bounds.outputRatio(n, GAUSS, b);
            for (CurvatureKind kind : List.of(CurvatureKind.exact(), CurvatureKind.empirical())) {
                CurvatureStatistics s = CurvatureStatistics.of(n, GAUSS, ts, b.targets(), kind);
                CurvatureStatistics d = CurvatureStatistics.of(n, GAUSS, td, b.targets(), kind);
                double tol = 2 * tau * (kind instanceof CurvatureKind.Empirical ? 1 + ratio : 1);
                double largest = 0;
                for (int l = 0; l < n.depth(); l++) {
                    double e = org.natgrad.linalg.MatOps.relativeError(s.lambdaTilde(l), d.lambdaTilde(l));
                    largest = Math.max(largest, e);
                    assertTrue(e <= tol, n + " " + kind + " layer " + (l + 1) + ": LambdaTilde " + e + " vs " + tol);
                    double a = org.natgrad.linalg.MatOps.relativeError(s.lambda(l), d.lambda(l));
                    assertTrue(a <= 2 * tau, n + " " + kind + " layer " + (l + 1) + ": Lambda " + a + " vs " + 2 * tau);
                }
                // (the output layer's exact Λ̃ of a unit Gaussian is I/M·M = I, exact in float32 too)
                assertTrue(largest > 0, n + " " + kind + ": float32 statistics equal the double ones");
            }
        }
    }

    @Test
    void float32OverflowOfTheWeightsIsARejectedStepNamingSinglePrecision() {
        Batch b = batch(12);
        Network n = net(Activation.TANH, true, 1);
        double[] w = n.layer(n.depth() - 1).weights().data();
        for (int k = 0; k < w.length; k++) {
            w[k] *= 1e39; // finite in double, +-Inf once rounded to float32
        }
        assertTrue(Double.isFinite(Gradients.of(n, GAUSS, b).loss()), "the double step is finite");
        assertRejectedInSingleOnly(n, b, "output layer weights 1e39");
    }

    @Test
    void float32OverflowOfTheInputsIsARejectedStepNamingSinglePrecision() {
        Batch b = batch(13);
        Matrix x = b.inputs().copy();
        for (int k = 0; k < x.size(); k++) {
            x.data()[k] *= 1e39;
        }
        Batch huge = new Batch(x, b.targets());
        Network n = net(Activation.TANH, true, 1);
        assertTrue(Double.isFinite(Gradients.of(n, GAUSS, huge).loss()), "the double step is finite (tanh saturates)");
        assertRejectedInSingleOnly(n, huge, "inputs 1e39");
    }

    private static void assertRejectedInSingleOnly(Network n, Batch b, String what) {
        double[] before = n.parameters().toFlat();
        List<Optimizer> singles = List.of(new Sgd(GAUSS, 0.1, 0, Precision.SINGLE), new Sgd(GAUSS, 0.1, 0.9, Precision.SINGLE),
                new Adam(GAUSS, 0.1, 0.9, 0.999, 1e-8, Precision.SINGLE),
                new NaturalGradient(GAUSS, ngdOptions(Precision.SINGLE).get(0)),
                new NaturalGradient(GAUSS, ngdOptions(Precision.SINGLE).get(1)),
                new NaturalGradient(GAUSS, ngdOptions(Precision.SINGLE).get(2)));
        for (Optimizer o : singles) {
            StepReport r = o.step(n, b);
            assertFalse(r.accepted(), what + ", " + o.name() + ": accepted");
            assertTrue(r.note().startsWith("rejected: ") && r.note().endsWith(StepReport.FLOAT32_HINT),
                    what + ", " + o.name() + ": note " + r.note());
            assertArrayEquals(before, n.parameters().toFlat(), 0.0, what + ", " + o.name() + ": weights changed");
        }
        Network d = n.copy();
        StepReport r = new Sgd(GAUSS, 1e-200, 0, Precision.DOUBLE).step(d, b);
        assertTrue(r.accepted() && Double.isFinite(r.lossBefore()), what + ": the double step");
    }

    private static double[] difference(double[] a, double[] b) {
        double[] d = new double[a.length];
        for (int k = 0; k < a.length; k++) {
            d[k] = a[k] - b[k];
        }
        return d;
    }
}
