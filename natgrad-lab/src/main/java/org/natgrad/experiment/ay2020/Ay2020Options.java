package org.natgrad.experiment.ay2020;

import java.util.List;
import java.util.Map;

/**
 * Options of the ay2020 reproduction; validated, written as {@code options.json}.
 *
 * @param quick              the short version (a smoke test of the whole pipeline)
 * @param seed               master seed (initial parameters, target, sampling)
 * @param smallIterations    iterations of every rule on the 7-unit network
 * @param barsIterations     iterations of every rule on bars and stripes (the fixed N of the report)
 * @param wakeSleepFactor    wake–sleep rules, which are cheap per step, run this many times
 *                           more iterations on bars and stripes (for the wall-clock comparison);
 *                           their KL after {@code barsIterations} is reported too
 * @param barsEvalEvery      KL evaluations every this many iterations on bars and stripes
 * @param barsHidden         widths of the two hidden layers above the 3x3 visible layer
 * @param initScale          initial parameters ~ N(0, initScale²)
 * @param targetSpread       7-unit target p*(v) ∝ exp(spread · z_v), z_v ~ N(0, 1)
 * @param batch              samples per phase of wake–sleep
 * @param damping            ε added to the local blocks (local NG, wake–sleep NG)
 * @param visibleRelTol      relative eigenvalue cut-off of the pseudo-inverse of G_V
 * @param costRounds         round-robin rounds of the cost-per-step measurement
 * @param rates              learning-rate grid per rule name
 */
public record Ay2020Options(boolean quick, long seed, int smallIterations, int barsIterations, int wakeSleepFactor,
                            int barsEvalEvery, int[] barsHidden, double initScale, double targetSpread, int batch,
                            double damping, double wakeSleepDamping, double visibleRelTol, int costRounds, Map<String, List<Double>> rates) {

    /** Rule names in report order. */
    public static final List<String> RULES = List.of("plain", "visible-ng", "local-ng", "wake-sleep", "wake-sleep-ng",
            "wake-sleep-ng-data");

    public Ay2020Options {
        if (smallIterations < 1 || barsIterations < 1 || wakeSleepFactor < 1 || barsEvalEvery < 1 || costRounds < 1
                || batch < 1) {
            throw new IllegalArgumentException("ay2020: iteration counts, batch, evaluation interval and cost rounds must be >= 1");
        }
        if (barsHidden == null || barsHidden.length != 2 || barsHidden[0] < 1 || barsHidden[1] < 1
                || barsHidden[0] + barsHidden[1] + 9 > 20) {
            throw new IllegalArgumentException("ay2020: need two hidden layers with at most 11 hidden units in all "
                    + "(the network must stay enumerable), got " + java.util.Arrays.toString(barsHidden));
        }
        if (!(initScale > 0) || !(targetSpread >= 0) || !(damping >= 0) || !(wakeSleepDamping >= 0) || !(visibleRelTol > 0 && visibleRelTol < 1)) {
            throw new IllegalArgumentException("ay2020: initScale > 0, targetSpread >= 0, dampings >= 0, 0 < visibleRelTol < 1 required");
        }
        for (String r : RULES) {
            List<Double> g = rates.get(r);
            if (g == null || g.isEmpty() || g.stream().anyMatch(x -> !(x > 0) || x.isInfinite())) {
                throw new IllegalArgumentException("ay2020: rule " + r + " needs a non-empty grid of positive rates, got " + g);
            }
        }
        barsHidden = barsHidden.clone();
        java.util.LinkedHashMap<String, List<Double>> ordered = new java.util.LinkedHashMap<>();
        for (String r : RULES) {
            ordered.put(r, List.copyOf(rates.get(r)));
        }
        rates = java.util.Collections.unmodifiableMap(ordered);
    }

    /** The full run (several minutes on a loaded 2-core machine). */
    public static Ay2020Options full(long seed) {
        return new Ay2020Options(false, seed, 500, 300, 200, 10, new int[] {2, 6}, 0.5, 1.0, 50, 1e-4, 1e-2, 1e-4, 20,
                Map.of("plain", List.of(3.0, 10.0, 30.0),
                        "visible-ng", List.of(0.01, 0.03, 0.1, 0.3),
                        "local-ng", List.of(0.3, 1.0, 2.0),
                        "wake-sleep", List.of(0.3, 1.0, 3.0),
                        "wake-sleep-ng", List.of(0.1, 0.3, 1.0),
                        "wake-sleep-ng-data", List.of(0.1, 0.3, 1.0)));
    }

    /** The quick run: the whole pipeline in well under a minute, one rate per rule on bars' budget. */
    public static Ay2020Options quick(long seed) {
        return new Ay2020Options(true, seed, 200, 12, 20, 6, new int[] {2, 6}, 0.5, 1.0, 50, 1e-4, 1e-2, 1e-4, 3,
                Map.of("plain", List.of(3.0),
                        "visible-ng", List.of(0.1),
                        "local-ng", List.of(0.3),
                        "wake-sleep", List.of(0.3),
                        "wake-sleep-ng", List.of(0.1),
                        "wake-sleep-ng-data", List.of(0.1)));
    }

    @Override
    public int[] barsHidden() {
        return barsHidden.clone();
    }
}
