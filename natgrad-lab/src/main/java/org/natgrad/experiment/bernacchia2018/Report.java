package org.natgrad.experiment.bernacchia2018;

import java.util.List;
import java.util.Locale;
import org.natgrad.experiment.training.Curve;

/**
 * report.md: the run's settings, a table of our headline numbers per panel, and the paper's
 * claims beside ours with a verdict, listing plainly where we differ.
 */
public final class Report {
    private Report() {
    }

    /** The Markdown text of the report. */
    public static String markdown(Bernacchia2018.Outcome out) {
        Bernacchia2018Options o = out.options();
        StringBuilder sb = new StringBuilder();
        sb.append("# Figure 1 of Bernacchia, Lengyel & Hennequin (NeurIPS 2018), reproduced\n\n");
        sb.append(String.format(Locale.ROOT, "%s run, seed %d, panels %s, %.1f s wall-clock in all.%n%n",
                o.quick() ? "Quick (reduced)" : "Full", o.seed(),
                String.join(",", out.panels().stream().map(po -> po.panel().name()).toList()), out.totalSeconds()));
        if (!out.skipped().isEmpty()) {
            sb.append("**").append(out.skipped()).append("**\n\n");
        }
        sb.append("Settings: SGD M = 20, α from the grid search below, step rule `").append(o.sgdStep().label())
                .append(o.sgdStep() == SgdStep.OFFICIAL_CODE ? "` (W ← W − (α/M)∇L̂, as the official code)" : "` (W ← W − α∇L̂)")
                .append("; NGD α = 1, M = 1000, K = 1, Eq. 21 damping with λ_0 = ")
                .append(o.linearDamping()).append(" (A–C) / ").append(o.mnistDamping()).append(" (D), predicted decrease `")
                .append(o.predictedDecrease().name().toLowerCase(Locale.ROOT).replace('_', '-')).append("`, ")
                .append(Double.isInfinite(o.ngdBlowUpFactor()) ? "every finite step accepted"
                        : "steps raising the minibatch loss more than " + o.ngdBlowUpFactor() + "x rejected")
                .append("; student weights N(0, 1/n_in), biases ").append(o.studentBias() ? "trainable from 0" : "none")
                .append("; both optimizers start from the same weights. Seconds are training wall-clock only "
                        + "(test evaluations excluded). Every option is in options.json.\n\n");
        sb.append("![Figure 1](figure1.png)\n\n");

        sb.append("## Our numbers\n\n");
        sb.append("| panel | optimizer | α | final test error | minimum achievable | examples to 2x | s to 2x | examples to 10x | s to 10x | examples run | training s |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (PanelOutcome po : out.panels()) {
            row(sb, po, "SGD", String.format(Locale.ROOT, "%s", po.sgd().bestAlpha()), po.sgdSummary(), po.sgdCurve());
            row(sb, po, "NGD", "1", po.ngdSummary(), po.ngd());
        }
        sb.append('\n');
        for (PanelOutcome po : out.panels()) {
            sb.append("- **").append(po.panel()).append("** (").append(PanelData.join(po.spec().widths())).append("): ")
                    .append(po.data().description()).append(". SGD grid: ");
            List<String> g = po.sgd().candidates().stream().map(c -> String.format(Locale.ROOT, "α=%s → %.3g%s%s", c.alpha(),
                    c.testError(), c.diverged() ? " (diverged)" : "", c.extension() ? " (extension)" : "")).toList();
            sb.append(String.join(", ", g)).append(" after ").append(po.spec().gridExamples()).append(" examples");
            if (po.sgd().bestOnEdge()) {
                sb.append(" (the best α is on the edge of the grid)");
            }
            if (po.ngd().last().rejected() > 0) {
                sb.append(". NGD rejected ").append(po.ngd().last().rejected()).append(" step(s) (loss blow-up), raising λ");
            }
            if (po.ngd().diverged()) {
                sb.append(". NGD stopped: ").append(po.ngd().divergence());
            }
            if (!po.predictedNote().isEmpty()) {
                sb.append(". ").append(po.predictedNote());
            }
            sb.append(String.format(Locale.ROOT, ". Panel wall-clock %.1f s.%n", po.wallSeconds()));
        }

        List<Claims.Claim> claims = Claims.evaluate(out);
        sb.append("\n## The paper's claims beside ours\n\n| panel | claim | ours | verdict |\n|---|---|---|---|\n");
        for (Claims.Claim c : claims) {
            sb.append("| ").append(c.panel()).append(" | ").append(c.claim()).append(" | ").append(c.ours()).append(" | ")
                    .append(c.verdict() == Claims.Verdict.DIFFERS ? "**differs**" : c.verdict().name().toLowerCase(Locale.ROOT))
                    .append(" |\n");
        }
        List<Claims.Claim> differ = claims.stream().filter(c -> c.verdict() == Claims.Verdict.DIFFERS).toList();
        sb.append("\n## Where we differ\n\n");
        if (differ.isEmpty()) {
            sb.append("Nowhere among the claims checked above.\n");
        } else {
            for (Claims.Claim c : differ) {
                sb.append("- Panel ").append(c.panel()).append(": ").append(c.claim()).append(" — ours: ").append(c.ours())
                        .append(".\n");
            }
        }
        if (o.quick()) {
            sb.append("\nThis was the reduced `--quick` run (shorter budgets; panel D on a subset of the digits): "
                    + "its figures are not the full reproduction.\n");
        }
        sb.append("\nThe paper's exact crossing points cannot be read from its figure (math.md §2.9), so the claims above "
                + "are the qualitative ones of its text plus the bars of the issue.\n");
        return sb.toString();
    }

    private static void row(StringBuilder sb, PanelOutcome po, String name, String alpha, Milestones.Summary s, Curve c) {
        sb.append("| ").append(po.panel()).append(" | ").append(name).append(" | ").append(alpha).append(" | ")
                .append(num(s.finalTestError())).append(" | ").append(s.minAchievable() == null ? "—" : num(s.minAchievable()))
                .append(" | ").append(s.examplesTo2x() == null ? "never" : s.examplesTo2x())
                .append(" | ").append(s.secondsTo2x() == null ? "—" : String.format(Locale.ROOT, "%.3f", s.secondsTo2x()))
                .append(" | ").append(s.examplesTo10x() == null ? "never" : s.examplesTo10x())
                .append(" | ").append(s.secondsTo10x() == null ? "—" : String.format(Locale.ROOT, "%.3f", s.secondsTo10x()))
                .append(" | ").append(c.last().examples())
                .append(" | ").append(String.format(Locale.ROOT, "%.2f", c.last().seconds()))
                .append(" |\n");
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.3g", v);
    }
}
