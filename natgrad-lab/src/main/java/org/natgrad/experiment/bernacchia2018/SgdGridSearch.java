package org.natgrad.experiment.bernacchia2018;

import java.util.ArrayList;
import java.util.List;
import org.natgrad.data.Dataset;
import org.natgrad.likelihood.Gaussian;
import org.natgrad.nn.Network;
import org.natgrad.optim.Sgd;

/**
 * The SGD learning-rate grid search the command runs itself (math.md §2.8): every α of the
 * panel's grid trains a copy of the same initial network on the same minibatch stream for
 * {@link PanelSpec#gridExamples()} examples; the α with the lowest test error at that point wins
 * (diverged candidates never win unless all diverge) and its run is continued to
 * {@link PanelSpec#sgdExamples()}, so no work is repeated.
 */
public final class SgdGridSearch {
    private SgdGridSearch() {
    }

    /**
     * One grid candidate.
     *
     * @param alpha         the grid value α
     * @param effectiveRate the step applied to the mean-loss gradient (see {@link SgdStep})
     * @param testError     test error after the grid prefix (NaN or huge when diverged)
     * @param seconds       training seconds the prefix took
     * @param diverged      whether the candidate diverged
     */
    public record Candidate(double alpha, double effectiveRate, double testError, double seconds, boolean diverged) {
    }

    /**
     * The outcome: every candidate, the chosen α and its (continued) run.
     *
     * @param candidates  in grid order
     * @param bestAlpha   the chosen α
     * @param best        the chosen run, already continued to the full SGD budget
     * @param gridSeconds training seconds spent on all candidates' prefixes
     */
    public record Outcome(List<Candidate> candidates, double bestAlpha, TrainingRun best, double gridSeconds) {
        /** True if the chosen α is the smallest or largest grid value (a wider grid might do better). */
        public boolean bestOnEdge() {
            double lo = candidates.stream().mapToDouble(Candidate::alpha).min().orElseThrow();
            double hi = candidates.stream().mapToDouble(Candidate::alpha).max().orElseThrow();
            return candidates.size() > 1 && (bestAlpha == lo || bestAlpha == hi);
        }
    }

    /**
     * Runs the grid and continues the best candidate.
     *
     * @param spec        the panel (grid, batch size, budgets, evaluation interval)
     * @param step        how α is applied
     * @param initial     the shared initial network (not modified; each candidate trains a copy)
     * @param train       training data
     * @param test        test data
     * @param batchSeed   seed of the minibatch stream, the same for every candidate
     * @param progress    receives one line per candidate (may be null)
     */
    public static Outcome run(PanelSpec spec, SgdStep step, Network initial, Dataset train, Dataset test, long batchSeed,
                              java.util.function.Consumer<String> progress) {
        List<Candidate> candidates = new ArrayList<>();
        TrainingRun best = null;
        double bestAlpha = Double.NaN;
        double bestError = Double.POSITIVE_INFINITY;
        double gridSeconds = 0;
        for (double alpha : spec.sgdGrid()) {
            double rate = step.effectiveRate(alpha, spec.sgdBatch());
            TrainingRun run = new TrainingRun("sgd", initial.copy(), new Sgd(Gaussian.unit(), rate), train, test,
                    spec.sgdBatch(), spec.evalEvery(), new org.natgrad.random.Rng(batchSeed));
            run.trainUntil(spec.gridExamples());
            double err = run.curve().last().testError();
            boolean diverged = run.curve().diverged();
            candidates.add(new Candidate(alpha, rate, err, run.seconds(), diverged));
            gridSeconds += run.seconds();
            if (progress != null) {
                progress.accept(String.format(java.util.Locale.ROOT, "  SGD α=%g: test error %.4g after %d examples%s",
                        alpha, err, run.examples(), diverged ? " (diverged)" : ""));
            }
            double score = diverged || !Double.isFinite(err) ? Double.POSITIVE_INFINITY : err;
            if (best == null || score < bestError) {
                best = run;
                bestAlpha = alpha;
                bestError = score;
            }
        }
        best.trainUntil(spec.sgdExamples());
        return new Outcome(List.copyOf(candidates), bestAlpha, best, gridSeconds);
    }
}
