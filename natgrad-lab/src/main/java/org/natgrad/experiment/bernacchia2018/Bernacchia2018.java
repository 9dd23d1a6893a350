package org.natgrad.experiment.bernacchia2018;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.natgrad.deeplinear.DeepLinearModel;
import org.natgrad.deeplinear.PredictedCurve;
import org.natgrad.deeplinear.Trajectory;
import org.natgrad.experiment.RunFolder;
import org.natgrad.experiment.RunLog;
import org.natgrad.likelihood.Gaussian;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Dense;
import org.natgrad.nn.Init;
import org.natgrad.nn.Network;
import org.natgrad.optim.Damping;
import org.natgrad.optim.LevenbergMarquardt;
import org.natgrad.optim.NaturalGradient;
import org.natgrad.optim.NaturalGradientOptions;
import org.natgrad.random.Rng;
import org.natgrad.experiment.training.Curve;
import org.natgrad.experiment.training.CurvePoint;

/**
 * Runs the reproduction of Figure 1: for each chosen panel, builds the data and one initial
 * network, runs the SGD grid search and the chosen SGD run, runs NGD from the same initial
 * weights, and (panel A) computes the predicted NGD curve from the population closed forms; then
 * writes the run folder:
 * <pre>
 *   options.json, provenance.json       the options and where/how the run was made
 *   A/log.csv ... D/log.csv             per panel: sgd and ngd evaluations (see {@link LogCsv})
 *   A/grid.csv ...                      per panel: the SGD grid candidates
 *   A/predicted.csv                     panel A: the predicted NGD curve
 *   figure1.png, figure1.svg            the combined figure ({@link Figure1})
 *   results.json                        headline figures ({@link Results})
 *   report.md                           our numbers beside the paper's claims ({@link Report})
 * </pre>
 */
public final class Bernacchia2018 {

    /**
     * What a whole run produced.
     *
     * @param options      the options
     * @param panels       the panels that ran, in A–D order
     * @param skipped      a one-line note about a panel that could not run (missing data), or empty
     * @param folder       the output folder
     * @param totalSeconds wall-clock of the whole run
     */
    public record Outcome(Bernacchia2018Options options, List<PanelOutcome> panels, String skipped, Path folder,
                          double totalSeconds) {
    }

    /** Lower bound on λ for the predicted curve (√λ = 1e-6, far above round-off in the factors). */
    public static final double PREDICTED_DAMPING_FLOOR = 1e-12;

    private Bernacchia2018() {
    }

    /**
     * Runs the panels of {@code o} and writes the run folder.
     *
     * @param o           options
     * @param overwrite   allow writing into a non-empty output folder
     * @param commandLine the command line, for provenance.json
     * @param progress    receives progress lines (never null; use {@code s -> {}} for silence)
     * @throws IOException              if an output file cannot be written or data cannot be read
     * @throws IllegalArgumentException if only panel D was asked for and its data is missing
     */
    public static Outcome run(Bernacchia2018Options o, boolean overwrite, List<String> commandLine,
                              Consumer<String> progress) throws IOException {
        long t0 = System.nanoTime();
        List<Panel> panels = new ArrayList<>(o.orderedPanels());
        String skipped = "";
        Optional<Path> digits = Optional.empty();
        if (panels.contains(Panel.D)) {
            digits = DigitData.locate(o.dataset(), o.dataDir());
            if (digits.isEmpty()) {
                skipped = "Panel D skipped: no " + (o.dataset() == DigitSource.MNIST ? "MNIST" : "Fashion-MNIST")
                        + " data found; get it with: " + o.dataset().installHint();
                if (panels.size() == 1) {
                    throw new IllegalArgumentException(skipped.replace("Panel D skipped: ", "cannot run panel D: "));
                }
                panels.remove(Panel.D);
                progress.accept(skipped);
            }
        }
        try (RunFolder folder = RunFolder.create(o.out(), overwrite)) {
            folder.writeOptions(o.toMap());
            folder.writeProvenance(o.seed(), commandLine);

            Map<Panel, Long> seeds = panelSeeds(o.seed());
            List<PanelOutcome> outcomes = new ArrayList<>();
            for (Panel p : panels) {
                PanelOutcome po = runPanel(o, o.spec(p), seeds.get(p), digits.orElse(null), progress);
                outcomes.add(po);
                writePanel(folder.path().resolve(p.name()), po);
                progress.accept(String.format(java.util.Locale.ROOT, "panel %s done in %.1f s", p, po.wallSeconds()));
            }
            Outcome out = new Outcome(o, List.copyOf(outcomes), skipped, folder.path(), (System.nanoTime() - t0) * 1e-9);
            if (!outcomes.isEmpty()) {
                Figure1.save(folder.path().resolve("figure1"), outcomes);
            }
            folder.writeResults(Results.toMap(out));
            folder.writeReport(Report.markdown(out));
            return out;
        }
    }

    /**
     * Each panel's seed, drawn from the master seed in A–D order, so a panel gets the same data,
     * weights and minibatches whichever other panels run.
     */
    static Map<Panel, Long> panelSeeds(long seed) {
        Rng master = new Rng(seed);
        Map<Panel, Long> m = new EnumMap<>(Panel.class);
        for (Panel p : Panel.values()) {
            m.put(p, master.nextLong());
        }
        return m;
    }

    /** Runs one panel. {@code digitFolder} is used only by panel D. */
    static PanelOutcome runPanel(Bernacchia2018Options o, PanelSpec spec, long panelSeed, Path digitFolder,
                                 Consumer<String> progress) throws IOException {
        long t0 = System.nanoTime();
        Rng pr = new Rng(panelSeed);
        long dataSeed = pr.nextLong();
        Rng dataRng = pr.split();
        long initSeed = pr.nextLong();
        long sgdSeed = pr.nextLong();
        long ngdBatchSeed = pr.nextLong();
        long ngdSeed = pr.nextLong();
        Panel p = spec.panel();
        progress.accept("panel " + p + " (" + p.description() + " " + PanelData.join(spec.widths()) + ")");
        PanelData data = p.isLinear() ? PanelData.teacher(spec, dataSeed, dataRng)
                : DigitData.load(spec, o.dataset(), digitFolder, dataRng);
        Network initial = Network.dense(spec.widths(), spec.hidden(), spec.output(), o.studentBias(), new Init.Gaussian(1),
                initSeed);

        SgdGridSearch.Outcome sgd = SgdGridSearch.run(spec, o.sgdStep(), initial, data.train(), data.test(), sgdSeed,
                o.sgdGridExtensions(), progress, o.precision());
        progress.accept(String.format(java.util.Locale.ROOT, "  SGD α=%s chosen: test error %.4g after %d examples (%.1f s)",
                sgd.bestAlpha(), sgd.best().curve().last().testError(), sgd.best().examples(), sgd.best().seconds()));

        NaturalGradient ngd = new NaturalGradient(Gaussian.unit(), ngdOptions(o, spec, ngdSeed));
        TrainingRun ngdRun = new TrainingRun("ngd", initial.copy(), ngd, data.train(), data.test(), spec.ngdBatch(),
                spec.evalEvery(), new Rng(ngdBatchSeed));
        ngdRun.trainUntil(spec.ngdExamples());
        progress.accept(String.format(java.util.Locale.ROOT, "  NGD: test error %.4g after %d examples (%.1f s), damping %.3g",
                ngdRun.curve().last().testError(), ngdRun.examples(), ngdRun.seconds(), ngd.damping()));

        Curve predicted = null;
        String predictedNote = "";
        if (p == Panel.A) {
            try {
                predicted = predictedNgd(o, spec, data, initial);
            } catch (ArithmeticException | IllegalArgumentException e) {
                predictedNote = "predicted NGD curve not available: " + e.getMessage();
                progress.accept("  " + predictedNote);
            }
        }
        return new PanelOutcome(spec, data, sgd, ngdRun.curve(), predicted, predictedNote, (System.nanoTime() - t0) * 1e-9);
    }

    /**
     * The NGD options of a panel: the paper's α, K, λ_0, the chosen predicted decrease, blow-up rule
     * and step path (minibatch moments or passes; only linear panels can take the former).
     */
    static NaturalGradientOptions ngdOptions(Bernacchia2018Options o, PanelSpec spec, long seed) {
        return NaturalGradientOptions.paperDefaults()
                .withAlpha(spec.ngdAlpha())
                .withModelSamples(spec.ngdSamples())
                .withInitialDamping(spec.initialDamping())
                .withMaxDamping(Math.max(1e8, spec.initialDamping()))
                .withPredictedDecrease(o.predictedDecrease())
                .withBlowUpFactor(o.ngdBlowUpFactor())
                .withLinearMoments(o.ngdLinearMoments())
                .withFactorPrecision(o.ngdFactorPrecision())
                .toBuilder().precision(o.precision()).seed(seed).build();
    }

    /**
     * The predicted NGD curve of a linear panel: discrete NGD (Eq. 20) with exact population
     * statistics (Σ, W*, Σ̃ = I) from the same initial weights, the same α, λ_0 and
     * Levenberg–Marquardt rule, one iteration per minibatch of M examples; test error = excess
     * loss + ½ n_L σ². The student's biases start at zero and are left out (inputs are centred).
     * The damping is floored at {@link #PREDICTED_DAMPING_FLOOR}: once the loss has converged the
     * rule keeps shrinking λ, and the exact population factors are only positive semi-definite in
     * floating point (round-off eigenvalues of order −1e-13).
     */
    static Curve predictedNgd(Bernacchia2018Options o, PanelSpec spec, PanelData data, Network initial) {
        List<Matrix> w = new ArrayList<>();
        for (Dense d : initial.denseLayers()) {
            w.add(d.weights());
        }
        int nl = spec.widths().get(spec.widths().size() - 1);
        DeepLinearModel m = DeepLinearModel.of(w, data.teacher().inputCovariance(), Matrix.identity(nl), data.teacherMap());
        int steps = (int) Math.min(Integer.MAX_VALUE, spec.ngdExamples() / spec.ngdBatch());
        Damping floored = new LevenbergMarquardt(spec.initialDamping(), PREDICTED_DAMPING_FLOOR, Double.POSITIVE_INFINITY);
        Trajectory t = PredictedCurve.discreteNgd(m, spec.ngdAlpha(), floored, o.predictedDecrease(), steps, !m.isSquare());
        double[] err = t.testError(PredictedCurve.noiseFloor(m, spec.noiseVariance()));
        Curve c = new Curve("ngd-predicted");
        for (int k = 0; k < err.length; k++) {
            c.add(new CurvePoint((long) k * spec.ngdBatch(), 0, err[k], Double.NaN, k == 0 ? Double.NaN : t.damping()[k - 1], true, 0));
        }
        return c;
    }

    private static void writePanel(Path dir, PanelOutcome po) throws IOException {
        List<Curve> curves = new ArrayList<>(List.of(po.sgdCurve(), po.ngd()));
        LogCsv.write(dir.resolve("log.csv"), curves);
        try (RunLog grid = new RunLog(dir.resolve("grid.csv"), List.of("alpha", "effective_rate", "test_error",
                "seconds", "diverged", "chosen"))) {
            for (SgdGridSearch.Candidate c : po.sgd().candidates()) {
                grid.row(c.alpha(), c.effectiveRate(), c.testError(), String.format(java.util.Locale.ROOT, "%.6f",
                        c.seconds()), c.diverged(), c.alpha() == po.sgd().bestAlpha());
            }
        }
        if (po.predicted() != null) {
            LogCsv.write(dir.resolve("predicted.csv"), List.of(po.predicted()));
        }
    }
}
