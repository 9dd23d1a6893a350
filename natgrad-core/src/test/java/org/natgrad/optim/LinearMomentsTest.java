package org.natgrad.optim;

import org.natgrad.linalg.InverseStrategy;
import org.natgrad.linalg.PsdSolver;
import org.natgrad.statistics.Gradients;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.natgrad.curvature.CurvatureChoice;
import org.natgrad.statistics.CurvatureStatistics;
import org.natgrad.nn.Batch;
import org.natgrad.likelihood.Bernoulli;
import org.natgrad.likelihood.Gaussian;
import org.natgrad.likelihood.Likelihood;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Activation;
import org.natgrad.nn.Dense;
import org.natgrad.nn.Init;
import org.natgrad.nn.Network;
import org.natgrad.nn.ParamVector;
import org.natgrad.nn.Trace;
import org.natgrad.random.Rng;

/**
 * The minibatch-moment path of {@link NaturalGradient} for linear networks with a Gaussian
 * likelihood against the general path (forward and backward passes over the batch, an independent
 * implementation), against exact arithmetic near a minimum, and its dispatch.
 */
class LinearMomentsTest {
    private static final double U = 0x1p-53; // unit round-off

    static Matrix gaussian(int r, int c, Rng rng) {
        Matrix m = new Matrix(r, c);
        rng.fillGaussian(m.data());
        return m;
    }

    /** Minibatches x ~ N(0, I), y = teacher(x) + noise N(0, I). */
    static Batch[] teacherBatches(Network teacher, int count, int m, double noise, long seed) {
        Rng rng = new Rng(seed);
        Batch[] b = new Batch[count];
        for (int i = 0; i < count; i++) {
            Matrix x = gaussian(teacher.inputSize(), m, rng);
            Matrix y = MatOps.axpy(noise, gaussian(teacher.outputSize(), m, rng), teacher.predict(x));
            b[i] = new Batch(x, y);
        }
        return b;
    }

    static double relDiff(double[] a, double[] b) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < a.length; i++) {
            num = Math.max(num, Math.abs(a[i] - b[i]));
            den = Math.max(den, Math.abs(b[i]));
        }
        return num / den;
    }

    static double relDiff(Matrix a, Matrix b) {
        assertEquals(b.shape(), a.shape());
        return relDiff(a.data(), b.data());
    }

    static double rel(double a, double b) {
        return a == b ? 0 : Math.abs(a - b) / Math.abs(b);
    }

    /** A linear network; layer i has a bias when bias[i]. */
    static Network linear(int[] widths, boolean[] bias, long seed) {
        Rng rng = new Rng(seed);
        List<Dense> layers = new ArrayList<>();
        for (int i = 0; i + 1 < widths.length; i++) {
            Matrix w = new Init.Gaussian(1).weights(widths[i + 1], widths[i], rng);
            Matrix b = bias[i] ? MatOps.scaleInPlace(0.1, gaussian(widths[i + 1], 1, rng)) : null;
            layers.add(new Dense(w, b, Activation.IDENTITY));
        }
        return new Network(layers);
    }

    record Case(String name, Network student, Network teacher, Likelihood lik, NaturalGradientOptions options) { }

    static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        NaturalGradientOptions paper = NaturalGradientOptions.paperDefaults().withSeed(7);
        // square, no biases (panel A's shape scaled down)
        c.add(new Case("square", Network.dense(List.of(5, 5, 5, 5, 5, 5), Activation.IDENTITY, Activation.IDENTITY,
                false, new Init.Orthogonal(1.0), 3),
                Network.dense(List.of(5, 5, 5, 5, 5, 5), Activation.IDENTITY, Activation.IDENTITY, false,
                        new Init.Gaussian(1), 4), Gaussian.unit(), paper));
        // non-square with biases, isotropic variance, K = 2 model samples
        c.add(new Case("non-square", linear(new int[] {6, 9, 4, 7, 3}, new boolean[] {true, true, true, true}, 5),
                linear(new int[] {6, 9, 4, 7, 3}, new boolean[] {true, true, true, true}, 6), Gaussian.isotropic(0.5),
                paper.withModelSamples(2)));
        // bottleneck with Moore–Penrose inverses and exact expectations
        c.add(new Case("bottleneck-pinv", linear(new int[] {5, 6, 2, 6, 4}, new boolean[] {false, false, false, false}, 7),
                linear(new int[] {5, 3, 4}, new boolean[] {false, false}, 8), Gaussian.unit(),
                paper.withModelSamples(0).withPseudoInverse(true).withAdaptiveDamping(false).withAlpha(0.5)));
        // mixed biases, full output covariance, EIGEN inverses
        Matrix cov = Matrix.ofRows(new double[] {1.0, 0.3, 0.1}, new double[] {0.3, 0.8, -0.2},
                new double[] {0.1, -0.2, 0.5});
        c.add(new Case("mixed-bias-full-cov", linear(new int[] {4, 5, 5, 3}, new boolean[] {true, false, true}, 9),
                linear(new int[] {4, 5, 3}, new boolean[] {true, true}, 10), Gaussian.withCovariance(cov),
                paper.withInverse(InverseStrategy.EIGEN)));
        // Sherman–Morrison and randomized inverses are built from square roots of the factors
        c.add(new Case("sherman-morrison", linear(new int[] {4, 5, 3}, new boolean[] {true, true}, 11),
                linear(new int[] {4, 5, 3}, new boolean[] {true, true}, 12), Gaussian.unit(),
                paper.withInverse(InverseStrategy.SHERMAN_MORRISON)));
        c.add(new Case("randomized-svd", linear(new int[] {4, 5, 3}, new boolean[] {false, true}, 13),
                linear(new int[] {4, 5, 3}, new boolean[] {true, true}, 14), Gaussian.unit(),
                paper.withInverse(InverseStrategy.RANDOMIZED_SVD)));
        return c;
    }

    /** Runs both paths side by side; returns the largest relative difference seen. */
    static double compareRuns(Case c, NaturalGradientOptions options, int steps, int m, double tol) {
        Network a = c.student().copy();
        Network b = c.student().copy();
        NaturalGradient moments = new NaturalGradient(c.lik(), options.withLinearMoments(true));
        NaturalGradient general = new NaturalGradient(c.lik(), options.withLinearMoments(false));
        Batch[] batches = teacherBatches(c.teacher(), steps, m, 0.1, 17);
        double worst = 0;
        for (int s = 0; s < steps; s++) {
            String at = c.name() + " step " + s;
            StepReport ra = moments.step(a, batches[s]);
            StepReport rb = general.step(b, batches[s]);
            assertEquals(rb.accepted(), ra.accepted(), at + ": " + ra.note() + " / " + rb.note());
            assertEquals(rb.note().isEmpty(), ra.note().isEmpty(), at);
            assertEquals(rb.damping(), ra.damping(), tol * rb.damping(), at);
            double d = Math.max(rel(ra.lossBefore(), rb.lossBefore()), relDiff(a.parameters().toFlat(),
                    b.parameters().toFlat()));
            if (!Double.isNaN(rb.lossAfter())) {
                d = Math.max(d, rel(ra.lossAfter(), rb.lossAfter()));
            }
            assertTrue(d < tol, at + ": relative difference " + d);
            worst = Math.max(worst, d);
        }
        assertEquals(general.damping(), moments.damping(), tol * general.damping(), c.name());
        assertEquals(general.rejectedSteps(), moments.rejectedSteps(), c.name());
        return worst;
    }

    @Test
    void lossGradientAndFactorsEqualThoseFromForwardAndBackwardPasses() {
        for (Case c : cases()) {
            Batch batch = teacherBatches(c.teacher(), 1, 40, 0.1, 21)[0];
            Network net = c.student();
            Gaussian lik = (Gaussian) c.lik();
            LinearMoments mom = LinearMoments.of(net, lik, batch);
            Trace trace = net.forward(batch.inputs());
            assertTrue(rel(mom.loss(), lik.loss(trace.output(), batch.targets())) < 1e-12, c.name() + " loss");
            ParamVector g = Gradients.of(net, lik, batch).gradient();
            Matrix[] gm = mom.gradients(net);
            int k = Math.max(1, c.options().modelSamples());
            CurvatureStatistics kf = CurvatureStatistics.kronecker(net, lik, trace, c.options().modelSamples(), new Rng(5));
            Matrix[] lam = mom.lambdas(net);
            Matrix[] lamT = mom.lambdaTildes(net, LinearMoments.outputMoment(lik, net.outputSize(), batch.size(),
                    c.options().modelSamples(), new Rng(5)));
            for (int i = 0; i < net.depth(); i++) {
                String at = c.name() + " layer " + (i + 1) + " (K = " + k + ")";
                assertTrue(relDiff(gm[i], g.augmentedBlock(i)) < 1e-11, at + " gradient");
                assertTrue(relDiff(lam[i], kf.lambda(i)) < 1e-12, at + " Lambda");
                assertTrue(relDiff(lamT[i], kf.lambdaTilde(i)) < 1e-12, at + " LambdaTilde");
            }
        }
    }

    @Test
    void bothPathsTakeTheSameStepsOnLinearNetworksOfSeveralShapes() {
        double worst = 0;
        for (Case c : cases()) {
            worst = Math.max(worst, compareRuns(c, c.options(), 6, 50, 1e-10));
        }
        System.out.println("LinearMomentsTest: largest relative difference between the paths over 6 cases x 6 steps: "
                + worst);
    }

    @Test
    void refreshEveryAndDampingEveryAndRejectedStepsBehaveAlike() {
        Case square = cases().get(0);
        Case biased = cases().get(1);
        compareRuns(square, square.options().withRefreshEvery(3), 8, 50, 1e-10);
        compareRuns(biased, biased.options().withRefreshEvery(3).withInverse(InverseStrategy.EIGEN), 8, 50, 1e-10);
        compareRuns(biased, biased.options().withDampingEvery(3), 8, 50, 1e-10);
        // alpha = 60 overshoots by far: the first step is rejected (loss more than 2x) on both paths,
        // the weights are restored bit-for-bit, and later steps agree again
        NaturalGradientOptions wild = biased.options().withAlpha(60).withBlowUpFactor(2);
        Network net = biased.student().copy();
        double[] before = net.parameters().toFlat();
        NaturalGradient ngd = new NaturalGradient(biased.lik(), wild);
        StepReport r = ngd.step(net, teacherBatches(biased.teacher(), 1, 50, 0.1, 17)[0]);
        assertFalse(r.accepted(), r.note());
        assertTrue(r.note().contains("loss blew up"), r.note());
        assertArrayEquals(before, net.parameters().toFlat(), 0.0);
        compareRuns(biased, wild, 5, 50, 1e-10);
    }

    @Test
    void savedAndRestoredStateContinuesBitForBitOnTheMomentPath() {
        Case c = cases().get(1);
        for (int refresh : new int[] {1, 3}) {
            NaturalGradientOptions o = c.options().withRefreshEvery(refresh);
            Batch[] batches = teacherBatches(c.teacher(), 8, 30, 0.1, 31);
            Network full = c.student().copy();
            NaturalGradient one = new NaturalGradient(c.lik(), o);
            for (Batch b : batches) {
                one.step(full, b);
            }
            Network part = c.student().copy();
            NaturalGradient first = new NaturalGradient(c.lik(), o);
            for (int s = 0; s < 4; s++) {
                first.step(part, batches[s]);
            }
            var saved = first.state().toMap();
            NaturalGradient second = new NaturalGradient(c.lik(), o);
            second.restore(OptimizerState.fromMap(saved));
            for (int s = 4; s < 8; s++) {
                second.step(part, batches[s]);
            }
            assertArrayEquals(full.parameters().toFlat(), part.parameters().toFlat(), 0.0, "refreshEvery " + refresh);
        }
    }

    @Test
    void lossFromMomentsMatchesTheDirectLossNearTheMinimum() {
        // Teacher data with noise 1e-3 and the student at the teacher plus 1e-6 perturbations: the
        // mean loss is ~ ½ n_L 1e-6 while ½ E(‖f‖ + ‖y‖)² is ~ 10^5 times larger. Forming S rounds
        // each of its entries by at most γ_M = M u times its scale, and the trace form sums d² such
        // terms, so |moment − exact| ≤ (M + d²) u ½ E(‖f‖ + ‖y‖)² / σ² (a worst-case bound; the
        // typical error is ~√M smaller). The direct loss errs by far less (u E‖y‖‖r‖).
        int[] w = {8, 8, 8, 8};
        Network teacher = linear(w, new boolean[] {true, true, true}, 40);
        Network student = teacher.copy();
        Rng rng = new Rng(41);
        ParamVector p = student.parameters();
        double[] flat = p.toFlat();
        for (int i = 0; i < flat.length; i++) {
            flat[i] += 1e-6 * rng.nextGaussian();
        }
        p.setFromFlat(flat);
        int m = 1000;
        Batch batch = teacherBatches(teacher, 1, m, 1e-3, 42)[0];
        Gaussian lik = Gaussian.unit();
        Matrix f = student.predict(batch.inputs());
        double direct = lik.loss(f, batch.targets());
        double scale = 0;
        for (int j = 0; j < m; j++) {
            double nf = 0;
            double ny = 0;
            for (int i = 0; i < f.rows(); i++) {
                nf += f.get(i, j) * f.get(i, j);
                ny += batch.targets().get(i, j) * batch.targets().get(i, j);
            }
            scale += Math.pow(Math.sqrt(nf) + Math.sqrt(ny), 2);
        }
        scale *= 0.5 / m;
        int d = w[0] + 1 + w[w.length - 1];
        double bound = (m + d * d) * U * scale;
        double moment = LinearMoments.of(student, lik, batch).loss();
        assertTrue(direct > 1e-7 && direct < 1e-5, "loss near the noise floor: " + direct);
        assertTrue(Math.abs(moment - direct) <= bound, "moment " + moment + " direct " + direct + " bound " + bound);
        System.out.printf("LinearMomentsTest: near the minimum loss %.6e, |moment - direct| = %.2e "
                + "(relative %.1e, bound %.1e)%n", direct, Math.abs(moment - direct),
                Math.abs(moment - direct) / direct, bound);
    }

    @Test
    void lossChangeOfATinyStepNearTheMinimumIsAccurate() {
        // Exact reference in 60-digit decimal arithmetic: ΔL = L(after) − L(before) for a step of
        // relative size 1e-8 near the minimum. Subtracting two double losses keeps only about
        // u L / |ΔL| relative accuracy (printed: ~1e-9 here); the telescoped change from the moments
        // errs by u times the condition of ⟨R, D⟩ + ½⟨D S, D⟩, asserted below 1e-10.
        int[] w = {3, 4, 3};
        Network teacher = linear(w, new boolean[] {true, false}, 50);
        Network before = teacher.copy();
        Batch batch = teacherBatches(teacher, 1, 60, 1e-3, 51)[0];
        Network after = before.copy();
        Rng rng = new Rng(52);
        double[] flat = after.parameters().toFlat();
        for (int i = 0; i < flat.length; i++) {
            flat[i] += 1e-8 * rng.nextGaussian();
        }
        after.parameters().setFromFlat(flat);
        Gaussian lik = Gaussian.isotropic(0.25);
        double change = LinearMoments.of(before, lik, batch).lossChange(before.parameters(), after.parameters());
        BigDecimal exact = exactLoss(after, batch, 0.25).subtract(exactLoss(before, batch, 0.25));
        double ref = exact.doubleValue();
        assertTrue(Math.abs(change - ref) <= 1e-10 * Math.abs(ref), "change " + change + " exact " + ref);
        double subtracted = lik.loss(after.predict(batch.inputs()), batch.targets())
                - lik.loss(before.predict(batch.inputs()), batch.targets());
        System.out.printf("LinearMomentsTest: tiny step near the minimum: exact %.6e, from moments %.6e (rel %.1e), "
                + "difference of two losses %.6e (rel %.1e)%n", ref, change, Math.abs(change - ref) / Math.abs(ref),
                subtracted, Math.abs(subtracted - ref) / Math.abs(ref));
    }

    /** ½ Σ ‖f − y‖² / (σ² M) in 60-digit decimal arithmetic. */
    static BigDecimal exactLoss(Network net, Batch batch, double variance) {
        MathContext mc = new MathContext(60);
        Matrix x = batch.inputs();
        int m = x.cols();
        BigDecimal[][] cur = new BigDecimal[x.rows()][m];
        for (int i = 0; i < x.rows(); i++) {
            for (int j = 0; j < m; j++) {
                cur[i][j] = new BigDecimal(x.get(i, j));
            }
        }
        for (Dense layer : net.denseLayers()) {
            Matrix wt = layer.weights();
            BigDecimal[][] next = new BigDecimal[wt.rows()][m];
            for (int i = 0; i < wt.rows(); i++) {
                for (int j = 0; j < m; j++) {
                    BigDecimal s = layer.hasBias() ? new BigDecimal(layer.bias().get(i, 0)) : BigDecimal.ZERO;
                    for (int k = 0; k < wt.cols(); k++) {
                        s = s.add(new BigDecimal(wt.get(i, k)).multiply(cur[k][j], mc), mc);
                    }
                    next[i][j] = s;
                }
            }
            cur = next;
        }
        BigDecimal sum = BigDecimal.ZERO;
        for (int i = 0; i < cur.length; i++) {
            for (int j = 0; j < m; j++) {
                BigDecimal r = cur[i][j].subtract(new BigDecimal(batch.targets().get(i, j)), mc);
                sum = sum.add(r.multiply(r, mc), mc);
            }
        }
        return sum.divide(new BigDecimal(2 * variance * m), mc);
    }

    @Test
    void thePathIsTakenOnlyForLinearLayersWithAGaussianLikelihoodAndTheKroneckerRule() {
        Network lin = linear(new int[] {3, 4, 2}, new boolean[] {true, true}, 60);
        Network tanh = Network.dense(List.of(3, 4, 2), Activation.TANH, Activation.IDENTITY, true, new Init.Gaussian(1), 61);
        Network reluOut = Network.dense(List.of(3, 4, 2), Activation.IDENTITY, Activation.RELU, true,
                new Init.Gaussian(1), 62);
        NaturalGradientOptions o = NaturalGradientOptions.paperDefaults();
        assertTrue(new NaturalGradient(Gaussian.unit(), o).usesMoments(lin));
        assertTrue(new NaturalGradient(Gaussian.isotropic(2), o).usesMoments(lin));
        assertFalse(new NaturalGradient(Gaussian.unit(), o).usesMoments(tanh));
        assertFalse(new NaturalGradient(Gaussian.unit(), o).usesMoments(reluOut));
        assertFalse(new NaturalGradient(new Bernoulli(), o).usesMoments(lin));
        assertFalse(new NaturalGradient(Gaussian.unit(), o.withLinearMoments(false)).usesMoments(lin));
        assertFalse(new NaturalGradient(Gaussian.unit(), o.withCurvature(CurvatureChoice.KFAC)).usesMoments(lin));
        // Behaviour, not just the predicate: where the path is not taken, switching the option
        // changes nothing, bit for bit; where it is taken, the result moves at round-off level.
        Rng rng = new Rng(63);
        Matrix x = gaussian(3, 30, rng);
        Matrix yReal = gaussian(2, 30, rng);
        Matrix yBinary = yReal.copy().mapInPlace(v -> v > 0 ? 1 : 0);
        assertEquals(0.0, diffOnOff(tanh, Gaussian.unit(), new Batch(x, yReal)));
        assertEquals(0.0, diffOnOff(lin, new Bernoulli(), new Batch(x, yBinary)));
        double moved = diffOnOff(lin, Gaussian.unit(), new Batch(x, yReal));
        assertTrue(moved > 0 && moved < 1e-12, "linear Gaussian: on/off differ by " + moved);
    }

    /** Relative difference of the weights after three steps with the option on and off. */
    static double diffOnOff(Network net0, Likelihood lik, Batch b) {
        Network a = net0.copy();
        Network c = net0.copy();
        NaturalGradient on = new NaturalGradient(lik, NaturalGradientOptions.paperDefaults());
        NaturalGradient off = new NaturalGradient(lik, NaturalGradientOptions.paperDefaults().withLinearMoments(false));
        for (int s = 0; s < 3; s++) {
            on.step(a, b);
            off.step(c, b);
        }
        return relDiff(a.parameters().toFlat(), c.parameters().toFlat());
    }

    @Test
    void squareRootsAndGramInversesReproduceTheFactor() {
        Rng rng = new Rng(80);
        Matrix full = MatOps.syrk(1, gaussian(5, 9, rng), false, 0, null);   // positive definite
        Matrix rank2 = MatOps.syrk(1, gaussian(5, 2, rng), false, 0, null);  // singular: Cholesky fails
        for (Matrix a : new Matrix[] {full, rank2}) {
            Matrix r = PsdSolver.squareRoot(a);
            assertTrue(relDiff(MatOps.multiplyTransB(r, r), a) < 1e-13, "S S^T = A");
            for (InverseStrategy st : new InverseStrategy[] {InverseStrategy.EIGEN, InverseStrategy.CHOLESKY,
                    InverseStrategy.SHERMAN_MORRISON, InverseStrategy.RANDOMIZED_SVD}) {
                // (A + 0.3 I)^{-1} (A + 0.3 I) = I, independently of how the inverse was built
                Matrix inv = PsdSolver.ofGram(a, st, false, 1).inverse(0.3);
                Matrix prod = MatOps.multiply(inv, MatOps.addDiagonalInPlace(a.copy(), 0.3));
                assertTrue(relDiff(prod, Matrix.identity(5)) < 1e-12, st + " " + relDiff(prod, Matrix.identity(5)));
            }
        }
        assertEquals(0.0, PsdSolver.squareRoot(full).get(0, 1), "positive definite: the Cholesky factor");
    }

    @Test
    void badInputsAreReportedAsByTheGeneralPath() {
        Network lin = linear(new int[] {3, 4, 2}, new boolean[] {true, true}, 70);
        Rng rng = new Rng(71);
        Matrix x = gaussian(3, 10, rng);
        Matrix y = gaussian(2, 10, rng);
        for (boolean moments : new boolean[] {true, false}) {
            NaturalGradientOptions o = NaturalGradientOptions.paperDefaults().withLinearMoments(moments);
            Matrix xNan = x.copy();
            xNan.set(1, 4, Double.NaN);
            Network net = lin.copy();
            double[] before = net.parameters().toFlat();
            StepReport r = new NaturalGradient(Gaussian.unit(), o).step(net, new Batch(xNan, y));
            assertFalse(r.accepted());
            assertEquals("rejected: loss before the step is NaN", r.note(), "moments " + moments);
            assertArrayEquals(before, net.parameters().toFlat(), 0.0);
            Matrix yInf = y.copy();
            yInf.set(1, 3, Double.POSITIVE_INFINITY);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new NaturalGradient(Gaussian.unit(), o).step(lin.copy(), new Batch(x, yInf)));
            assertEquals("Gaussian targets: non-finite value at row 1, column 3", e.getMessage(), "moments " + moments);
            e = assertThrows(IllegalArgumentException.class,
                    () -> new NaturalGradient(Gaussian.unit(), o).step(lin.copy(), new Batch(gaussian(4, 10, rng), y)));
            assertTrue(e.getMessage().contains("input is 4x10 but the network takes 3 inputs"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> new NaturalGradient(Gaussian.unit(), o).step(lin.copy(), new Batch(x, gaussian(3, 10, rng))));
            assertTrue(e.getMessage().contains("Gaussian targets: output is 2x10 but target is 3x10"), e.getMessage());
        }
    }
}
