package org.natgrad.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.natgrad.data.Dataset;
import org.natgrad.estimate.ExponentialFamily;
import org.natgrad.estimate.FisherEstimators;
import org.natgrad.estimate.LayerVariance;
import org.natgrad.estimate.OutputDerivatives;
import org.natgrad.experiment.Json;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Activation;
import org.natgrad.nn.Network;
import org.natgrad.random.Rng;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code natgrad fisher-variance}: how noisy are the two Fisher estimators (math.md §3) for a
 * saved model on a data set? Per layer (diagonal block of the Fisher): the Fisher's size
 * (trace and Frobenius norm of the mean Fisher over the inputs), the relative standard error
 * sqrt(Σ_ab Var(Î_k)_ab)/‖F_ll‖_F of Î1 (score outer products) and Î2 (negative Hessians) with N
 * (x, y) pairs drawn jointly (inputs uniform over the data, targets from the model), the number
 * of samples each needs to reach {@code --target-rel-error}, and the ratio of the §3.5 bound to
 * the variance. Matrix-free ({@link LayerVariance}), so any network size works. For small networks
 * one draw of Î2 is also made and its smallest eigenvalue reported (an indefinite Î2 is said to
 * be so, never clipped).
 */
@Command(name = "fisher-variance", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Per-layer noise of the two Fisher estimators (score outer product I1, negative Hessian I2) "
                + "with N (x, y) samples: Fisher size, relative standard error, samples needed for a target, "
                + "bound-to-variance ratio (math.md section 3)."},
        footer = {"", "Example:", "  natgrad fisher-variance --model m.npz --data d.npz --activation tanh "
                + "--likelihood categorical --samples 128 --target-rel-error 0.1"})
public final class FisherVarianceCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelAndData io;

    @Option(names = "--likelihood", required = true, paramLabel = "NAME",
            description = "gaussian (unit variance), bernoulli (logits), categorical (softmax logits), poisson (log rate).")
    String likelihood;

    @Option(names = "--estimator", defaultValue = "both", paramLabel = "NAME",
            description = "both, score (I1) or hessian (I2) (default: ${DEFAULT-VALUE}).")
    String estimator;

    @Option(names = "--samples", paramLabel = "N",
            description = "Number of (x, y) samples the estimate uses (default: the data set's size).")
    Long samples;

    @Option(names = "--target-rel-error", defaultValue = "0.1", paramLabel = "R",
            description = "Target relative standard error (default: ${DEFAULT-VALUE}).")
    double target;

    @Option(names = "--inputs", defaultValue = "32", paramLabel = "K",
            description = "Use the first K inputs of the data as the input distribution (default: ${DEFAULT-VALUE}).")
    int inputs;

    /** natgrad's global {@code --seed}, which seeds the one Î2 draw checked for indefiniteness; 1 on its own. */
    private long seed() {
        return SeedOption.of(spec);
    }

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    /** One layer's line. */
    public record LayerLine(int layer, int parameters, double fisherTrace, double fisherFrobenius,
                            Double relErrorI1, Double relErrorI2, Double relErrorI1GivenInputs,
                            Double relErrorI2GivenInputs, Long samplesNeededI1, Long samplesNeededI2,
                            Double boundRatioI1, Double boundRatioI2) {
    }

    /** The smallest eigenvalue of one draw of Î2 (and of the exact Fisher), when the network is small. */
    public record Definiteness(boolean checked, Double smallestEigenvalueI2, Double smallestEigenvalueFisher,
                               Boolean indefinite, String note) {
    }

    /** The whole report (also the --json output). */
    public record Report(String model, String data, List<Integer> widths, int parameters, String likelihood,
                         String estimator, long samples, int inputsUsed, int inputsInData, double targetRelError,
                         List<LayerLine> layers, Definiteness hessianEstimate, String note, double seconds) {
    }

    @Override
    public Integer call() throws IOException {
        ExponentialFamily family = Commands.parse(spec, "--likelihood", () -> ExponentialFamily.parse(likelihood));
        String est = estimator.trim().toLowerCase(Locale.ROOT);
        if (est.equals("empirical")) {
            throw Commands.usage(spec, "--estimator empirical: the empirical Fisher "
                    + "(scores at the data labels) is neither of the two unbiased estimators and has no variance "
                    + "formula here; choose both, score or hessian");
        }
        if (!est.equals("both") && !est.equals("score") && !est.equals("hessian")) {
            throw Commands.usage(spec, "--estimator: unknown '" + estimator
                    + "'; expected both, score or hessian");
        }
        if (!(target > 0) || Double.isInfinite(target)) {
            throw Commands.usage(spec, "--target-rel-error must be > 0, got " + target);
        }
        if (inputs < 1) {
            throw Commands.usage(spec, "--inputs must be >= 1, got " + inputs);
        }
        ModelAndData.Loaded loaded = io.load();
        Network net = loaded.network();
        Dataset d = loaded.data();
        long n = samples == null ? d.size() : samples;
        if (n < 1) {
            throw Commands.usage(spec, "--samples must be >= 1, got " + n
                    + " (the variances scale as 1/N)");
        }
        long start = System.nanoTime();
        int k = Math.min(inputs, d.size());
        Matrix x = d.inputs().columns(0, k);
        LayerVariance.Result r = LayerVariance.compute(net, family, x);
        boolean one = !est.equals("hessian");
        boolean two = !est.equals("score");
        List<LayerLine> lines = new ArrayList<>();
        for (LayerVariance.Layer l : r.layers()) {
            lines.add(new LayerLine(l.layer() + 1, l.parameters(), l.fisherTrace(), l.fisherFrobenius(),
                    one ? l.relativeError(1, n) : null, two ? l.relativeError(2, n) : null,
                    one ? Math.sqrt(l.var1() / n) / l.fisherFrobenius() : null,
                    two ? Math.sqrt(l.var2() / n) / l.fisherFrobenius() : null,
                    one ? l.samplesFor(1, target) : null, two ? l.samplesFor(2, target) : null,
                    one ? ratio(l.bound1(), l.var1()) : null, two ? ratio(l.bound2(), l.var2()) : null));
        }
        Definiteness def = two ? definiteness(net, family, x, n) : new Definiteness(false, null, null, null,
                "not requested");
        double secs = (System.nanoTime() - start) / 1e9;
        boolean piecewiseLinear = net.denseLayers().stream().allMatch(l -> l.activation() == Activation.IDENTITY
                || l.activation() == Activation.RELU);
        String note = two && piecewiseLinear ? "every activation has phi'' = 0 (almost everywhere), so the output is "
                + "linear in each single layer's parameters and Var(I2) is 0 on every layer's block; I2's noise sits "
                + "in the cross-layer pairs, which this per-layer summary does not show" : null;
        Report rep = new Report(io.model.toString(), io.data.toString(), net.widths(), net.parameterCount(), family.label(),
                est, n, k, d.size(), target, lines, def, note, secs);
        PrintWriter w = spec.commandLine().getOut();
        if (json) {
            w.println(Json.toJson(rep));
        } else {
            printTable(w, rep);
        }
        w.flush();
        return 0;
    }

    private static Double ratio(double bound, double var) {
        return var > 0 ? bound / var : null;
    }

    /** One seeded draw of Î2 with min(N, 256) joint samples, when d·P² and K are small. */
    private Definiteness definiteness(Network net, ExponentialFamily family, Matrix x, long n) {
        long p = net.parameterCount();
        long d = net.outputSize();
        int k = x.cols();
        if (p > 600 || k * d * p * p > 20_000_000L) {
            return new Definiteness(false, null, null, null, "network too large for the dense check (P = " + p
                    + "); the trace forms above do not need it");
        }
        List<OutputDerivatives> ods = new ArrayList<>();
        Matrix fisher = new Matrix((int) p, (int) p);
        for (int m = 0; m < k; m++) {
            OutputDerivatives od = OutputDerivatives.secondOrder(net, x.column(m));
            ods.add(od);
            org.natgrad.linalg.MatOps.axpy(1.0 / k, FisherEstimators.fisher(od, family), fisher);
        }
        int draws = (int) Math.min(n, 256);
        FisherEstimators.Estimates e = FisherEstimators.sampleJoint(ods, family, draws, new Rng(seed()));
        double min2 = FisherEstimators.smallestEigenvalue(e.second());
        double minF = FisherEstimators.smallestEigenvalue(fisher);
        double tol = 1e-10 * Math.max(1, e.second().maxAbs());
        boolean indefinite = min2 < -tol;
        return new Definiteness(true, min2, minF, indefinite, "one draw of I2 with " + draws + " samples (seed " + seed()
                + ")" + (indefinite ? ": INDEFINITE, not clipped" : ": positive semi-definite"));
    }

    private static void printTable(PrintWriter w, Report r) {
        w.printf(Locale.ROOT, "fisher-variance: %s, widths %s, P = %d, likelihood %s%n", r.model(), r.widths(),
                r.parameters(), r.likelihood());
        w.printf(Locale.ROOT, "N = %d joint (x, y) samples; inputs: first %d of %d in %s; target relative error %.3g%n",
                r.samples(), r.inputsUsed(), r.inputsInData(), r.data(), r.targetRelError());
        w.printf(Locale.ROOT, "%-5s %9s %11s %11s %10s %10s %10s %10s %11s %11s %10s %10s%n", "layer", "params",
                "tr F_ll", "|F_ll|_F", "relerr I1", "relerr I2", "I1 | x", "I2 | x", "N need I1", "N need I2",
                "bound/var1", "bound/var2");
        for (LayerLine l : r.layers()) {
            w.printf(Locale.ROOT, "%-5d %9d %11.4g %11.4g %10s %10s %10s %10s %11s %11s %10s %10s%n", l.layer(),
                    l.parameters(), l.fisherTrace(), l.fisherFrobenius(), fmt(l.relErrorI1()), fmt(l.relErrorI2()),
                    fmt(l.relErrorI1GivenInputs()), fmt(l.relErrorI2GivenInputs()),
                    l.samplesNeededI1() == null ? "-" : l.samplesNeededI1().toString(),
                    l.samplesNeededI2() == null ? "-" : l.samplesNeededI2().toString(),
                    fmt(l.boundRatioI1()), fmt(l.boundRatioI2()));
        }
        if (r.note() != null) {
            w.println("note: " + r.note());
        }
        Definiteness def = r.hessianEstimate();
        if (def.checked()) {
            w.printf(Locale.ROOT, "I2: smallest eigenvalue %.4g (exact Fisher: %.4g); %s%n", def.smallestEigenvalueI2(),
                    def.smallestEigenvalueFisher(), def.note());
        } else {
            w.println("I2 definiteness: " + def.note());
        }
        w.printf(Locale.ROOT, "(relerr = sqrt(sum of element variances over the layer's block) / |F_ll|_F with x and y "
                + "sampled; 'I | x' counts only the noise of the model-sampled targets, which is exactly 0 for I2 "
                + "where the output is linear in the layer; bound/var: the section 3.5 bound over the variance, "
                + "targets only; %.2f s)%n", r.seconds());
    }

    private static String fmt(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.4g", v);
    }
}
