package org.natgrad.experiment.bernacchia2018;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.natgrad.data.Dataset;
import org.natgrad.likelihood.Gaussian;
import org.natgrad.linalg.Precision;
import org.natgrad.nn.Network;
import org.natgrad.optim.Sgd;
import org.natgrad.random.Rng;

/**
 * The SGD learning-rate grid search the command runs itself (math.md §2.8): every α of the
 * panel's grid trains a copy of the same initial network on the same minibatch stream for
 * {@link PanelSpec#gridExamples()} examples; the α with the lowest test error at that point wins
 * (diverged candidates never win unless all diverge) and its run is continued to
 * {@link PanelSpec#sgdExamples()}, so no work is repeated.
 *
 * <p>Edges: when the best α is the largest value tried, up to {@code maxExtensions} further
 * values are tried, each twice the largest so far; when it is the smallest, or every value
 * diverged, each half the smallest so far. Extension stops at the first value that does not
 * improve on the best (while every value diverges, halving goes on). So a grid that is too narrow for a seed (the paper's best α for A and B is
 * the edge of its grid) does not leave SGD weaker than it need be, and a grid where every value
 * diverges still yields a baseline. Extra values are marked {@link Candidate#extension()}.
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
     * @param extension     true if the value was added beyond the given grid
     */
    public record Candidate(double alpha, double effectiveRate, double testError, double seconds, boolean diverged,
                            boolean extension) {
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
     * Runs the grid (extending it at an edge, see the class comment) and continues the best
     * candidate.
     *
     * @param spec          the panel (grid, batch size, budgets, evaluation interval)
     * @param step          how α is applied
     * @param initial       the shared initial network (not modified; each candidate trains a copy)
     * @param train         training data
     * @param test          test data
     * @param batchSeed     seed of the minibatch stream, the same for every candidate
     * @param maxExtensions most values to add beyond the grid (0: the grid only)
     * @param progress      receives one line per candidate (may be null)
     */
    public static Outcome run(PanelSpec spec, SgdStep step, Network initial, Dataset train, Dataset test, long batchSeed,
                              int maxExtensions, Consumer<String> progress) {
        return run(spec, step, initial, train, test, batchSeed, maxExtensions, progress, Precision.DOUBLE);
    }

    /** As {@link #run(PanelSpec, SgdStep, Network, Dataset, Dataset, long, int, Consumer)}, with the SGD passes in {@code precision}. */
    public static Outcome run(PanelSpec spec, SgdStep step, Network initial, Dataset train, Dataset test, long batchSeed,
                              int maxExtensions, Consumer<String> progress, Precision precision) {
        if (maxExtensions < 0) {
            throw new IllegalArgumentException("SGD grid extensions must be >= 0, got " + maxExtensions);
        }
        Search s = new Search(spec, step, initial, train, test, batchSeed, progress, precision);
        for (double alpha : spec.sgdGrid()) {
            s.tryAlpha(alpha, false);
        }
        for (int k = 0; k < maxExtensions; k++) {
            double lo = s.candidates.stream().mapToDouble(Candidate::alpha).min().orElseThrow();
            double hi = s.candidates.stream().mapToDouble(Candidate::alpha).max().orElseThrow();
            double next;
            if (!Double.isFinite(s.bestScore) || s.bestAlpha == lo) {
                next = lo / 2;
            } else if (s.bestAlpha == hi) {
                next = hi * 2;
            } else {
                break;
            }
            boolean improved = s.tryAlpha(next, true);
            if (!improved && Double.isFinite(s.bestScore)) {
                break; // the edge is confirmed (while everything diverges, keep halving)
            }
        }
        s.best.trainUntil(spec.sgdExamples());
        return new Outcome(List.copyOf(s.candidates), s.bestAlpha, s.best, s.gridSeconds);
    }

    /** The state of one search. */
    private static final class Search {
        final PanelSpec spec;
        final SgdStep step;
        final Network initial;
        final Dataset train;
        final Dataset test;
        final long batchSeed;
        final Consumer<String> progress;
        final Precision precision;
        final List<Candidate> candidates = new ArrayList<>();
        TrainingRun best;
        double bestAlpha = Double.NaN;
        double bestScore = Double.POSITIVE_INFINITY;
        double gridSeconds;

        Search(PanelSpec spec, SgdStep step, Network initial, Dataset train, Dataset test, long batchSeed,
               Consumer<String> progress, Precision precision) {
            this.spec = spec;
            this.precision = precision;
            this.step = step;
            this.initial = initial;
            this.train = train;
            this.test = test;
            this.batchSeed = batchSeed;
            this.progress = progress;
        }

        /** Trains one candidate for the grid prefix; returns true if it became the best. */
        boolean tryAlpha(double alpha, boolean extension) {
            double rate = step.effectiveRate(alpha, spec.sgdBatch());
            TrainingRun run = new TrainingRun("sgd", initial.copy(), new Sgd(Gaussian.unit(), rate, 0, precision), train, test,
                    spec.sgdBatch(), spec.evalEvery(), new Rng(batchSeed));
            run.trainUntil(spec.gridExamples());
            double err = run.curve().last().testError();
            boolean diverged = run.curve().diverged();
            candidates.add(new Candidate(alpha, rate, err, run.seconds(), diverged, extension));
            gridSeconds += run.seconds();
            if (progress != null) {
                progress.accept(String.format(Locale.ROOT, "  SGD α=%s%s: test error %.4g after %d examples%s", alpha,
                        extension ? " (grid extended)" : "", err, run.examples(), diverged ? " (diverged)" : ""));
            }
            double score = diverged || !Double.isFinite(err) ? Double.POSITIVE_INFINITY : err;
            if (best == null || score < bestScore) {
                best = run;
                bestAlpha = alpha;
                bestScore = score;
                return Double.isFinite(score);
            }
            return false;
        }
    }
}
