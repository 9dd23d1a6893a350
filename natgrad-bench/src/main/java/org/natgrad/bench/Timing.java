package org.natgrad.bench;

import java.util.Arrays;

/** Wall-clock timing of a repeated action for the plain-main benchmarks: warm-up, then per-run times. */
public final class Timing {

    /** Per-run times in milliseconds, sorted ascending. */
    public record Result(double[] millisSorted) {
        public double median() {
            int n = millisSorted.length;
            return n % 2 == 1 ? millisSorted[n / 2] : 0.5 * (millisSorted[n / 2 - 1] + millisSorted[n / 2]);
        }

        public double min() {
            return millisSorted[0];
        }

        public double max() {
            return millisSorted[millisSorted.length - 1];
        }

        public double mean() {
            return Arrays.stream(millisSorted).average().orElseThrow();
        }

        public int runs() {
            return millisSorted.length;
        }
    }

    private Timing() {
    }

    /** Runs {@code action} {@code warmup} times untimed, then {@code runs} times timed. */
    public static Result time(int warmup, int runs, Runnable action) {
        if (warmup < 0 || runs < 1) {
            throw new IllegalArgumentException("Timing: need warmup >= 0 and runs >= 1, got " + warmup + " and " + runs);
        }
        for (int i = 0; i < warmup; i++) {
            action.run();
        }
        double[] t = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            action.run();
            t[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(t);
        return new Result(t);
    }
}
