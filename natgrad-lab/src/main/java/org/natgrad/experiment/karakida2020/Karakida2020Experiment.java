package org.natgrad.experiment.karakida2020;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.natgrad.curvature.BlockTridiagonal;
import org.natgrad.curvature.Curvature;
import org.natgrad.curvature.CurvatureChoice;
import org.natgrad.statistics.CurvatureStatistics;
import org.natgrad.nn.Batch;
import org.natgrad.estimate.Isotropy;
import org.natgrad.estimate.Ntk;
import org.natgrad.experiment.RunFolder;
import org.natgrad.experiment.RunLog;
import org.natgrad.experiment.training.Budget;
import org.natgrad.experiment.training.Curve;
import org.natgrad.experiment.training.Schedule;
import org.natgrad.experiment.training.Trainer;
import org.natgrad.likelihood.Gaussian;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.linalg.SymmetricEigen;
import org.natgrad.nn.Activation;
import org.natgrad.nn.Init;
import org.natgrad.nn.Network;
import org.natgrad.nn.ParamVector;
import org.natgrad.statistics.Gradients;
import org.natgrad.optim.NaturalGradient;
import org.natgrad.optim.NaturalGradientOptions;
import org.natgrad.optim.StepReport;
import org.natgrad.plot.FigureGrid;
import org.natgrad.plot.LinePlot;

/**
 * Karakida and Osawa (2020), math.md §4: a ReLU MLP 784-M-...-M-1 in the NTK parameterization
 * (stored in the standard one: W_l = σ_w ω_l/√M_{l-1}, ω ~ N(0,1), no biases since σ_b = 0) on
 * two-class data with the squared loss L = (1/2N)‖f(X) − Y‖². Natural-gradient methods (exact,
 * block-diagonal, block tri-diagonal, K-FAC, unit-wise) use the Fisher F = J^T J/N with
 * Moore–Penrose solves (no damping), formed for the NTK parameters ω as the official code does
 * ({@link NtkCoordinates}; or, with {@link Karakida2020Options.Coordinates#STORED}, for the stored
 * W through {@link NaturalGradient} with the representation as its one changed argument), at
 * their own η = 1/α with α = tr Θ_G/N measured at initialization;
 * and again at η = 0.5/α, where the isotropic prediction is L_t = (1 − αη)^{2t} L_0 = 0.25^t L_0.
 * Gradient descent runs in the NTK parameterization (W_l ← W_l − η (σ_w²/M_{l-1}) ∇_{W_l} L) at
 * the best of η = c/λ_max(Θ_ω), c ∈ {0.5, 1, 1.5, 1.9}, chosen by the linearized prediction.
 * Then the isotropy of Θ_G at initialization against width.
 */
public final class Karakida2020Experiment {

    /** The methods compared. */
    public enum Method {
        GD("gd", null), EXACT("exact", CurvatureChoice.EXACT), BLOCK_DIAGONAL("blockdiag", CurvatureChoice.BLOCK_DIAGONAL),
        BLOCK_TRIDIAGONAL("tridiag", CurvatureChoice.BLOCK_TRIDIAGONAL), KFAC("kfac", CurvatureChoice.KFAC),
        UNIT_WISE("unitwise", CurvatureChoice.UNIT_WISE);

        final String label;
        final CurvatureChoice curvature;

        Method(String label, CurvatureChoice curvature) {
            this.label = label;
            this.curvature = curvature;
        }

        public String label() {
            return label;
        }
    }

    /** One natural-gradient method's run. */
    public record MethodResult(String method, double alphaTheory, double alphaMeasured, double eta,
                               double firstStepReduction, double isotropySpread, double isotropyRelativeDeviation,
                               double functionStepDifferenceTrain, double functionStepDifferenceTest,
                               double stepNormRatio,
                               double[] trainLoss, double[] testLoss, double[] trainLossHalfRate,
                               double[] predictedHalfRate, double seconds) {
    }

    /** Gradient descent. */
    public record GdResult(double lambdaMax, double lambdaMin, double bestC, double eta, double targetReduction,
                           double predictedSteps, int actualSteps, int stepsRun, double[] trainLoss, double[] testLoss,
                           double seconds) {
    }

    /** Isotropy of Θ_G at one width, per method. */
    public record SweepPoint(int width, Map<String, Double> alpha, Map<String, Double> diagonalSpread,
                             Map<String, Double> relativeDeviation) {
    }

    /** Everything results.json holds. */
    public record Results(String data, boolean syntheticData, int width, int depth, int trainExamples, int testExamples,
                          double initialTrainLoss, double initialTestLoss, List<MethodResult> methods, GdResult gd,
                          List<SweepPoint> sweep, Map<String, Object> bars) {
    }

    private Karakida2020Experiment() {
    }

    static Network network(int width, int depth, double sigmaW2, long seed) {
        List<Integer> widths = new ArrayList<>();
        widths.add(784);
        for (int l = 1; l < depth; l++) {
            widths.add(width);
        }
        widths.add(1);
        return Network.dense(widths, Activation.RELU, Activation.IDENTITY, false, new Init.Gaussian(Math.sqrt(sigmaW2)), seed);
    }

    /** The α the derivations of math.md §4.4 give (K-FAC: N(L−1)+1 for M_0 ≥ N; unit-wise: 1 + mean active hidden units). */
    static double alphaTheory(Method m, Network net, Matrix x) {
        int l = net.depth();
        int n = x.cols();
        return switch (m) {
            case EXACT -> 1;
            case BLOCK_DIAGONAL -> l;
            case BLOCK_TRIDIAGONAL -> BlockTridiagonal.alpha(l);
            case KFAC -> n * (l - 1) + 1;
            case UNIT_WISE -> {
                var t = net.forward(x);
                double active = 0;
                for (int i = 0; i < l - 1; i++) {
                    for (double v : t.preActivation(i).data()) {
                        active += v > 0 ? 1 : 0;
                    }
                }
                yield 1 + active / n;
            }
            case GD -> Double.NaN;
        };
    }

    static double loss(Network net, Matrix x, Matrix y) {
        return Gaussian.unit().loss(net.predict(x), y);
    }

    /** Runs everything and writes the run folder. */
    public static Results run(Karakida2020Options o, RunFolder folder, List<String> commandLine, Consumer<String> progress)
            throws IOException {
        folder.writeOptions(o);
        folder.writeProvenance(o.seed(), commandLine);
        TwoClassData data = TwoClassData.load(o.dataDir(), o.trainExamples(), o.testExamples(), o.seed());
        progress.accept("data: " + data.source());
        Batch train = new Batch(data.trainX(), data.trainY());
        long initSeed = o.seed() * 1_000_003L + 17;
        Network init = network(o.width(), o.depth(), o.sigmaW2(), initSeed);
        double l0 = loss(init, data.trainX(), data.trainY());
        double t0 = loss(init, data.testX(), data.testY());
        Matrix f0Test = init.predict(data.testX());
        boolean ntk = o.coordinates() == Karakida2020Options.Coordinates.NTK;
        CurvatureStatistics s0 = ntk ? NtkCoordinates.samples(init, data.trainX(), NtkCoordinates.scales(init, o.sigmaW2()))
                : CurvatureStatistics.jacobian(init, data.trainX());

        List<MethodResult> methods = new ArrayList<>();
        Matrix exactTrain1 = null;
        Matrix exactTest1 = null;
        double exactStepNorm = Double.NaN;
        try (RunLog log = folder.openLog(List.of("method", "eta_over_alpha", "step", "train_loss", "test_loss", "seconds"))) {
            for (Method m : Method.values()) {
                if (m == Method.GD) {
                    continue;
                }
                long start = System.nanoTime();
                if (m == Method.BLOCK_TRIDIAGONAL && Double.isNaN(BlockTridiagonal.alpha(o.depth()))) {
                    progress.accept("tridiag: skipped, T is singular for L = " + o.depth());
                    continue;
                }
                Isotropy iso = Isotropy.of(Curvature.of(m.curvature, init, s0).kernel(s0, 0));
                double alpha = iso.alpha();
                double eta = 1 / alpha;
                double[][] full = train(m, init, data, eta, o, log, 1.0, start);
                double[][] half = train(m, init, data, 0.5 * eta, o, log, 0.5, start);
                double[] predicted = new double[o.ngdSteps() + 1];
                for (int t = 0; t <= o.ngdSteps(); t++) {
                    predicted[t] = Math.pow(0.25, t) * l0;
                }
                Network one = init.copy();
                double stepNorm;
                if (ntk) {
                    stepNorm = NtkCoordinates.apply(m.curvature, one, train, 1 / alpha, o.sigmaW2());
                } else {
                    ngd(m, 1 / alpha).step(one, train);
                    double[] moved = one.parameters().toFlat();
                    double[] from = init.parameters().toFlat();
                    stepNorm = 0;
                    for (int i = 0; i < moved.length; i++) {
                        stepNorm += (moved[i] - from[i]) * (moved[i] - from[i]);
                    }
                    stepNorm = Math.sqrt(stepNorm);
                }
                Matrix f1Train = one.predict(data.trainX());
                Matrix f1Test = one.predict(data.testX());
                double dTrain = 0;
                double dTest = 0;
                if (m == Method.EXACT) {
                    exactStepNorm = stepNorm;
                    exactTrain1 = f1Train;
                    exactTest1 = f1Test;
                } else if (exactTrain1 != null) {
                    dTrain = MatOps.subtract(f1Train, exactTrain1, null).frobeniusNorm()
                            / MatOps.subtract(init.predict(data.trainX()), data.trainY(), null).frobeniusNorm();
                    dTest = MatOps.subtract(f1Test, exactTest1, null).frobeniusNorm()
                            / MatOps.subtract(exactTest1, f0Test, null).frobeniusNorm();
                }
                double secs = (System.nanoTime() - start) / 1e9;
                MethodResult r = new MethodResult(m.label, alphaTheory(m, init, data.trainX()), alpha, eta,
                        l0 / full[0][1], iso.diagonalSpread(), iso.relativeDeviation(), dTrain, dTest, stepNorm / exactStepNorm, full[0], full[1],
                        half[0], predicted, secs);
                methods.add(r);
                progress.accept(String.format(Locale.ROOT, "%-9s alpha %.4g (theory %.4g), first-step reduction %.3g, "
                        + "parameter step %.3g x exact NGD's, %.1f s", m.label, alpha, r.alphaTheory(), r.firstStepReduction(),
                        r.stepNormRatio(), secs));
            }
            double target = methods.isEmpty() ? 100 : methods.get(0).firstStepReduction();
            GdResult gd = gradientDescent(o, init, data, target, log);
            progress.accept(String.format(Locale.ROOT, "gd: best eta %.3g (c = %.2f), steps for the exact-NGD reduction "
                    + "%.3g: predicted %.4g, actual %s", gd.eta(), gd.bestC(), target, gd.predictedSteps(),
                    gd.actualSteps() < 0 ? "> " + gd.stepsRun() : gd.actualSteps()));
            List<SweepPoint> sweep = sweep(o, data, progress);
            Map<String, Object> bars = bars(o, methods, gd);
            Results res = new Results(data.source(), data.synthetic(), o.width(), o.depth(), o.trainExamples(),
                    o.testExamples(), l0, t0, methods, gd, sweep, bars);
            folder.writeResults(res);
            plots(folder, res, o);
            folder.writeReport(Karakida2020Report.markdown(o, res));
            return res;
        }
    }

    static NaturalGradient ngd(Method m, double eta) {
        NaturalGradientOptions opt = NaturalGradientOptions.paperDefaults().withModelSamples(0).withPseudoInverse(true)
                .withAdaptiveDamping(false).withInitialDamping(0).withBlowUpFactor(Double.POSITIVE_INFINITY)
                .withAlpha(eta).withCurvature(m.curvature);
        return new NaturalGradient(Gaussian.unit(), opt);
    }

    /** NGD from {@code init} for {@code steps} steps: {train losses, test losses}, each of length steps + 1. */
    static double[][] train(Method m, Network init, TwoClassData data, double eta, Karakida2020Options o, RunLog log,
                            double scale, long start) throws IOException {
        int steps = o.ngdSteps();
        boolean ntk = o.coordinates() == Karakida2020Options.Coordinates.NTK;
        Network net = init.copy();
        NaturalGradient opt = ntk ? null : ngd(m, eta);
        Batch b = new Batch(data.trainX(), data.trainY());
        Curve c = new Trainer<Batch>(m.label, () -> b, Batch::size, batch -> {
            if (ntk) {
                NtkCoordinates.apply(m.curvature, net, batch, eta, o.sigmaW2());
                return StepReport.firstOrder(Double.NaN);
            }
            return opt.step(net, batch);
        }).schedule(Schedule.everySteps(1)).evaluator(p -> {
            double tr = loss(net, data.trainX(), data.trainY());
            double te = loss(net, data.testX(), data.testY());
            log.row(m.label, scale, p.step(), tr, te, (System.nanoTime() - start) / 1e9);
            return Trainer.Evaluation.of(te, tr);
        }).trainUntil(Budget.steps(steps));
        return new double[][]{c.trainErrors(), c.testErrors()};
    }

    static GdResult gradientDescent(Karakida2020Options o, Network init, TwoClassData data, double targetReduction,
                                    RunLog log) throws IOException {
        long start = System.nanoTime();
        Ntk ntk = Ntk.of(init, data.trainX());
        Matrix[] scaled = ntk.ntkParameterization(init, o.sigmaW2());
        int n = data.trainX().cols();
        Matrix theta = MatOps.scale(1.0 / n, scaled[scaled.length - 1], null); // Θ_ω with the 1/N convention
        SymmetricEigen eig = SymmetricEigen.decompose(theta).orElseThrow(() ->
                new ArithmeticException("eigendecomposition of the NTK failed"));
        double[] lam = eig.values();
        double lmax = 0;
        double lmin = Double.POSITIVE_INFINITY;
        for (double v : lam) {
            lmax = Math.max(lmax, v);
            lmin = Math.min(lmin, v);
        }
        Matrix e0 = MatOps.subtract(init.predict(data.trainX()), data.trainY(), null);
        double[] c0 = MatOps.gemv(1, eig.vectors(), true, e0.data(), 0, null);
        double l0 = 0.5 * MatOps.dot(e0, e0) / n;
        double target = l0 / targetReduction;
        double bestC = Double.NaN;
        double bestSteps = Double.POSITIVE_INFINITY;
        for (double c : new double[]{0.5, 1, 1.5, 1.9}) {
            double steps = predictedSteps(lam, c0, c / lmax, n, target);
            if (steps < bestSteps) {
                bestSteps = steps;
                bestC = c;
            }
        }
        double eta = bestC / lmax;
        int budget = (int) Math.min(o.gdStepBudget(), Math.max(1, 2 * bestSteps + 10)); // room beyond the prediction
        Network net = init.copy();
        Batch b = new Batch(data.trainX(), data.trainY());
        int[] actual = {-1};
        Curve c = new Trainer<Batch>("gd", () -> b, Batch::size, batch -> {
            ParamVector g = Gradients.of(net, Gaussian.unit(), batch).gradient();
            ParamVector p = net.parameters();
            for (int l = 0; l < net.depth(); l++) {
                MatOps.axpy(-eta * o.sigmaW2() / net.layer(l).inputs(), g.weights(l), p.weights(l));
            }
            return StepReport.firstOrder(Double.NaN);
        }).schedule(Schedule.everySteps(1)).evaluator(p -> {
            double tr = loss(net, data.trainX(), data.trainY());
            double te = loss(net, data.testX(), data.testY());
            if (actual[0] < 0 && tr <= target) {
                actual[0] = (int) p.step();
            }
            if (p.step() % 10 == 0 || p.step() == budget) {
                log.row("gd", Double.NaN, p.step(), tr, te, (System.nanoTime() - start) / 1e9);
            }
            return Trainer.Evaluation.of(te, tr);
        }).trainUntil(Budget.steps(budget));
        double[] tr = c.trainErrors();
        double[] te = c.testErrors();
        return new GdResult(lmax, lmin, bestC, eta, targetReduction, bestSteps, actual[0], budget, tr, te,
                (System.nanoTime() - start) / 1e9);
    }

    /** Smallest t with (1/2N) Σ_k (1 − ηλ_k)^{2t} c_k² ≤ target in the linearized model (+∞ if none below 1e12). */
    static double predictedSteps(double[] lam, double[] c0, double eta, int n, double target) {
        java.util.function.LongToDoubleFunction lossAt = t -> {
            double s = 0;
            for (int k = 0; k < lam.length; k++) {
                s += Math.pow(1 - eta * lam[k], 2.0 * t) * c0[k] * c0[k];
            }
            return 0.5 * s / n;
        };
        if (lossAt.applyAsDouble(0) <= target) {
            return 0;
        }
        long hi = 1;
        while (lossAt.applyAsDouble(hi) > target) {
            hi *= 2;
            if (hi > 1_000_000_000_000L) {
                return Double.POSITIVE_INFINITY;
            }
        }
        long lo = hi / 2;
        while (hi - lo > 1) {
            long mid = (lo + hi) / 2;
            if (lossAt.applyAsDouble(mid) > target) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return hi;
    }

    static List<SweepPoint> sweep(Karakida2020Options o, TwoClassData data, Consumer<String> progress) {
        List<SweepPoint> out = new ArrayList<>();
        for (int w : o.sweepWidths()) {
            long start = System.nanoTime();
            Network net = network(w, o.depth(), o.sigmaW2(), o.seed() * 31 + w);
            CurvatureStatistics s = CurvatureStatistics.jacobian(net, data.trainX());
            Map<String, Double> alpha = new LinkedHashMap<>();
            Map<String, Double> spread = new LinkedHashMap<>();
            Map<String, Double> dev = new LinkedHashMap<>();
            for (Method m : Method.values()) {
                if (m == Method.GD || (m == Method.BLOCK_TRIDIAGONAL && Double.isNaN(BlockTridiagonal.alpha(o.depth())))) {
                    continue;
                }
                try {
                    Isotropy iso = Isotropy.of(Curvature.of(m.curvature, net, s).kernel(s, 0));
                    alpha.put(m.label, iso.alpha());
                    spread.put(m.label, iso.diagonalSpread());
                    dev.put(m.label, iso.relativeDeviation());
                } catch (ArithmeticException e) {
                    // e.g. tri-diagonal when a layer has fewer parameters than N (its Gram matrix is singular)
                    progress.accept("width " + w + ", " + m.label + ": not defined (" + e.getMessage() + ")");
                    alpha.put(m.label, Double.NaN);
                    spread.put(m.label, Double.NaN);
                    dev.put(m.label, Double.NaN);
                }
            }
            out.add(new SweepPoint(w, alpha, spread, dev));
            progress.accept(String.format(Locale.ROOT, "width %5d: unit-wise spread %.4f, relative deviation %.4f (%.1f s)",
                    w, spread.get("unitwise"), dev.get("unitwise"), (System.nanoTime() - start) / 1e9));
        }
        return out;
    }

    static Map<String, Object> bars(Karakida2020Options o, List<MethodResult> methods, GdResult gd) {
        Map<String, Object> bars = new LinkedHashMap<>();
        boolean wide = o.width() >= 1024;
        bars.put("evaluated", wide);
        bars.put("note", wide ? "width " + o.width() + " >= 1024" : "width " + o.width() + " < 1024: the bars are "
                + "defined at width >= 1024; figures are reported but not judged");
        double minReduction = Double.POSITIVE_INFINITY;
        Map<String, Double> reductions = new LinkedHashMap<>();
        for (MethodResult m : methods) {
            reductions.put(m.method(), m.firstStepReduction());
            minReduction = Math.min(minReduction, m.firstStepReduction());
        }
        bars.put("first_step_reduction", reductions);
        bars.put("every_ngd_method_at_least_100x", minReduction >= 100);
        double gdSteps = gd.actualSteps() >= 0 ? gd.actualSteps() : gd.predictedSteps();
        bars.put("gd_steps_for_same_reduction", gdSteps);
        bars.put("gd_steps_measured", gd.actualSteps() >= 0);
        bars.put("gd_needs_at_least_20_steps", gdSteps >= 20);
        return bars;
    }

    static void plots(RunFolder folder, Results r, Karakida2020Options o) throws IOException {
        LinePlot train = new LinePlot("train loss, eta = 1/alpha").xTitle("step").yTitle("loss").logY(true);
        LinePlot test = new LinePlot("test loss, eta = 1/alpha").xTitle("step").yTitle("loss").logY(true);
        LinePlot half = new LinePlot("train loss, eta = 0.5/alpha; dashed: (1 - alpha eta)^(2t) L0")
                .xTitle("step").yTitle("loss").logY(true);
        double[] steps = range(o.ngdSteps() + 1);
        for (MethodResult m : r.methods()) {
            train.add(m.method(), steps, m.trainLoss(), false);
            test.add(m.method(), steps, m.testLoss(), false);
            half.add(m.method(), steps, m.trainLossHalfRate(), false);
        }
        double[] predicted = new double[steps.length];
        predicted[0] = r.initialTrainLoss();
        train.add("predicted (1 - alpha eta)^(2t) L0 = 0 for t >= 1", new double[]{0}, new double[]{r.initialTrainLoss()}, true);
        if (!r.methods().isEmpty()) {
            half.add("predicted 0.25^t L0", steps, r.methods().get(0).predictedHalfRate(), true);
        }
        int gdShown = Math.min(r.gd().trainLoss().length, o.ngdSteps() + 1);
        train.add("gd", range(gdShown), java.util.Arrays.copyOf(r.gd().trainLoss(), gdShown), false);
        test.add("gd", range(gdShown), java.util.Arrays.copyOf(r.gd().testLoss(), gdShown), false);
        LinePlot gd = new LinePlot("gradient descent, eta = " + String.format(Locale.ROOT, "%.2f", r.gd().bestC())
                + "/lambda_max").xTitle("step").yTitle("train loss").logY(true);
        double[] gdx = range(r.gd().trainLoss().length);
        gd.add("gd train", gdx, r.gd().trainLoss(), false);
        gd.add("gd test", gdx, r.gd().testLoss(), false);
        double level = r.initialTrainLoss() / r.gd().targetReduction();
        gd.add("exact NGD after 1 step", new double[]{0, gdx.length - 1}, new double[]{level, level}, true);
        new FigureGrid(2, 2, 560, 420).set(0, 0, train).set(0, 1, test).set(1, 0, half).set(1, 1, gd)
                .save(folder.resolve("loss_curves"));

        LinePlot iso = new LinePlot("isotropy of Theta_G at initialization vs width").xTitle("width M")
                .yTitle("relative spread of diag Theta_G").logY(true);
        double[] widths = r.sweep().stream().mapToDouble(SweepPoint::width).toArray();
        for (String m : r.sweep().isEmpty() ? List.<String>of() : r.sweep().get(0).diagonalSpread().keySet()) {
            double[] y = r.sweep().stream().mapToDouble(p -> Math.max(p.diagonalSpread().get(m), 1e-16)).toArray();
            iso.add(m, widths, y, false);
        }
        if (widths.length > 0) {
            double c = r.sweep().get(0).diagonalSpread().get("unitwise") * Math.sqrt(widths[0]);
            double[] ref = new double[widths.length];
            for (int i = 0; i < ref.length; i++) {
                ref[i] = c / Math.sqrt(widths[i]);
            }
            iso.add("M^(-1/2) reference", widths, ref, true);
        }
        new FigureGrid(1, 1, 700, 480).set(0, 0, iso).save(folder.resolve("isotropy_vs_width"));
    }

    static double[] range(int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
        }
        return x;
    }
}
